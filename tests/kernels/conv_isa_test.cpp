// The im2col convolution on every GEMM core (scalar reference, AVX2, AVX-512) against the
// reference Conv kernel over odd shapes: 1-D/2-D/3-D, strides, dilations, asymmetric padding,
// groups, bias, tails; and the dispatcher's choice.
#include <tbb/task_arena.h>

#include "kernels/conv/conv.h"
#include "kernels/cpu/isa.h"
#include "kernels/run_node.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;
namespace kd = n2d2::kernels::detail;

namespace {

struct Case {
  Shape x, w;
  std::vector<int64_t> strides, dilations, pads;
  int64_t group = 1;
  bool bias = true;
};

const KernelImpl& impl(const std::string& name) {
  for (const KernelImpl& k : KernelRegistry::builtin().implementations("Conv"))
    if (name == k.name) return k;
  throw Error("no kernel " + name);
}

// Runs the reference Conv and the im2col kernel on `core` for one case.
void check_case(const Case& cs, kd::MatmulF32 core, uint64_t seed) {
  graph::Attributes a;
  if (!cs.strides.empty()) a.set("strides", cs.strides);
  if (!cs.dilations.empty()) a.set("dilations", cs.dilations);
  if (!cs.pads.empty()) a.set("pads", cs.pads);
  a.set("group", cs.group);
  Tensor x = test::random_tensor(cs.x, seed), w = test::random_tensor(cs.w, seed + 1), b = test::random_tensor({cs.w[0]}, seed + 2);
  std::vector<const Tensor*> in = {&x, &w};
  if (cs.bias) in.push_back(&b);
  graph::Node n = test::make_node("Conv", static_cast<int>(in.size()), 1, a);
  std::vector<Tensor> want = run_node(n, in, impl("conv_ref"), graph::OpRegistry::builtin());
  // The im2col body with the given core, through a kernel context on the reference's output shape.
  Tensor got(DType::F32, want[0].shape());
  std::vector<Tensor> outs = {got};
  KernelContext ctx{n, in, outs};
  ASSERT_TRUE(kd::conv_f32_im2col_with(ctx, core).is_ok());
  test::expect_near(outs[0], want[0], 1e-5, 1e-5);
}

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {{1, 1, 28, 28}, {6, 1, 5, 5}},                                         // LeNet conv1
      {{2, 6, 12, 12}, {16, 6, 5, 5}, {}, {}, {}, 1, false},                  // LeNet conv2, no bias
      {{1, 3, 23, 19}, {8, 3, 7, 7}, {2, 2}, {}, {3, 3, 3, 3}},               // ResNet stem, odd size
      {{2, 5, 9, 11}, {7, 5, 3, 3}, {1, 1}, {}, {1, 1, 1, 1}},
      {{1, 4, 13, 10}, {6, 4, 3, 3}, {2, 1}, {2, 2}, {0, 1, 2, 0}},           // strides, dilations, asymmetric pads
      {{1, 6, 9, 9}, {9, 2, 3, 3}, {1, 1}, {}, {1, 1, 1, 1}, 3},              // groups
      {{3, 4, 17}, {5, 4, 3}, {2}, {1}, {1, 0}},                              // 1-D
      {{1, 2, 5, 6, 7}, {3, 2, 3, 2, 3}, {1, 2, 1}, {}, {1, 0, 1, 1, 1, 0}},  // 3-D
      {{1, 3, 8, 8}, {5, 3, 1, 1}, {2, 2}},                                   // strided 1x1
      {{1, 33, 5, 5}, {17, 33, 3, 3}, {}, {}, {1, 1, 1, 1}},                  // K and M tails
      {{1, 2, 3, 3}, {3, 2, 2, 2}, {1, 1}, {}, {3, 4, 3, 2}},                 // pads wider than the kernel
  };
  return c;
}

void check_all(kd::MatmulF32 core, Isa isa) {
  if (hardware_isa() < isa) GTEST_SKIP() << "CPU lacks " << isa_name(isa);
  uint64_t seed = 100;
  for (std::size_t i = 0; i < cases().size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    check_case(cases()[i], core, seed += 3);
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace

TEST(ConvIsa, Im2colOnScalarCoreMatchesReference) { check_all(kd::matmul_rowmajor<float>, Isa::Scalar); }
TEST(ConvIsa, Im2colOnAvx2MatchesReference) { check_all(kd::matmul_f32_avx2, Isa::Avx2); }
TEST(ConvIsa, Im2colOnAvx512MatchesReference) { check_all(kd::matmul_f32_avx512, Isa::Avx512); }

TEST(ConvIsa, Im2colIsThreadIndependent) {
  Case cs{{2, 16, 19, 21}, {24, 16, 3, 3}, {1, 1}, {}, {1, 1, 1, 1}};
  graph::Attributes a;
  a.set("pads", cs.pads);
  Tensor x = test::random_tensor(cs.x, 7), w = test::random_tensor(cs.w, 8);
  std::vector<const Tensor*> in = {&x, &w};
  graph::Node n = test::make_node("Conv", 2, 1, a);
  std::vector<Tensor> r1, r2;
  tbb::task_arena(1).execute([&] { r1 = run_node(n, in, impl("conv_f32_im2col"), graph::OpRegistry::builtin()); });
  tbb::task_arena(2).execute([&] { r2 = run_node(n, in, impl("conv_f32_im2col"), graph::OpRegistry::builtin()); });
  test::expect_equal(r1[0], r2[0]);
}

TEST(ConvIsa, DispatchPrefersIm2colButLeavesDepthwiseAndDoubleToTheReference) {
  auto choose = [](const Shape& x, const Shape& w, int64_t group, DType t) {
    graph::Attributes a;
    a.set("group", group);
    graph::Node n = test::make_node("Conv", 2, 1, a);
    KernelQuery q{n, {TensorType(t, x), TensorType(t, w)}, {TensorType(t, {})}, {false, true}};
    return std::string(KernelRegistry::builtin().select(q).impl->name);
  };
  EXPECT_EQ(choose({1, 3, 9, 9}, {4, 3, 3, 3}, 1, DType::F32), "conv_f32_im2col");
  EXPECT_EQ(choose({1, 3, 9, 9}, {4, 3, 1, 1}, 1, DType::F32), "conv1x1_f32_gemm");
  EXPECT_EQ(choose({1, 8, 9, 9}, {8, 1, 3, 3}, 8, DType::F32), "conv_ref");
  EXPECT_EQ(choose({1, 3, 9, 9}, {4, 3, 3, 3}, 1, DType::F64), "conv_ref");
}
