// Reduce family with hand-computed values.
#include <cmath>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {
graph::Attributes attrs(std::initializer_list<std::pair<const char*, graph::AttrValue>> kv) {
  graph::Attributes a;
  for (const auto& [k, v] : kv) a.set(k, v);
  return a;
}
// x = [[1, 2, 3],
//      [4, 5, 6]]
Tensor x23() { return Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6}); }
}  // namespace

TEST(Reduce, MeanSumMaxOverAxes) {
  // mean over axis 1 keepdims: [2, 5]
  auto y = run_op("ReduceMean", {x23()}, attrs({{"axes", std::vector<int64_t>{1}}}), 1, 11)[0];
  test::expect_near(y, Tensor::from_vector<float>({2, 1}, {2, 5}));
  // sum over all axes, keepdims=0 (ReduceSum-13, no axes input): 21 as a scalar
  y = run_op("ReduceSum", {x23()}, attrs({{"keepdims", int64_t{0}}}), 1, 13)[0];
  test::expect_near(y, Tensor::scalar<float>(21));
  // sum over axis -2 given as input: [5, 7, 9]
  y = run_op("ReduceSum", {x23(), Tensor::from_vector<int64_t>({1}, {-2})}, attrs({{"keepdims", int64_t{0}}}), 1, 13)[0];
  test::expect_near(y, Tensor::from_vector<float>({3}, {5, 7, 9}));
  // max over axis 0: [4, 5, 6]; min over axis 1: [1, 4]
  y = run_op("ReduceMax", {x23()}, attrs({{"axes", std::vector<int64_t>{0}}, {"keepdims", int64_t{0}}}), 1, 13)[0];
  test::expect_near(y, Tensor::from_vector<float>({3}, {4, 5, 6}));
  y = run_op("ReduceMin", {x23()}, attrs({{"axes", std::vector<int64_t>{1}}, {"keepdims", int64_t{0}}}), 1, 13)[0];
  test::expect_near(y, Tensor::from_vector<float>({2}, {1, 4}));
}

TEST(Reduce, NormsProductsAndLogs) {
  auto a1 = attrs({{"axes", std::vector<int64_t>{1}}, {"keepdims", int64_t{0}}});
  // prod: [6, 120]; L1 of [[1,-2],[3,-4]] rows: [3, 7]; L2 rows of x: [sqrt(14), sqrt(77)]
  test::expect_near(run_op("ReduceProd", {x23()}, a1, 1, 13)[0], Tensor::from_vector<float>({2}, {6, 120}));
  Tensor neg = Tensor::from_vector<float>({2, 2}, {1, -2, 3, -4});
  test::expect_near(run_op("ReduceL1", {neg}, a1, 1, 13)[0], Tensor::from_vector<float>({2}, {3, 7}));
  test::expect_near(run_op("ReduceL2", {x23()}, a1, 1, 13)[0],
                    Tensor::from_vector<float>({2}, {std::sqrt(14.f), std::sqrt(77.f)}));
  test::expect_near(run_op("ReduceSumSquare", {x23()}, a1, 1, 13)[0], Tensor::from_vector<float>({2}, {14, 77}));
  test::expect_near(run_op("ReduceLogSum", {x23()}, a1, 1, 13)[0], Tensor::from_vector<float>({2}, {std::log(6.f), std::log(15.f)}));
  // logsumexp of [1000, 1000] = 1000 + log 2 (no overflow)
  Tensor big = Tensor::from_vector<float>({1, 2}, {1000, 1000});
  test::expect_near(run_op("ReduceLogSumExp", {big}, a1, 1, 13)[0], Tensor::from_vector<float>({1}, {1000 + std::log(2.f)}));
}

TEST(Reduce, IntegerMeanTruncatesAndNoopKeepsInput) {
  Tensor xi = Tensor::from_vector<int64_t>({1, 4}, {1, 2, 3, 5});  // mean 11/4 -> 2
  auto y = run_op("ReduceMean", {xi}, attrs({{"keepdims", int64_t{0}}}), 1, 13)[0];
  EXPECT_EQ(y.to_vector<int64_t>(), (std::vector<int64_t>{2}));
  y = run_op("ReduceSum", {x23(), Tensor(DType::I64, {0})}, attrs({{"noop_with_empty_axes", int64_t{1}}}), 1, 13)[0];
  test::expect_equal(y, x23());
}

TEST(Reduce, BadAxisIsAnError) {
  EXPECT_THROW(run_op("ReduceMean", {x23()}, attrs({{"axes", std::vector<int64_t>{2}}}), 1, 13), Error);
  EXPECT_THROW(run_op("ArgMax", {x23()}, attrs({{"axis", int64_t{-3}}}), 1, 13), Error);
}

TEST(ArgMaxMin, FirstOrLastIndexOfTies) {
  Tensor t = Tensor::from_vector<float>({2, 3}, {1, 3, 3, 7, 0, 7});
  auto y = run_op("ArgMax", {t}, attrs({{"axis", int64_t{1}}}), 1, 13)[0];
  EXPECT_EQ(y.shape(), (Shape{2, 1}));
  EXPECT_EQ(y.to_vector<int64_t>(), (std::vector<int64_t>{1, 0}));
  y = run_op("ArgMax", {t}, attrs({{"axis", int64_t{1}}, {"select_last_index", int64_t{1}}, {"keepdims", int64_t{0}}}), 1, 13)[0];
  EXPECT_EQ(y.to_vector<int64_t>(), (std::vector<int64_t>{2, 2}));
  y = run_op("ArgMin", {t}, attrs({{"axis", int64_t{0}}, {"keepdims", int64_t{0}}}), 1, 13)[0];
  EXPECT_EQ(y.to_vector<int64_t>(), (std::vector<int64_t>{0, 1, 0}));
}

TEST(Softmax, Opset13AlongAxisAndOpset11Coerced) {
  // softmax([0, ln 3]) = [1/4, 3/4]
  Tensor t = Tensor::from_vector<float>({1, 2}, {0, std::log(3.f)});
  test::expect_near(run_op("Softmax", {t}, {}, 1, 13)[0], Tensor::from_vector<float>({1, 2}, {0.25f, 0.75f}));
  test::expect_near(run_op("LogSoftmax", {t}, {}, 1, 13)[0],
                    Tensor::from_vector<float>({1, 2}, {std::log(0.25f), std::log(0.75f)}));
  // [1,2,2] with opset-11 axis=1 normalizes over all 4 values; opset-13 axis=1 over pairs.
  Tensor z = Tensor::from_vector<float>({1, 2, 2}, {0, 0, 0, 0});
  test::expect_near(run_op("Softmax", {z}, attrs({{"axis", int64_t{1}}}), 1, 11)[0],
                    Tensor::from_vector<float>({1, 2, 2}, {0.25f, 0.25f, 0.25f, 0.25f}));
  test::expect_near(run_op("Softmax", {z}, attrs({{"axis", int64_t{1}}}), 1, 13)[0],
                    Tensor::from_vector<float>({1, 2, 2}, {0.5f, 0.5f, 0.5f, 0.5f}));
  test::expect_near(run_op("Hardmax", {Tensor::from_vector<float>({2, 2}, {1, 1, 0, 2})}, {}, 1, 13)[0],
                    Tensor::from_vector<float>({2, 2}, {1, 0, 0, 1}));
}

TEST(CumSum, ExclusiveAndReverse) {
  Tensor t = Tensor::from_vector<float>({4}, {1, 2, 3, 4});
  Tensor ax = Tensor::scalar<int64_t>(0);
  test::expect_near(run_op("CumSum", {t, ax}, {}, 1, 14)[0], Tensor::from_vector<float>({4}, {1, 3, 6, 10}));
  test::expect_near(run_op("CumSum", {t, ax}, attrs({{"exclusive", int64_t{1}}}), 1, 14)[0],
                    Tensor::from_vector<float>({4}, {0, 1, 3, 6}));
  test::expect_near(run_op("CumSum", {t, ax}, attrs({{"reverse", int64_t{1}}}), 1, 14)[0],
                    Tensor::from_vector<float>({4}, {10, 9, 7, 4}));
  EXPECT_THROW(run_op("CumSum", {t, Tensor::scalar<int64_t>(3)}, {}, 1, 14), Error);
}
