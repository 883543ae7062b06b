// The AVX2 Softmax / LogSoftmax rows (kernels/reduce/softmax_row_avx2.cpp) against the double-
// precision reference: row lengths around the vector width, large and tiny logits, opset 11
// (coerced 2-D rows) and 13 (last axis); max error <= 1e-6 (Softmax) and 1e-5 relative
// (LogSoftmax); NaN rows stay NaN; a non-last axis is declined.
#include <cmath>
#include <limits>

#include "kernels/cpu/isa.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;

TEST(SoftmaxAvx2, MatchesReference) {
  if (std::string why = require_isa(Isa::Avx2); !why.empty()) GTEST_SKIP() << why;
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  uint64_t seed = 1;
  for (const char* op : {"Softmax", "LogSoftmax"})
    for (int opset : {11, 13})
      for (Shape s : {Shape{1, 1}, Shape{3, 7}, Shape{2, 8}, Shape{4, 9}, Shape{2, 1000}, Shape{2, 3, 17}})
        for (float scale : {1.f, 30.f}) {
          Tensor x = test::random_tensor(s, seed++, -scale, scale);
          graph::Attributes a;
          a.set("axis", int64_t{-1});
          graph::Node n = test::make_node(op, 1, 1, a, opset);
          std::vector<const Tensor*> in = {&x};
          const std::string name = std::string(op) == "Softmax" ? "softmax_f32_avx2" : "logsoftmax_f32_avx2";
          SCOPED_TRACE(std::string(op) + " opset " + std::to_string(opset) + " " + shape_str(s) + " scale " + std::to_string(scale));
          KernelQuery q{n, {x.type()}, {x.type()}, {}};
          ASSERT_EQ(test::kernel_impl(op, name.c_str()).supports(q), "");
          Tensor want = run_node(n, in, test::kernel_impl(op, std::string(op) == "Softmax" ? "softmax_ref" : "logsoftmax_ref"), ops)[0];
          Tensor got = run_node(n, in, test::kernel_impl(op, name.c_str()), ops)[0];
          if (std::string(op) == "Softmax") EXPECT_LE(test::max_abs_diff(got, want), 1e-6);
          else EXPECT_LE(test::normalized_max_error(got, want), 1e-5);
        }
}

TEST(SoftmaxAvx2, NaNRowsAndDeclines) {
  if (std::string why = require_isa(Isa::Avx2); !why.empty()) GTEST_SKIP() << why;
  graph::Attributes a;
  a.set("axis", int64_t{1});
  graph::Node n = test::make_node("Softmax", 1, 1, a, 13);
  Tensor x = test::random_tensor({2, 11}, 3);
  x.data_mut<float>()[13] = std::numeric_limits<float>::quiet_NaN();  // row 1
  std::vector<const Tensor*> in = {&x};
  Tensor got = run_node(n, in, test::kernel_impl("Softmax", "softmax_f32_avx2"), graph::OpRegistry::builtin())[0];
  for (int i = 0; i < 11; ++i) EXPECT_FALSE(std::isnan(got.data<float>()[i])) << i;
  for (int i = 11; i < 22; ++i) EXPECT_TRUE(std::isnan(got.data<float>()[i])) << i;
  graph::Attributes a0;
  a0.set("axis", int64_t{0});
  graph::Node n0 = test::make_node("Softmax", 1, 1, a0, 13);
  KernelQuery q{n0, {TensorType(DType::F32, {3, 4})}, {TensorType(DType::F32, {3, 4})}, {}};
  EXPECT_EQ(test::kernel_impl("Softmax", "softmax_f32_avx2").supports(q), "rows are not contiguous (axis is not the last)");
}
