// CumSum with hand-computed sums: exclusive and reverse, axes of a matrix (int32 or int64 axis
// input, negative), integer data, and bad axes.
#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {

graph::Attributes options(int64_t exclusive, int64_t reverse) {
  graph::Attributes a;
  a.set("exclusive", exclusive);
  a.set("reverse", reverse);
  return a;
}
Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }

}  // namespace

TEST(CumSum, ExclusiveAndReverse) {
  Tensor t = f32({4}, {1, 2, 3, 4});
  Tensor axis = Tensor::scalar<int64_t>(0);
  test::expect_near(run_op("CumSum", {t, axis}, {}, 1, 14)[0], f32({4}, {1, 3, 6, 10}));
  test::expect_near(run_op("CumSum", {t, axis}, options(1, 0), 1, 14)[0], f32({4}, {0, 1, 3, 6}));
  test::expect_near(run_op("CumSum", {t, axis}, options(0, 1), 1, 14)[0], f32({4}, {10, 9, 7, 4}));
  test::expect_near(run_op("CumSum", {t, axis}, options(1, 1), 1, 14)[0], f32({4}, {9, 7, 4, 0}));
}

TEST(CumSum, AlongEachAxisOfAMatrix) {
  // x = [[1, 2, 3], [4, 5, 6]]
  Tensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  test::expect_near(run_op("CumSum", {x, Tensor::scalar<int32_t>(0)}, {}, 1, 11)[0], f32({2, 3}, {1, 2, 3, 5, 7, 9}));
  test::expect_near(run_op("CumSum", {x, Tensor::scalar<int32_t>(1)}, {}, 1, 11)[0], f32({2, 3}, {1, 3, 6, 4, 9, 15}));
  test::expect_near(run_op("CumSum", {x, Tensor::from_vector<int64_t>({1}, {-1})}, options(0, 1), 1, 14)[0],
                    f32({2, 3}, {6, 5, 3, 15, 11, 6}));
}

TEST(CumSum, IntegerAndDoubleData) {
  Tensor xi = Tensor::from_vector<int64_t>({3}, {5, -2, 7});
  EXPECT_EQ(run_op("CumSum", {xi, Tensor::scalar<int32_t>(0)}, {}, 1, 14)[0].to_vector<int64_t>(),
            (std::vector<int64_t>{5, 3, 10}));
  Tensor xd = Tensor::from_vector<double>({3}, {0.5, 0.25, 0.125});
  test::expect_near(run_op("CumSum", {xd, Tensor::scalar<int32_t>(0)}, options(1, 0), 1, 14)[0],
                    Tensor::from_vector<double>({3}, {0, 0.5, 0.75}));
}

TEST(CumSum, RejectsBadAxes) {
  Tensor t = f32({4}, {1, 2, 3, 4});
  EXPECT_THROW(run_op("CumSum", {t, Tensor::scalar<int64_t>(1)}, {}, 1, 14), Error);
  EXPECT_THROW(run_op("CumSum", {t, Tensor::scalar<int64_t>(-2)}, {}, 1, 14), Error);
  EXPECT_THROW(run_op("CumSum", {t, Tensor::scalar<float>(0)}, {}, 1, 14), Error);
  EXPECT_THROW(run_op("CumSum", {t, Tensor::from_vector<int64_t>({2}, {0, 0})}, {}, 1, 14), Error);
  EXPECT_THROW(run_op("CumSum", {Tensor::from_vector<bool>({1}, {true}), Tensor::scalar<int64_t>(0)}, {}, 1, 14), Error);
}
