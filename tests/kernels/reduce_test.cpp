// Reduce* kernels with hand-computed values: axis sets (adjacent or not, negative, default all),
// keepdims, ReduceSum-13's axes input, integer types, empty sets, NaN, and thread independence.
#include <tbb/task_arena.h>

#include <cmath>
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {

graph::Attributes axes_attr(std::vector<int64_t> axes, int64_t keepdims) {
  return attrs({{"axes", std::move(axes)}, {"keepdims", keepdims}});
}
Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }

// x = [[1, 2, 3],
//      [4, 5, 6]]
Tensor x23() { return f32({2, 3}, {1, 2, 3, 4, 5, 6}); }
// t[i][j][k] = 1 + 4i + 2j + k: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
Tensor t222() { return f32({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}); }

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

TEST(Reduce, SumMeanMaxMinAlongAxes) {
  // mean of rows: [2, 5]; of columns (axis -2): [2.5, 3.5, 4.5]
  test::expect_near(run_op("ReduceMean", {x23()}, axes_attr({1}, 1), 1, 13)[0], f32({2, 1}, {2, 5}));
  test::expect_near(run_op("ReduceMean", {x23()}, axes_attr({-2}, 0), 1, 13)[0], f32({3}, {2.5f, 3.5f, 4.5f}));
  test::expect_near(run_op("ReduceMax", {x23()}, axes_attr({0}, 0), 1, 13)[0], f32({3}, {4, 5, 6}));
  test::expect_near(run_op("ReduceMin", {x23()}, axes_attr({1}, 0), 1, 13)[0], f32({2}, {1, 4}));
  // no axes: all of them; 1+..+6 = 21
  test::expect_near(run_op("ReduceSum", {x23()}, {}, 1, 11)[0], f32({1, 1}, {21}));
  test::expect_near(run_op("ReduceMax", {x23()}, attrs({{"keepdims", int64_t{0}}}), 1, 13)[0], Tensor::scalar<float>(6));
}

TEST(Reduce, NonAdjacentAxes) {
  // over axes 0 and 2, for j = 0: 1+2+5+6 = 14, for j = 1: 3+4+7+8 = 22
  test::expect_near(run_op("ReduceSum", {t222()}, axes_attr({0, 2}, 1), 1, 11)[0], f32({1, 2, 1}, {14, 22}));
  test::expect_near(run_op("ReduceMax", {t222()}, axes_attr({2, 0}, 0), 1, 13)[0], f32({2}, {6, 8}));
  // over axes 0 and 1 (merged), for k = 0: 1+3+5+7 = 16, k = 1: 20; mean 4 and 5
  test::expect_near(run_op("ReduceMean", {t222()}, axes_attr({0, -2}, 0), 1, 13)[0], f32({2}, {4, 5}));
}

TEST(Reduce, ProductsNormsAndLogs) {
  const graph::Attributes rows = axes_attr({1}, 0);
  test::expect_near(run_op("ReduceProd", {x23()}, axes_attr({0}, 0), 1, 13)[0], f32({3}, {4, 10, 18}));
  // L1 of [[1, -2], [3, -4]] over everything: 10
  test::expect_near(run_op("ReduceL1", {f32({2, 2}, {1, -2, 3, -4})}, {}, 1, 13)[0], f32({1, 1}, {10}));
  // L2 of [3, 4]: 5; of [1, 2, 3]: sqrt(14)
  test::expect_near(run_op("ReduceL2", {f32({2, 2}, {3, 4, 0, -1})}, rows, 1, 13)[0], f32({2}, {5, 1}));
  test::expect_near(run_op("ReduceL2", {x23()}, rows, 1, 13)[0], f32({2}, {std::sqrt(14.f), std::sqrt(77.f)}));
  test::expect_near(run_op("ReduceSumSquare", {x23()}, rows, 1, 13)[0], f32({2}, {14, 77}));
  // log(1+2+3), log(4+5+6)
  test::expect_near(run_op("ReduceLogSum", {x23()}, rows, 1, 13)[0], f32({2}, {std::log(6.f), std::log(15.f)}));
  // log(e^1000 + e^1000) = 1000 + log 2 without overflow; log(e^-inf + e^-inf) = -inf
  test::expect_near(run_op("ReduceLogSumExp", {f32({2, 2}, {1000, 1000, -kInf, -kInf})}, rows, 1, 13)[0],
                    f32({2}, {1000 + std::log(2.f), -kInf}));
  Tensor d = Tensor::from_vector<double>({3}, {0, std::log(2.0), std::log(5.0)});  // log(1 + 2 + 5) = log 8
  test::expect_near(run_op("ReduceLogSumExp", {d}, attrs({{"keepdims", int64_t{0}}}), 1, 13)[0],
                    Tensor::scalar<double>(std::log(8.0)));
}

TEST(Reduce, ReduceSum13TakesAxesAsInput) {
  const graph::Attributes no_keep = attrs({{"keepdims", int64_t{0}}});
  // columns: [5, 7, 9]
  test::expect_near(run_op("ReduceSum", {x23(), i64({-2})}, no_keep, 1, 13)[0], f32({3}, {5, 7, 9}));
  // axes absent or empty: everything
  test::expect_near(run_op("ReduceSum", {x23()}, no_keep, 1, 13)[0], Tensor::scalar<float>(21));
  test::expect_near(run_op("ReduceSum", {x23(), i64({})}, {}, 1, 13)[0], f32({1, 1}, {21}));
  // empty axes with noop_with_empty_axes: the input unchanged
  auto y = run_op("ReduceSum", {x23(), i64({})}, attrs({{"noop_with_empty_axes", int64_t{1}}}), 1, 13)[0];
  test::expect_equal(y, x23());
}

TEST(Reduce, IntegerTypes) {
  // mean 11/4 = 2.75 and -3/2 = -1.5 truncate toward zero: 2 and -1
  Tensor xi = Tensor::from_vector<int64_t>({2, 4}, {1, 2, 3, 5, -1, -2, 0, 0});
  auto y = run_op("ReduceMean", {xi}, axes_attr({1}, 0), 1, 13)[0];
  EXPECT_EQ(y.to_vector<int64_t>(), (std::vector<int64_t>{2, 0}));
  y = run_op("ReduceMean", {Tensor::from_vector<int64_t>({2}, {-1, -2})}, attrs({{"keepdims", int64_t{0}}}), 1, 13)[0];
  EXPECT_EQ(y.to_vector<int64_t>(), (std::vector<int64_t>{-1}));
  // int32 sums wrap around: 2^31 - 1 + 1 = -2^31
  Tensor big = Tensor::from_vector<int32_t>({2}, {std::numeric_limits<int32_t>::max(), 1});
  y = run_op("ReduceSum", {big}, attrs({{"keepdims", int64_t{0}}}), 1, 13)[0];
  EXPECT_EQ(y.to_vector<int32_t>(), (std::vector<int32_t>{std::numeric_limits<int32_t>::min()}));
  // L2 of [3, -4] = 5; L1 = 7; product = -12
  Tensor p = Tensor::from_vector<int32_t>({2}, {3, -4});
  EXPECT_EQ(run_op("ReduceL2", {p}, {}, 1, 13)[0].to_vector<int32_t>(), (std::vector<int32_t>{5}));
  EXPECT_EQ(run_op("ReduceL1", {p}, {}, 1, 13)[0].to_vector<int32_t>(), (std::vector<int32_t>{7}));
  EXPECT_EQ(run_op("ReduceProd", {p}, {}, 1, 13)[0].to_vector<int32_t>(), (std::vector<int32_t>{-12}));
}

TEST(Reduce, EmptySetsGiveTheIdentities) {
  Tensor e(DType::F32, {2, 0});
  const graph::Attributes rows = axes_attr({1}, 0);
  test::expect_near(run_op("ReduceSum", {e}, rows, 1, 11)[0], f32({2}, {0, 0}));
  test::expect_near(run_op("ReduceProd", {e}, rows, 1, 13)[0], f32({2}, {1, 1}));
  test::expect_near(run_op("ReduceMax", {e}, rows, 1, 13)[0], f32({2}, {-kInf, -kInf}));
  test::expect_near(run_op("ReduceMin", {e}, rows, 1, 13)[0], f32({2}, {kInf, kInf}));
  test::expect_near(run_op("ReduceMean", {e}, rows, 1, 13)[0], f32({2}, {kNaN, kNaN}));
  test::expect_near(run_op("ReduceLogSum", {e}, rows, 1, 13)[0], f32({2}, {-kInf, -kInf}));
  test::expect_near(run_op("ReduceLogSumExp", {e}, rows, 1, 13)[0], f32({2}, {-kInf, -kInf}));
  Tensor ei(DType::I32, {0});
  EXPECT_EQ(run_op("ReduceMax", {ei}, {}, 1, 13)[0].to_vector<int32_t>(),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::min()}));
  // Reducing over no element of kept axes of size 0: an empty output
  EXPECT_EQ(run_op("ReduceSum", {Tensor(DType::F32, {0, 3})}, axes_attr({1}, 1), 1, 11)[0].shape(), (Shape{0, 1}));
}

TEST(Reduce, NaNPropagatesThroughMaxAndMin) {
  Tensor t = f32({2, 3}, {1, kNaN, 3, kNaN, 0, -1});
  test::expect_near(run_op("ReduceMax", {t}, axes_attr({1}, 0), 1, 13)[0], f32({2}, {kNaN, kNaN}));
  test::expect_near(run_op("ReduceMin", {t}, axes_attr({0}, 0), 1, 13)[0], f32({3}, {kNaN, kNaN, -1}));
}

TEST(Reduce, SameBitsForAnyThreadCount) {
  // 64 x 1000: many parallel blocks of outputs, each output reduced sequentially.
  Tensor x = test::random_tensor({64, 1000}, 7);
  for (int64_t axis : {0, 1}) {
    for (const char* op : {"ReduceSum", "ReduceMean", "ReduceLogSumExp"}) {
      std::vector<Tensor> y1, y2;
      tbb::task_arena(1).execute([&] { y1 = run_op(op, {x}, axes_attr({axis}, 0), 1, 11); });
      tbb::task_arena(2).execute([&] { y2 = run_op(op, {x}, axes_attr({axis}, 0), 1, 11); });
      EXPECT_EQ(y1[0].shape(), (Shape{axis == 0 ? 1000 : 64}));
      test::expect_equal(y1[0], y2[0]);
    }
  }
}

TEST(Reduce, RejectsBadAxesAndTypes) {
  EXPECT_THROW(run_op("ReduceMean", {x23()}, axes_attr({2}, 1), 1, 13), Error);
  EXPECT_THROW(run_op("ReduceSum", {x23(), i64({-3})}, {}, 1, 13), Error);
  EXPECT_THROW(run_op("ReduceSum", {x23(), Tensor::from_vector<int32_t>({1}, {0})}, {}, 1, 13), Error);
  EXPECT_THROW(run_op("ReduceSum", {x23()}, axes_attr({0}, 1), 1, 13), Error);  // an input from 13 on
  EXPECT_THROW(run_op("ReduceMax", {Tensor::from_vector<bool>({2}, {true, false})}, {}, 1, 13), Error);
}
