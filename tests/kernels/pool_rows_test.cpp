// The row-loop float MaxPool and GlobalAveragePool kernels (kernels/pool/rows.cpp) against the
// reference kernels over odd shapes: strides, dilations, asymmetric pads, ceil_mode, windows in
// the padding, 1-D; same bits for 1 and 2 threads.
#include <tbb/task_arena.h>

#include <cstring>
#include <limits>

#include "kernels/cpu/isa.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;

namespace {

using ints = std::vector<int64_t>;

struct PoolCase {
  ints x, k, s, d, p;
  int64_t ceil;
};

}  // namespace

TEST(PoolRows, MaxPoolMatchesReference) {
  const PoolCase cases[] = {
      {{1, 3, 13, 11}, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}, 0},
      {{2, 2, 9, 17}, {2, 3}, {1, 2}, {2, 1}, {0, 1, 1, 0}, 1},
      {{1, 4, 7, 7}, {3, 3}, {3, 3}, {1, 1}, {0, 0, 0, 0}, 1},
      {{1, 1, 5, 6}, {2, 2}, {2, 2}, {1, 1}, {1, 1, 1, 1}, 0},  // corner windows mostly padding
      {{1, 2, 31}, {4}, {3}, {2}, {2, 3}, 1},                    // 1-D
      {{1, 5, 112, 112}, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}, 0},  // ResNet stem pool
      {{2, 3, 24, 37}, {2, 2}, {2, 2}, {1, 1}, {0, 0, 0, 0}, 1},    // LeNet-style 2x2/2, odd width
      {{1, 2, 9, 50}, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 0},     // stride 1, rows of 50
  };
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  uint64_t seed = 1;
  for (const PoolCase& c : cases) {
    graph::Attributes a;
    a.set("kernel_shape", c.k);
    a.set("strides", c.s);
    a.set("dilations", c.d);
    a.set("pads", c.p);
    a.set("ceil_mode", c.ceil);
    graph::Node n = test::make_node("MaxPool", 1, 1, a, 12);
    Tensor x = test::random_tensor(c.x, seed++);
    std::vector<const Tensor*> in = {&x};
    SCOPED_TRACE("case " + std::to_string(seed - 1));
    Tensor want = run_node(n, in, test::kernel_impl("MaxPool", "maxpool_ref"), ops)[0];
    for (const char* name : {"maxpool_f32_rows", "maxpool_f32_avx2"}) {
      if (name == std::string("maxpool_f32_avx2") && !require_isa(Isa::Avx2).empty()) continue;  // CPU or N2D2_MAX_ISA
      SCOPED_TRACE(name);
      Tensor got = run_node(n, in, test::kernel_impl("MaxPool", name), ops)[0];
      test::expect_equal(got, want);  // maxima are exact
      std::vector<Tensor> two;
      tbb::task_arena(2).execute([&] { two = run_node(n, in, test::kernel_impl("MaxPool", name), ops); });
      test::expect_equal(two[0], got);
    }
  }
  // With the Indices output, the reference runs.
  graph::Attributes a;
  a.set("kernel_shape", ints{2, 2});
  graph::Node n2 = test::make_node("MaxPool", 1, 2, a, 12);
  KernelQuery q{n2, {TensorType(DType::F32, {1, 1, 4, 4})}, {}, {}};
  EXPECT_EQ(test::kernel_impl("MaxPool", "maxpool_f32_rows").supports(q), "Indices output");
}

TEST(PoolRows, MaxPoolAvx2SupportsAndNaNs) {
  if (std::string why = require_isa(Isa::Avx2); !why.empty()) GTEST_SKIP() << why;
  graph::Attributes a;
  a.set("kernel_shape", ints{2, 2});
  a.set("strides", ints{2, 2});
  graph::Node n = test::make_node("MaxPool", 1, 1, a, 12);
  KernelQuery q{n, {TensorType(DType::F32, {1, 1, 4, 4})}, {}, {}};
  EXPECT_EQ(test::kernel_impl("MaxPool", "maxpool_f32_avx2").supports(q), "");
  KernelQuery q8{n, {TensorType(DType::U8, {1, 1, 4, 4})}, {}, {}};
  EXPECT_EQ(test::kernel_impl("MaxPool", "maxpool_f32_avx2").supports(q8), "input 0 has unsupported type uint8");
  // NaNs anywhere in a window: the AVX2 row step keeps std::max's order, bit for bit.
  Tensor x = test::random_tensor({1, 2, 6, 38}, 5);
  float* px = x.data_mut<float>();
  for (int64_t i = 0; i < x.numel(); i += 7) px[i] = std::numeric_limits<float>::quiet_NaN();
  std::vector<const Tensor*> in = {&x};
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  Tensor want = run_node(n, in, test::kernel_impl("MaxPool", "maxpool_f32_rows"), ops)[0];
  Tensor got = run_node(n, in, test::kernel_impl("MaxPool", "maxpool_f32_avx2"), ops)[0];
  ASSERT_EQ(got.numel(), want.numel());
  EXPECT_EQ(std::memcmp(got.raw(), want.raw(), static_cast<std::size_t>(got.numel()) * sizeof(float)), 0);
}

TEST(PoolRows, GlobalAveragePoolMatchesReference) {
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  for (ints shape : {ints{1, 3, 7, 7}, ints{2, 5, 1, 1}, ints{1, 2, 17, 33}, ints{3, 4, 5}, ints{1, 2, 3, 4, 5}}) {
    graph::Node n = test::make_node("GlobalAveragePool", 1, 1);
    Tensor x = test::random_tensor(shape, 9);
    std::vector<const Tensor*> in = {&x};
    Tensor want = run_node(n, in, test::kernel_impl("GlobalAveragePool", "global_avgpool_ref"), ops)[0];
    Tensor got = run_node(n, in, test::kernel_impl("GlobalAveragePool", "global_avgpool_f32_rows"), ops)[0];
    test::expect_near(got, want, 1e-6, 1e-6);
  }
}
