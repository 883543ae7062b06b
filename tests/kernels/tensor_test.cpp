// Tensor family with hand-computed values.
#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {
graph::Attributes attrs(std::initializer_list<std::pair<const char*, graph::AttrValue>> kv) {
  graph::Attributes a;
  for (const auto& [k, v] : kv) a.set(k, v);
  return a;
}
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
// x = [[0 1 2], [3 4 5]]
Tensor x23() { return f({2, 3}, {0, 1, 2, 3, 4, 5}); }
}  // namespace

TEST(TensorOps, ReshapeIsAViewWithZeroAndMinusOne) {
  Tensor x = x23();
  Tensor y = run_op("Reshape", {x, i64({0, -1, 1})})[0];
  EXPECT_EQ(y.shape(), (Shape{2, 3, 1}));
  EXPECT_TRUE(y.shares_buffer(x));
  EXPECT_THROW(run_op("Reshape", {x, i64({4, -1})}), Error);
  EXPECT_THROW(run_op("Reshape", {x, i64({-1, -1})}), Error);
  // allowzero=1 keeps a literal 0: shape [0, 6] is a different number of elements
  EXPECT_THROW(run_op("Reshape", {x, i64({0, 6})}, attrs({{"allowzero", int64_t{1}}}), 1, 14), Error);
  EXPECT_EQ(run_op("Flatten", {f({2, 3, 1}, {0, 1, 2, 3, 4, 5})}, attrs({{"axis", int64_t{-1}}}))[0].shape(), (Shape{6, 1}));
  EXPECT_EQ(run_op("Unsqueeze", {x, i64({0, -1})}, {}, 1, 13)[0].shape(), (Shape{1, 2, 3, 1}));
  EXPECT_EQ(run_op("Squeeze", {f({1, 3, 1}, {1, 2, 3})}, {}, 1, 13)[0].shape(), (Shape{3}));
  EXPECT_THROW(run_op("Squeeze", {x, i64({0})}, {}, 1, 13), Error);
}

TEST(TensorOps, TransposeConcatSplit) {
  // transpose -> [[0 3], [1 4], [2 5]]
  test::expect_near(run_op("Transpose", {x23()})[0], f({3, 2}, {0, 3, 1, 4, 2, 5}));
  test::expect_near(run_op("Concat", {x23(), f({2, 1}, {9, 8})}, attrs({{"axis", int64_t{-1}}}))[0],
                    f({2, 4}, {0, 1, 2, 9, 3, 4, 5, 8}));
  auto parts = run_op("Split", {x23(), i64({1, 2})}, attrs({{"axis", int64_t{1}}}), 2, 13);
  test::expect_near(parts[0], f({2, 1}, {0, 3}));
  test::expect_near(parts[1], f({2, 2}, {1, 2, 4, 5}));
  EXPECT_THROW(run_op("Split", {x23()}, attrs({{"axis", int64_t{1}}}), 2, 13), Error);  // 3 is not even
}

TEST(TensorOps, SliceWithNegativeStepsAndClamping) {
  // rows all, columns from the end backwards: [[2 1 0], [5 4 3]]
  Tensor y = run_op("Slice", {x23(), i64({-1}), i64({INT64_MIN}), i64({1}), i64({-1})})[0];
  test::expect_near(y, f({2, 3}, {2, 1, 0, 5, 4, 3}));
  // huge end clamps: columns 1.. -> [[1 2], [4 5]]
  test::expect_near(run_op("Slice", {x23(), i64({1}), i64({INT64_MAX}), i64({1})})[0], f({2, 2}, {1, 2, 4, 5}));
  // opset 1 attributes, step 2 on axis 1 via opset 10 input
  test::expect_near(run_op("Slice", {x23(), i64({0}), i64({3}), i64({1}), i64({2})})[0], f({2, 2}, {0, 2, 3, 5}));
}

TEST(TensorOps, GatherExpandTileShape) {
  // gather rows [1, -2] -> rows 1 and 0
  test::expect_near(run_op("Gather", {x23(), i64({1, -2})})[0], f({2, 3}, {3, 4, 5, 0, 1, 2}));
  EXPECT_THROW(run_op("Gather", {x23(), i64({2})}), Error);
  test::expect_near(run_op("GatherElements", {x23(), Tensor::from_vector<int64_t>({2, 1}, {2, 0})}, attrs({{"axis", int64_t{1}}}))[0],
                    f({2, 1}, {2, 3}));
  test::expect_near(run_op("Expand", {f({2, 1}, {7, 8}), i64({2, 2})})[0], f({2, 2}, {7, 7, 8, 8}));
  test::expect_near(run_op("Tile", {f({2}, {1, 2}), i64({2})})[0], f({4}, {1, 2, 1, 2}));
  EXPECT_EQ(run_op("Shape", {x23()})[0].to_vector<int64_t>(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(run_op("Shape", {x23()}, attrs({{"start", int64_t{-1}}}), 1, 15)[0].to_vector<int64_t>(), (std::vector<int64_t>{3}));
  EXPECT_EQ(run_op("Size", {x23()})[0].to_vector<int64_t>(), (std::vector<int64_t>{6}));
}

TEST(TensorOps, MakersAndIndexing) {
  graph::Attributes v;
  v.set("value", Tensor::from_vector<int32_t>({1}, {7}));
  Tensor c = run_op("ConstantOfShape", {i64({2, 2})}, v)[0];
  EXPECT_EQ(c.to_vector<int32_t>(), (std::vector<int32_t>{7, 7, 7, 7}));
  EXPECT_EQ(run_op("Range", {Tensor::scalar<int64_t>(1), Tensor::scalar<int64_t>(8), Tensor::scalar<int64_t>(3)})[0].to_vector<int64_t>(),
            (std::vector<int64_t>{1, 4, 7}));
  test::expect_near(run_op("Trilu", {f({2, 2}, {1, 2, 3, 4})}, attrs({{"upper", int64_t{0}}}))[0], f({2, 2}, {1, 0, 3, 4}));
  Tensor nz = run_op("NonZero", {f({2, 2}, {0, 1, 1, 0})})[0];
  EXPECT_EQ(nz.shape(), (Shape{2, 2}));
  EXPECT_EQ(nz.to_vector<int64_t>(), (std::vector<int64_t>{0, 1, 1, 0}));  // (0,1) and (1,0)
  auto topk = run_op("TopK", {f({4}, {1, 3, 2, 3}), i64({2})}, {}, 2);
  test::expect_near(topk[0], f({2}, {3, 3}));
  EXPECT_EQ(topk[1].to_vector<int64_t>(), (std::vector<int64_t>{1, 3}));
  test::expect_near(run_op("OneHot", {i64({1, 0}), Tensor::scalar<int64_t>(3), f({2}, {0, 5})})[0], f({2, 3}, {0, 5, 0, 5, 0, 0}));
}

TEST(TensorOps, DropoutIsIdentityWithTrueMask) {
  auto out = run_op("Dropout", {x23()}, {}, 2, 13);
  EXPECT_TRUE(out[0].shares_buffer(x23()) || out[0].to_vector<float>() == x23().to_vector<float>());
  EXPECT_EQ(out[1].to_vector<bool>(), std::vector<bool>(6, true));
  EXPECT_THROW(run_op("Dropout", {x23(), Tensor::scalar<float>(0.5f), Tensor::scalar<bool>(true)}, {}, 1, 13), Error);
}
