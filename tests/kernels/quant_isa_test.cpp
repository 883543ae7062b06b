// The AVX2 and AVX-512 VNNI integer cores and the QConv/QGemm kernels built on them against the
// reference, bit for bit, over odd shapes (row, column and K tails), uint8 and int8 activations,
// full-range weights; each kernel run by name so every ISA level is covered on one machine.
#include <random>

#include "graph/ops/quant_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/quant/quant_kernels.h"
#include "tests/kernels/quant_kernel_util.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;

namespace {

using test::isa_skip;
using test::random_int;
using test::run_impl;

void check_core(kernels::detail::QDotCore core, const std::string& why) {
  if (!why.empty()) GTEST_SKIP() << why;
  uint64_t seed = 11;
  for (int64_t M : {1, 2, 3, 4, 5, 7, 9, 17})
    for (int64_t P : {1, 2, 3, 4, 5, 6, 9, 33})
      for (int64_t Kp : {64, 128, 192, 640}) {
        Tensor a = random_int<int8_t>({M, Kp}, seed++, -128, 127), b = random_int<uint8_t>({P, Kp}, seed++, 0, 255);
        std::vector<int32_t> want(M * P * 2, -1), got(M * P * 2, -1);
        // Strided output: C[m * 2P + p * 2], the odd slots must stay untouched.
        kernels::detail::qdot_u8s8_ref(M, P, Kp, a.data<int8_t>(), b.data<uint8_t>(), want.data(), 2 * P, 2);
        core(M, P, Kp, a.data<int8_t>(), b.data<uint8_t>(), got.data(), 2 * P, 2);
        ASSERT_EQ(got, want) << "M=" << M << " P=" << P << " Kp=" << Kp;
      }
}

struct ConvCase {
  int64_t n, c, h, w, m, k, stride, pad, dil, group;
};

void check_qconv(const std::string& impl) {
  if (std::string why = isa_skip(impl); !why.empty()) GTEST_SKIP() << why;
  const ConvCase cases[] = {{1, 1, 5, 5, 1, 3, 1, 0, 1, 1},  {1, 3, 7, 9, 5, 3, 1, 1, 1, 1},  {2, 4, 9, 7, 6, 3, 2, 1, 1, 2},
                            {1, 5, 8, 8, 17, 1, 1, 0, 1, 1}, {1, 3, 11, 11, 4, 5, 2, 2, 1, 1}, {1, 2, 9, 9, 3, 3, 1, 2, 2, 1},
                            {1, 8, 6, 6, 8, 3, 1, 1, 1, 8},  {1, 32, 5, 5, 33, 3, 1, 1, 1, 1}, {1, 7, 13, 3, 9, 3, 3, 1, 1, 1}};
  uint64_t seed = 100;
  for (const ConvCase& t : cases)
    for (bool sg : {false, true}) {
      Tensor x = sg ? random_int<int8_t>({t.n, t.c, t.h, t.w}, seed++, -127, 127)
                    : random_int<uint8_t>({t.n, t.c, t.h, t.w}, seed++, 0, 255);
      Tensor w = random_int<int8_t>({t.m, t.c / t.group, t.k, t.k}, seed++, -127, 127);
      Tensor b = random_int<int32_t>({t.m}, seed++, -100000, 100000);
      graph::Attributes a = test::attrs({{"strides", std::vector<int64_t>{t.stride, t.stride}},
                                         {"pads", std::vector<int64_t>{t.pad, t.pad, t.pad, t.pad}},
                                         {"dilations", std::vector<int64_t>{t.dil, t.dil}},
                                         {"group", t.group}});
      SCOPED_TRACE("c=" + std::to_string(t.c) + " m=" + std::to_string(t.m) + " k=" + std::to_string(t.k) +
                   " group=" + std::to_string(t.group) + (sg ? " int8" : " uint8"));
      test::expect_equal(run_impl("QConv", impl, {x, w, b}, a), run_impl("QConv", "", {x, w, b}, a));
      if (::testing::Test::HasFailure()) return;
    }
}

void check_qgemm(const std::string& impl) {
  if (std::string why = isa_skip(impl); !why.empty()) GTEST_SKIP() << why;
  uint64_t seed = 500;
  for (int64_t M : {1, 3, 17})
    for (int64_t K : {1, 7, 64, 100, 300})
      for (int64_t N : {1, 5, 16, 33})
        for (bool sg : {false, true}) {
          Tensor a = sg ? random_int<int8_t>({M, K}, seed++, -127, 127) : random_int<uint8_t>({M, K}, seed++, 0, 255);
          Tensor w = random_int<int8_t>({N, K}, seed++, -127, 127), b = random_int<int32_t>({N}, seed++, -5000, 5000);
          SCOPED_TRACE("M=" + std::to_string(M) + " K=" + std::to_string(K) + " N=" + std::to_string(N));
          test::expect_equal(run_impl("QGemm", impl, {a, w, b}, {}), run_impl("QGemm", "", {a, w, b}, {}));
          if (::testing::Test::HasFailure()) return;
        }
}

}  // namespace

TEST(QuantIsa, Avx2CoreMatchesReference) { check_core(kernels::detail::qdot_u8s8_avx2, require_isa(Isa::Avx2)); }
TEST(QuantIsa, VnniCoreMatchesReference) { check_core(kernels::detail::qdot_u8s8_vnni, kernels::detail::require_avx512_vnni()); }
TEST(QuantIsa, QConvAvx2MatchesReference) { check_qconv("qconv_u8s8_avx2"); }
TEST(QuantIsa, QConvVnniMatchesReference) { check_qconv("qconv_u8s8_vnni"); }
TEST(QuantIsa, QGemmAvx2MatchesReference) { check_qgemm("qgemm_u8s8_avx2"); }
TEST(QuantIsa, QGemmVnniMatchesReference) { check_qgemm("qgemm_u8s8_vnni"); }

TEST(QuantIsa, DispatchDeclinesWithReasons) {
  // 16-bit activations are left to the reference, which says so.
  Tensor x(DType::U16, {1, 1, 3, 3}), w(DType::I8, {1, 1, 1, 1});
  graph::Node n = test::make_node("QConv", 2, 1, {}, 1, graph::kN2D2Domain);
  KernelQuery q{n, {x.type(), w.type()}, {TensorType(DType::I32, {1, 1, 3, 3})}, {false, true}};
  KernelChoice c = KernelRegistry::builtin().select(q);
  EXPECT_STREQ(c.impl->name, "qconv_ref");
  ASSERT_EQ(c.skipped.size(), 2u);
  for (const auto& s : c.skipped) EXPECT_NE(s.find(":"), std::string::npos) << s;
}

TEST(QuantIsa, RequantizePlanesMatchesReference) {
  uint64_t seed = 900;
  struct Mode {
    const char* name;
    graph::Attributes a;
  };
  for (int64_t channels : {1, 5})
    for (int nb : {2, 4, 8, 12, 16})
      for (bool sg : {false, true}) {
        std::vector<Mode> modes;
        std::vector<float> scale;
        std::vector<int64_t> mult, shift, left;
        for (int64_t c = 0; c < channels; ++c) {
          scale.push_back(0.001f * static_cast<float>(c + 1) + 0.0137f);
          mult.push_back(12345 + 1000 * c);
          shift.push_back(10 + c);
          left.push_back(c % 3);
        }
        auto base = [&](const char* m) {
          return test::attrs({{"mode", std::string(m)}, {"nbbits", int64_t{nb}}, {"signed", int64_t{sg}}});
        };
        graph::Attributes fp = base("Floating-point"), fx = base("Fixed-point32"), ss = base("Single-shift"),
                          ds = base("Double-shift");
        fp.set("scale", scale);
        fx.set("multiplier", mult);
        fx.set("shift", shift);
        ss.set("shift", shift);
        ds.set("shift", shift);
        ds.set("left_shift", left);
        for (auto* a : {&fp, &fx, &ss, &ds}) {
          Tensor x = random_int<int32_t>({2, channels, 7, 3}, seed++, -3000000, 3000000);
          // Exact halves and extremes on purpose.
          x.data_mut<int32_t>()[0] = 512;
          x.data_mut<int32_t>()[1] = -512;
          x.data_mut<int32_t>()[2] = INT32_MAX;
          x.data_mut<int32_t>()[3] = INT32_MIN;
          SCOPED_TRACE(a->s("mode") + " nbbits " + std::to_string(nb) + (sg ? " signed" : " unsigned") + " channels " +
                       std::to_string(channels));
          test::expect_equal(run_impl("Requantize", "requantize_planes", {x}, *a), run_impl("Requantize", "", {x}, *a));
          Tensor x16 = random_int<int16_t>({3, channels, 5}, seed++, -32767, 32767);
          test::expect_equal(run_impl("Requantize", "requantize_planes", {x16}, *a), run_impl("Requantize", "", {x16}, *a));
        }
      }
}
