// The fast kernels of the fused integer ops against their references, bit for bit: QConvRequantize
// (panel engine, VNNI and AVX2 micro-kernels, VNNI channel lanes on small maps: in-place /
// phase-split / gathered patches, every
// rescaling mode per tensor and per channel, 8 and fewer bits, the int64 slow channels),
// QAddRequantize and Quantize (AVX-512, AVX2), uint8/int8 MaxPool (row kernel), QGlobalSumPool (SSE2);
// each kernel run by name so every ISA level of the machine is covered, and at 1 and 2 threads.
#include <tbb/task_arena.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "graph/ops/quant_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/quant/panel.h"
#include "kernels/quant/quant_kernels.h"
#include "tests/kernels/quant_kernel_util.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;

namespace {

using test::isa_skip;
using test::random_int;
using test::run_impl;

// Requantize attributes of `mode` for `channels` channels (1: per tensor).
graph::Attributes requant_attrs(const std::string& mode, int64_t channels, int nb, bool sg, uint64_t seed) {
  std::mt19937_64 rng(seed);
  graph::Attributes a = test::attrs({{"mode", mode}, {"nbbits", int64_t{nb}}, {"signed", int64_t{sg}}});
  std::vector<float> scale;
  std::vector<int64_t> mult, shift, left;
  for (int64_t c = 0; c < channels; ++c) {
    scale.push_back(std::ldexp(0.5f + 0.5f * static_cast<float>(rng() % 1000) / 1000.f, -static_cast<int>(8 + rng() % 6)));
    mult.push_back(static_cast<int64_t>(1000 + rng() % 30000));
    shift.push_back(static_cast<int64_t>(mode == "Fixed-point16" ? 20 + rng() % 6 : 6 + rng() % 8));
    left.push_back(static_cast<int64_t>(rng() % 4));
  }
  if (mode == "Floating-point") a.set("scale", scale);
  if (mode == "Fixed-point16") a.set("multiplier", mult);
  if (mode != "Floating-point") a.set("shift", shift);
  if (mode == "Double-shift") a.set("left_shift", left);
  return a;
}

const char* const kModes[] = {"Floating-point", "Fixed-point16", "Single-shift", "Double-shift"};

struct ConvCase {
  int64_t n, c, h, w, m, k, stride, pad, dil, group;
};

void check_qconv_requantize(const std::string& impl) {
  if (std::string why = isa_skip(impl); !why.empty()) GTEST_SKIP() << why;
  // Pointwise (in place, with and without a pixel tail), 3x3 / 5x5 / 7x7 with strides 1-3
  // (phase-split input), dilation, groups, batch 2, channel counts around the 8-row panels.
  const ConvCase cases[] = {{1, 16, 6, 8, 8, 1, 1, 0, 1, 1},   {1, 5, 7, 7, 9, 1, 1, 0, 1, 1},   {2, 3, 9, 11, 13, 3, 1, 1, 1, 1},
                            {1, 4, 10, 9, 7, 3, 2, 1, 1, 1},   {1, 6, 13, 12, 16, 1, 2, 0, 1, 1}, {1, 3, 15, 14, 10, 7, 2, 3, 1, 1},
                            {1, 5, 11, 11, 4, 5, 3, 2, 1, 1},  {1, 4, 12, 12, 17, 3, 1, 2, 2, 1}, {2, 8, 7, 9, 12, 3, 1, 1, 1, 4},
                            {1, 40, 9, 9, 24, 3, 1, 1, 1, 1}, {1, 2, 1, 50, 3, 3, 1, 1, 1, 1},
                            // Channel lanes (VNNI: 32-channel panels, at most 256 output pixels).
                            {1, 16, 7, 7, 32, 3, 1, 1, 1, 1}, {1, 8, 9, 9, 64, 3, 2, 1, 1, 1},  {2, 12, 5, 6, 64, 1, 1, 0, 1, 2},
                            {1, 5, 16, 16, 32, 3, 1, 1, 1, 1}, {1, 3, 1, 50, 32, 3, 1, 1, 1, 1}, {1, 9, 4, 3, 32, 1, 2, 0, 1, 1}};
  uint64_t seed = 2000;
  for (const ConvCase& t : cases)
    for (bool sx : {false, true}) {
      Tensor x = sx ? random_int<int8_t>({t.n, t.c, t.h, t.w}, seed++, -127, 127)
                    : random_int<uint8_t>({t.n, t.c, t.h, t.w}, seed++, 0, 255);
      Tensor w = random_int<int8_t>({t.m, t.c / t.group, t.k, t.k}, seed++, -127, 127);
      Tensor b = random_int<int32_t>({t.m}, seed++, -200000, 200000);
      for (const char* mode : kModes)
        for (int64_t channels : {int64_t{1}, t.m})
          for (int nb : {8, 5})
            for (bool sg : {false, true}) {
              graph::Attributes a = requant_attrs(mode, channels, nb, sg, seed++);
              a.set("strides", std::vector<int64_t>{t.stride, t.stride});
              a.set("pads", std::vector<int64_t>{t.pad, t.pad, t.pad, t.pad});
              a.set("dilations", std::vector<int64_t>{t.dil, t.dil});
              a.set("group", t.group);
              SCOPED_TRACE("c=" + std::to_string(t.c) + " m=" + std::to_string(t.m) + " k=" + std::to_string(t.k) +
                           " stride=" + std::to_string(t.stride) + " group=" + std::to_string(t.group) + " " + mode +
                           " channels=" + std::to_string(channels) + " nb=" + std::to_string(nb) + (sg ? " signed" : "") +
                           (sx ? " int8 in" : " uint8 in"));
              Tensor want = run_impl("QConvRequantize", "", {x, w, b}, a);
              test::expect_equal(run_impl("QConvRequantize", impl, {x, w, b}, a), want);
              test::expect_equal(run_impl("QConvRequantize", impl, {x, w, b}, a, 2), want);
              if (::testing::Test::HasFailure()) return;
            }
    }
}

// Bias near the int32 limits: the channels whose int32 sum could leave int32 take the int64 path
// (saturating as the reference); the others stay exact. 1-D and 3-D (gathered patches) too.
void check_qconv_edges(const std::string& impl) {
  if (std::string why = isa_skip(impl); !why.empty()) GTEST_SKIP() << why;
  Tensor x = random_int<uint8_t>({1, 9, 6, 7}, 1, 0, 255), w = random_int<int8_t>({10, 9, 3, 3}, 2, -128, 127);
  Tensor b = random_int<int32_t>({10}, 3, -1000, 1000);
  b.data_mut<int32_t>()[0] = INT32_MAX - 10;
  b.data_mut<int32_t>()[3] = INT32_MIN + 10;
  const std::string plain = "qconv_u8s8_" + impl.substr(impl.rfind('_') + 1);  // the unfused QConv kernel
  graph::Attributes pads = test::attrs({{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  test::expect_equal(run_impl("QConv", plain, {x, w, b}, pads), run_impl("QConv", "", {x, w, b}, pads));
  graph::Attributes a = requant_attrs("Single-shift", 1, 8, true, 4);
  a.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  test::expect_equal(run_impl("QConvRequantize", impl, {x, w, b}, a), run_impl("QConvRequantize", "", {x, w, b}, a));
  // 1-D, 3-D.
  // Channel lanes with the int64 slow channels, int32 (QConv) and 8-bit outputs.
  Tensor xl = random_int<uint8_t>({1, 9, 5, 5}, 11, 0, 255), wl = random_int<int8_t>({32, 9, 3, 3}, 12, -128, 127);
  Tensor bl = random_int<int32_t>({32}, 13, -1000, 1000);
  bl.data_mut<int32_t>()[5] = INT32_MAX - 3;
  bl.data_mut<int32_t>()[20] = INT32_MIN + 3;
  test::expect_equal(run_impl("QConv", plain, {xl, wl, bl}, pads), run_impl("QConv", "", {xl, wl, bl}, pads));
  graph::Attributes al = requant_attrs("Fixed-point16", 32, 8, true, 14);
  al.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  test::expect_equal(run_impl("QConvRequantize", impl, {xl, wl, bl}, al), run_impl("QConvRequantize", "", {xl, wl, bl}, al));
  Tensor x1 = random_int<int8_t>({2, 3, 29}, 5, -127, 127), w1 = random_int<int8_t>({11, 3, 4}, 6, -127, 127);
  graph::Attributes a1 = requant_attrs("Floating-point", 11, 8, false, 7);
  a1.set("strides", std::vector<int64_t>{2});
  a1.set("pads", std::vector<int64_t>{1, 2});
  test::expect_equal(run_impl("QConvRequantize", impl, {x1, w1}, a1), run_impl("QConvRequantize", "", {x1, w1}, a1));
  Tensor x3 = random_int<uint8_t>({1, 2, 5, 6, 7}, 8, 0, 255), w3 = random_int<int8_t>({9, 2, 3, 3, 3}, 9, -127, 127);
  graph::Attributes a3 = requant_attrs("Double-shift", 1, 8, false, 10);
  a3.set("pads", std::vector<int64_t>{1, 1, 1, 1, 1, 1});
  test::expect_equal(run_impl("QConvRequantize", impl, {x3, w3}, a3), run_impl("QConvRequantize", "", {x3, w3}, a3));
  test::expect_equal(run_impl("QConv", plain, {x3, w3}, a3), run_impl("QConv", "", {x3, w3}, a3));
}

// Weights whose pairs fit vpmaddubsw (|w0| + |w1| <= 128: the AVX2 pair kernel), at the limit:
// all-255 / all-0 inputs (x ^ 0x80 for int8) against pairs summing to 128 in magnitude.
void check_qconv_pairs(const std::string& impl) {
  if (std::string why = isa_skip(impl); !why.empty()) GTEST_SKIP() << why;
  const ConvCase cases[] = {{1, 8, 6, 9, 8, 1, 1, 0, 1, 1},  {1, 5, 9, 11, 13, 3, 1, 1, 1, 1}, {2, 6, 12, 10, 9, 5, 2, 2, 1, 1},
                            {1, 3, 15, 14, 10, 7, 2, 3, 1, 1}, {2, 8, 7, 9, 12, 3, 1, 1, 1, 4}, {1, 2, 1, 50, 3, 3, 1, 1, 1, 1}};
  const int8_t limit[][2] = {{127, 1}, {-128, 0}, {64, -64}, {-64, -64}, {1, -127}, {0, 128 - 1}};
  uint64_t seed = 5000;
  for (const ConvCase& t : cases)
    for (int fill = 0; fill < 3; ++fill)  // 0: random x, 1: all 255 (uint8) / 127 (int8), 2: 0 / -128
      for (bool sx : {false, true}) {
        Tensor x = sx ? random_int<int8_t>({t.n, t.c, t.h, t.w}, seed++, -128, 127)
                      : random_int<uint8_t>({t.n, t.c, t.h, t.w}, seed++, 0, 255);
        if (fill > 0) {
          uint8_t v = fill == 1 ? (sx ? 127 : 255) : (sx ? 0x80 : 0);
          std::memset(x.raw_mut(), v, static_cast<std::size_t>(x.numel()));
        }
        Tensor w = random_int<int8_t>({t.m, t.c / t.group, t.k, t.k}, seed++, -64, 64);
        if (fill > 0) {  // pairs at the limit (consecutive bytes of a row pair up only in some layouts)
          int8_t* p = w.data_mut<int8_t>();
          for (int64_t i = 0; i + 1 < w.numel(); i += 2) {
            const int8_t* l = limit[(i / 2) % 6];
            p[i] = l[0] / 2, p[i + 1] = l[1] / 2;  // halves: any two weights of the tensor still fit
          }
          p[0] = fill == 1 ? 64 : -64;
        }
        Tensor b = random_int<int32_t>({t.m}, seed++, -200000, 200000);
        for (const char* mode : {"Floating-point", "Single-shift"}) {
          graph::Attributes a = requant_attrs(mode, t.m, 8, fill == 2, seed++);
          a.set("strides", std::vector<int64_t>{t.stride, t.stride});
          a.set("pads", std::vector<int64_t>{t.pad, t.pad, t.pad, t.pad});
          a.set("group", t.group);
          SCOPED_TRACE("c=" + std::to_string(t.c) + " k=" + std::to_string(t.k) + " fill=" + std::to_string(fill) + " " + mode +
                       (sx ? " int8 in" : " uint8 in"));
          test::expect_equal(run_impl("QConvRequantize", impl, {x, w, b}, a), run_impl("QConvRequantize", "", {x, w, b}, a));
          test::expect_equal(run_impl("QConvRequantize", impl, {x, w, b}, a, 2), run_impl("QConvRequantize", "", {x, w, b}, a));
          const std::string plain = "qconv_u8s8_" + impl.substr(impl.rfind('_') + 1);
          test::expect_equal(run_impl("QConv", plain, {x, w, b}, a), run_impl("QConv", "", {x, w, b}, a));
          if (::testing::Test::HasFailure()) return;
        }
      }
}

}  // namespace

TEST(QuantPanel, WeightPairsFitTheU8Kernel) {
  const int8_t fit[] = {127, 1, -128, 0, 64, -64, -64, -64, 0, 0};
  EXPECT_TRUE(kernels::detail::weights_fit_u8_pairs(fit, 10));
  const int8_t over[] = {1, 1, 127, 2};
  EXPECT_FALSE(kernels::detail::weights_fit_u8_pairs(over, 4));
  const int8_t over2[] = {-128, -1};
  EXPECT_FALSE(kernels::detail::weights_fit_u8_pairs(over2, 2));
}
TEST(QuantPanel, Avx2PairKernelMatchesReference) { check_qconv_pairs("qconv_requantize_avx2"); }

TEST(QuantPanel, QConvRequantizeVnniMatchesReference) { check_qconv_requantize("qconv_requantize_vnni"); }
TEST(QuantPanel, QConvRequantizeAvx2MatchesReference) { check_qconv_requantize("qconv_requantize_avx2"); }
TEST(QuantPanel, VnniEdgesMatchReference) { check_qconv_edges("qconv_requantize_vnni"); }
TEST(QuantPanel, Avx2EdgesMatchReference) { check_qconv_edges("qconv_requantize_avx2"); }

TEST(QuantPanel, QConvRequantizeDeclinesWideOutputs) {
  // A 12-bit output is left to the reference, which says why the others declined.
  Tensor x(DType::U8, {1, 1, 3, 3}), w(DType::I8, {1, 1, 1, 1});
  graph::Attributes a = requant_attrs("Single-shift", 1, 12, false, 1);
  graph::Node n = test::make_node("QConvRequantize", 2, 1, a, 1, graph::kN2D2Domain);
  KernelQuery q{n, {x.type(), w.type()}, {TensorType(DType::U16, {1, 1, 3, 3})}, {false, true}};
  KernelChoice c = KernelRegistry::builtin().select(q);
  EXPECT_STREQ(c.impl->name, "qconv_requantize_ref");
  for (const auto& s : c.skipped) EXPECT_NE(s.find("qconv_requantize_"), std::string::npos) << s;
}

static void check_qadd_requantize(const std::string& impl) {
  if (std::string why = isa_skip(impl); !why.empty()) GTEST_SKIP() << why;
  uint64_t seed = 3000;
  for (Shape s : {Shape{1, 3, 7, 5}, Shape{2, 16, 4, 4}, Shape{1, 5, 33}, Shape{3, 17}})
    for (bool sa : {false, true})
      for (bool sb : {false, true})
        for (const char* mode : kModes)
          for (bool per_channel : {false, true})
            for (bool sg : {false, true}) {
              Tensor a = sa ? random_int<int8_t>(s, seed++, -127, 127) : random_int<uint8_t>(s, seed++, 0, 255);
              Tensor b = sb ? random_int<int8_t>(s, seed++, -127, 127) : random_int<uint8_t>(s, seed++, 0, 255);
              graph::Attributes at = requant_attrs(mode, per_channel ? s[1] : 1, 8, sg, seed++);
              at.set("a_multiplier", int64_t{1 + static_cast<int64_t>(seed % 3000)});
              at.set("b_multiplier", int64_t{-7 + static_cast<int64_t>(seed % 20000)});
              SCOPED_TRACE(std::string(mode) + (per_channel ? " per channel" : "") + (sa ? " a int8" : "") + (sb ? " b int8" : ""));
              Tensor want = run_impl("QAddRequantize", "", {a, b}, at);
              test::expect_equal(run_impl("QAddRequantize", impl, {a, b}, at), want);
              test::expect_equal(run_impl("QAddRequantize", impl, {a, b}, at, 2), want);
              if (::testing::Test::HasFailure()) return;
            }
}

TEST(QuantPanel, QAddRequantizeAvx512MatchesReference) { check_qadd_requantize("qadd_requantize_avx512"); }
TEST(QuantPanel, QAddRequantizeAvx2MatchesReference) { check_qadd_requantize("qadd_requantize_avx2"); }
TEST(QuantPanel, QAddRequantizePlanesMatchesReference) { check_qadd_requantize("qadd_requantize_planes"); }

static void check_quantize(const std::string& impl) {
  if (std::string why = isa_skip(impl); !why.empty()) GTEST_SKIP() << why;
  std::mt19937_64 rng(4);
  std::normal_distribution<float> d(0.f, 3.f);
  Tensor x(DType::F32, {1, 3, 7, 11});
  float* p = x.data_mut<float>();
  for (int64_t i = 0; i < x.numel(); ++i) p[i] = d(rng);
  const float specials[] = {0.5f, -0.5f, 1.5f, -2.5f, 0.f, -0.f, 1e30f, -1e30f,
                            std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN(), 127.49f, 127.5f, -127.5f, 255.5f, 3.75f};
  for (std::size_t i = 0; i < std::size(specials); ++i) p[i * 7] = specials[i] * 0.25f;
  for (float scale : {0.25f, 0.013f, 1.f})
    for (int nb : {8, 4})
      for (bool sg : {false, true}) {
        graph::Attributes a = test::attrs({{"scale", scale}, {"nbbits", int64_t{nb}}, {"signed", int64_t{sg}}});
        SCOPED_TRACE("scale " + std::to_string(scale) + " nb " + std::to_string(nb) + (sg ? " signed" : ""));
        Tensor want = run_impl("Quantize", "", {x}, a);
        test::expect_equal(run_impl("Quantize", impl, {x}, a), want);
        test::expect_equal(run_impl("Quantize", impl, {x}, a, 2), want);
      }
}

TEST(QuantPanel, QuantizeAvx512MatchesReference) { check_quantize("quantize_avx512"); }
TEST(QuantPanel, QuantizeAvx2MatchesReference) { check_quantize("quantize_avx2"); }
TEST(QuantPanel, QuantizePlanesMatchesReference) { check_quantize("quantize_planes"); }

TEST(QuantPanel, MaxPoolInt8MatchesReference) {
  uint64_t seed = 5000;
  struct PoolCase {
    Shape x;
    std::vector<int64_t> k, s, pads, dil;
    int64_t ceil;
  };
  const PoolCase cases[] = {{{1, 3, 12, 12}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}, 0},
                            {{2, 2, 9, 13}, {2, 3}, {1, 2}, {0, 1, 1, 0}, {1, 1}, 1},
                            {{1, 4, 11, 10}, {3, 3}, {2, 2}, {2, 2, 2, 2}, {2, 2}, 0},
                            {{1, 2, 40, 37}, {3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}, 0},
                            {{1, 3, 31}, {4}, {3}, {2, 2}, {1}, 1}};
  for (const PoolCase& t : cases)
    for (bool sg : {false, true}) {
      Tensor x = sg ? random_int<int8_t>(t.x, seed++, -128, 127) : random_int<uint8_t>(t.x, seed++, 0, 255);
      graph::Attributes a = test::attrs({{"kernel_shape", t.k}, {"strides", t.s}, {"pads", t.pads}, {"dilations", t.dil},
                                         {"ceil_mode", t.ceil}});
      Tensor want = run_impl("MaxPool", "maxpool_ref", {x}, a, 1, "");
      test::expect_equal(run_impl("MaxPool", "maxpool_int8_rows", {x}, a, 1, ""), want);
      test::expect_equal(run_impl("MaxPool", "maxpool_int8_rows", {x}, a, 2, ""), want);
    }
}

TEST(QuantPanel, QGlobalSumPoolMatchesReference) {
  uint64_t seed = 6000;
  for (Shape s : {Shape{1, 5, 7, 7}, Shape{2, 3, 33}, Shape{1, 2, 4, 4, 3}, Shape{1, 1, 1, 1}})
    for (bool sg : {false, true}) {
      Tensor x = sg ? random_int<int8_t>(s, seed++, -128, 127) : random_int<uint8_t>(s, seed++, 0, 255);
      Tensor want = run_impl("QGlobalSumPool", "", {x}, {});
      test::expect_equal(run_impl("QGlobalSumPool", "qglobal_sum_pool_sse2", {x}, {}), want);
      test::expect_equal(run_impl("QGlobalSumPool", "qglobal_sum_pool_sse2", {x}, {}, 2), want);
    }
}
