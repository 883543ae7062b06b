// The packed and depthwise Conv kernels of every ISA level against the reference kernel over odd
// shapes (row, column and k-block tails; strides, dilations, groups, asymmetric padding; 1-D to
// 3-D), with and without weights packed by prepare(), and the same bits for 1 and 2 threads.
// Levels the CPU lacks are skipped; N2D2_MAX_ISA does not matter here (kernels are run directly).
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>

#include "kernels/conv/depthwise.h"
#include "kernels/conv/packed.h"
#include "kernels/cpu/isa.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;

namespace {

using ints = std::vector<int64_t>;

struct Problem {
  ints x, w;  // shapes
  ints strides, dilations, pads;
  int64_t group;
  bool bias;
  std::string str() const {
    auto j = [](const ints& v) {
      std::string s;
      for (int64_t d : v) s += (s.empty() ? "" : ",") + std::to_string(d);
      return "[" + s + "]";
    };
    return "x" + j(x) + " w" + j(w) + " s" + j(strides) + " d" + j(dilations) + " p" + j(pads) + " g" +
           std::to_string(group) + (bias ? " bias" : "");
  }
};

const std::vector<Problem>& general_problems() {
  static const std::vector<Problem> p = {
      {{1, 3, 7, 9}, {5, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 1, true},
      {{2, 5, 11, 6}, {7, 5, 5, 5}, {2, 2}, {1, 1}, {2, 2, 2, 2}, 1, false},
      {{1, 3, 23, 21}, {17, 3, 7, 7}, {2, 2}, {1, 1}, {3, 3, 3, 3}, 1, true},          // stem-like
      {{1, 6, 9, 10}, {9, 2, 3, 3}, {1, 1}, {2, 2}, {2, 2, 2, 2}, 3, true},            // groups, dilation
      {{1, 8, 5, 5}, {17, 8, 1, 1}, {2, 2}, {1, 1}, {0, 0, 0, 0}, 1, true},            // strided 1x1
      {{1, 16, 15, 17}, {33, 16, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 1, true},        // > 192 columns
      {{1, 40, 6, 7}, {130, 40, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 1, true},         // K > 256, M > 128
      {{1, 2, 6, 20}, {3, 2, 1, 5}, {1, 3}, {1, 1}, {0, 2, 1, 0}, 1, true},            // asymmetric pads
      {{2, 4, 8, 8}, {6, 2, 2, 2}, {3, 2}, {2, 3}, {0, 1, 2, 0}, 2, false},
      {{1, 3, 1, 1}, {4, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 1, true},             // 1x1 input
      {{1, 5, 31}, {9, 5, 4}, {2}, {3}, {2, 1}, 1, true},                              // 1-D
      {{1, 3, 5, 6, 7}, {4, 3, 3, 2, 3}, {1, 2, 1}, {1, 1, 2}, {1, 0, 1, 1, 1, 0}, 1, true},  // 3-D
      {{1, 7, 9, 11}, {7, 1, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 7, true},            // depthwise
      {{1, 300, 9, 7}, {20, 300, 1, 1}, {1, 1}, {1, 1}, {0, 0, 0, 0}, 1, true},        // pointwise, in place, K > 256
      {{2, 8, 5, 9}, {6, 4, 1, 1}, {1, 1}, {1, 1}, {0, 0, 0, 0}, 2, false},            // grouped pointwise
      {{1, 3, 1, 1}, {5, 3, 1, 1}, {1, 1}, {1, 1}, {0, 0, 0, 0}, 1, true},             // pointwise, one pixel
  };
  return p;
}

const std::vector<Problem>& depthwise_problems() {
  static const std::vector<Problem> p = {
      {{1, 7, 9, 11}, {7, 1, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 7, true},
      {{2, 9, 12, 13}, {9, 1, 3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}, 9, true},           // stride 2
      {{1, 5, 17, 37}, {5, 1, 3, 3}, {2, 2}, {1, 1}, {0, 1, 1, 0}, 5, false},          // stride 2, odd width
      {{1, 3, 14, 19}, {3, 1, 5, 5}, {3, 3}, {2, 2}, {4, 4, 4, 4}, 3, true},           // stride 3, dilation 2
      {{1, 4, 10, 10}, {8, 1, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 4, true},           // multiplier 2
      {{1, 6, 7, 33}, {6, 1, 7, 7}, {1, 1}, {1, 1}, {3, 3, 3, 3}, 6, true},            // 7x7
      {{1, 3, 40}, {3, 1, 5}, {2}, {1}, {2, 2}, 3, true},                              // 1-D
      {{1, 4, 6, 75}, {4, 1, 3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}, 4, true},           // stride 2, rows of 38
      {{1, 2, 5, 110}, {2, 1, 3, 3}, {3, 3}, {1, 1}, {1, 1, 1, 1}, 2, false},         // stride 3, rows of 37
      {{1, 3, 4, 70}, {3, 1, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 3, true},           // stride 1, rows of 70
      {{1, 3, 10, 11}, {3, 1, 3, 3}, {2, 2}, {1, 1}, {0, 0, 0, 0}, 3, true},          // stride 2, last column unread
      {{1, 2, 9, 13}, {2, 1, 3, 3}, {2, 2}, {2, 2}, {2, 1, 2, 3}, 2, true},           // stride 2, dilation 2, uneven pads
      {{1, 3, 8, 9}, {3, 1, 3, 3}, {1, 2}, {1, 1}, {1, 1, 1, 1}, 3, false},           // strides (1, 2)
  };
  return p;
}

struct Impl {
  const char* name;
  Isa isa;
  bool depthwise;
};
const Impl kImpls[] = {{"conv_f32_scalar", Isa::Scalar, false}, {"conv_f32_avx2", Isa::Avx2, false},
                       {"conv_f32_avx512", Isa::Avx512, false}, {"conv_dw_f32_scalar", Isa::Scalar, true},
                       {"conv_dw_f32_avx2", Isa::Avx2, true},   {"conv_dw_f32_avx512", Isa::Avx512, true}};

const KernelImpl& find_impl(const char* name) {
  for (const KernelImpl& k : KernelRegistry::builtin().implementations("Conv"))
    if (std::string(k.name) == name) return k;
  throw Error(std::string("no Conv kernel ") + name);
}

struct Case {
  graph::Node node;
  std::vector<Tensor> in;
  std::vector<const Tensor*> ptrs;
};

Case make_case(const Problem& p, uint64_t seed) {
  graph::Attributes a;
  a.set("strides", p.strides);
  a.set("dilations", p.dilations);
  a.set("pads", p.pads);
  a.set("group", p.group);
  Case c{test::make_node("Conv", p.bias ? 3 : 2, 1, a), {}, {}};
  c.in.push_back(test::random_tensor(p.x, seed));
  c.in.push_back(test::random_tensor(p.w, seed + 1));
  if (p.bias) c.in.push_back(test::random_tensor({p.w[0]}, seed + 2));
  for (const Tensor& t : c.in) c.ptrs.push_back(&t);
  return c;
}

void check_impl(const Impl& impl) {
  if (hardware_isa() < impl.isa) GTEST_SKIP() << "CPU lacks " << isa_name(impl.isa);
  const KernelImpl& k = find_impl(impl.name);
  const KernelImpl& ref = find_impl("conv_ref");
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  uint64_t seed = 100;
  for (const Problem& p : impl.depthwise ? depthwise_problems() : general_problems()) {
    SCOPED_TRACE(std::string(impl.name) + " " + p.str());
    Case c = make_case(p, seed += 3);
    Tensor want = kernels::run_node(c.node, c.ptrs, ref, ops)[0];
    Tensor got = kernels::run_node(c.node, c.ptrs, k, ops)[0];
    ASSERT_EQ(got.shape(), want.shape());
    EXPECT_LE(test::normalized_max_error(got, want), 1e-5);
    if (k.prepare) {
      std::vector<const Tensor*> constants = {nullptr, &c.in[1], p.bias ? &c.in[2] : nullptr};
      KernelQuery q{c.node, {}, {}, {}};
      for (const Tensor& t : c.in) q.input_types.push_back(t.type());
      std::shared_ptr<const void> prepared = k.prepare(q, constants);
      ASSERT_NE(prepared, nullptr);
      test::expect_equal(kernels::run_node(c.node, c.ptrs, k, ops, prepared.get())[0], got);
    }
    if (::testing::Test::HasFailure()) return;
  }
}

void check_threads(const Impl& impl) {
  if (hardware_isa() < impl.isa) GTEST_SKIP() << "CPU lacks " << isa_name(impl.isa);
  const KernelImpl& k = find_impl(impl.name);
  Problem p = impl.depthwise ? Problem{{2, 24, 19, 21}, {24, 1, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 24, true}
                             : Problem{{2, 40, 17, 15}, {70, 40, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 1, true};
  Case c = make_case(p, 7);
  std::vector<Tensor> y1, y2;
  tbb::task_arena(1).execute([&] { y1 = kernels::run_node(c.node, c.ptrs, k, graph::OpRegistry::builtin()); });
  tbb::task_arena(2).execute([&] { y2 = kernels::run_node(c.node, c.ptrs, k, graph::OpRegistry::builtin()); });
  test::expect_equal(y1[0], y2[0]);
}

}  // namespace

TEST(ConvIsa, PackedScalarMatchesReference) { check_impl(kImpls[0]); }
TEST(ConvIsa, PackedAvx2MatchesReference) { check_impl(kImpls[1]); }
TEST(ConvIsa, PackedAvx512MatchesReference) { check_impl(kImpls[2]); }
TEST(ConvIsa, DepthwiseScalarMatchesReference) { check_impl(kImpls[3]); }
TEST(ConvIsa, DepthwiseAvx2MatchesReference) { check_impl(kImpls[4]); }
TEST(ConvIsa, DepthwiseAvx512MatchesReference) { check_impl(kImpls[5]); }
TEST(ConvIsa, ThreadIndependent) {
  for (const Impl& i : kImpls) {
    if (hardware_isa() < i.isa) continue;
    SCOPED_TRACE(i.name);
    check_threads(i);
  }
}

TEST(ConvIsa, DispatchOrder) {
  // The depthwise kernels come before the packed ones, the reference last.
  std::vector<std::string> names;
  for (const KernelImpl& k : KernelRegistry::builtin().implementations("Conv")) names.push_back(k.name);
  auto pos = [&](const char* n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  EXPECT_LT(pos("conv_dw_f32_scalar"), pos("conv_f32_avx512"));
  EXPECT_EQ(names.back(), "conv_ref");
  // A depthwise node is declined by the depthwise kernels' supports() only when it is not one.
  Case c = make_case(general_problems()[0], 1);
  KernelQuery q{c.node, {}, {}, {}};
  for (const Tensor& t : c.in) q.input_types.push_back(t.type());
  EXPECT_NE(kernels::detail::depthwise_conv_supports(q), "");
  EXPECT_EQ(kernels::detail::packed_conv_supports(q), "");
}

TEST(ConvIsa, FusedKernelsMatchFusedReference) {
  // Every FusedConv kernel (packed and depthwise, each ISA) against fused_conv_ref, with and
  // without a residual and each activation (3-D and pointwise ones too: the AVX2 epilogues in
  // registers).
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  const auto& impls = KernelRegistry::builtin().implementations("FusedConv", "ai.n2d2");
  const KernelImpl* ref = nullptr;
  for (const auto& k : impls)
    if (std::string(k.name) == "fused_conv_ref") ref = &k;
  ASSERT_NE(ref, nullptr);
  const Problem problems[] = {general_problems()[5],  general_problems()[6], general_problems()[8], general_problems()[10],
                              general_problems()[12], general_problems()[13],
                              depthwise_problems()[1], depthwise_problems()[2]};
  int checked = 0;
  for (const Problem& p : problems)
    for (bool residual : {true, false})
    for (const char* act : {"", "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSwish"}) {
      Case c = make_case(p, 50);
      Tensor want0 = kernels::run_node(c.node, c.ptrs, find_impl("conv_ref"), ops)[0];  // Y's shape
      graph::Attributes a = c.node.attrs;
      a.set("activation", std::string(act));
      a.set("alpha", 0.1f);
      a.set("beta", 0.6f);
      if (!p.bias) c.in.push_back(Tensor());
      graph::Node n = test::make_node("FusedConv", 4, 1, a, 1, "ai.n2d2");
      if (!p.bias) n.inputs[2] = graph::kNoValue;
      c.in.push_back(residual ? test::random_tensor(want0.shape(), 77) : Tensor());
      if (!residual) n.inputs[3] = graph::kNoValue;
      std::vector<const Tensor*> ptrs;
      for (const Tensor& t : c.in) ptrs.push_back(t.empty() ? nullptr : &t);
      Tensor want = kernels::run_node(n, ptrs, *ref, ops)[0];
      // The error is made in the sum (conv + bias + residual); the activations are at most
      // 1.5-Lipschitz, so it is normalized by the pre-activation scale (a Clip output's own scale,
      // at most beta, would inflate it).
      graph::Node pre_node = n;
      pre_node.attrs.set("activation", std::string());
      double pre_scale = test::max_abs(kernels::run_node(pre_node, ptrs, *ref, ops)[0]);
      KernelQuery q{n, {}, {}, {}};
      for (const Tensor* t : ptrs) q.input_types.push_back(t ? t->type() : TensorType{});
      for (const KernelImpl& k : impls) {
        if (&k == ref) continue;
        std::string name = k.name;
        Isa isa = name.find("avx512") != std::string::npos ? Isa::Avx512
                  : name.find("avx2") != std::string::npos ? Isa::Avx2
                                                           : Isa::Scalar;
        if (hardware_isa() < isa) continue;
        bool dw = name.find("_dw_") != std::string::npos;
        if (dw && !kernels::detail::depthwise_conv_supports(q).empty()) continue;
        SCOPED_TRACE(name + " " + p.str() + " act=" + act + (residual ? " residual" : ""));
        Tensor got = kernels::run_node(n, ptrs, k, ops)[0];
        EXPECT_LE(test::max_abs_diff(got, want), 1.5e-5 * pre_scale);
        ++checked;
      }
    }
  // At least every packed kernel of each ISA this host runs (scalar, AVX2, AVX-512) per case.
  const int isas = 1 + (hardware_isa() >= Isa::Avx2) + (hardware_isa() >= Isa::Avx512);
  EXPECT_GE(checked, 2 * 5 * 6 * isas);
}
