// Transpose, Concat, Split, Slice, Expand and Tile with hand-computed values, over several
// element types (the kernels copy bytes), plus the shapes they reject.
#include <cstdint>
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using test::attrs;
using test::run_op;

namespace {

graph::Attributes axis(int64_t a) { return attrs({{"axis", a}}); }
Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
template <class T>
Tensor iota(Shape s) {
  Tensor t(DTypeOf<T>::value, std::move(s));
  for (int64_t i = 0; i < t.numel(); ++i) t.data_mut<T>()[i] = static_cast<T>(i);
  return t;
}
// x = [[0 1 2], [3 4 5]]
Tensor x23() { return iota<float>({2, 3}); }
constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();

}  // namespace

TEST(TensorMovement, TransposeDefaultReversesTheAxes) {
  // [[0 1 2], [3 4 5]] -> [[0 3], [1 4], [2 5]]
  test::expect_near(run_op("Transpose", {x23()})[0], f32({3, 2}, {0, 3, 1, 4, 2, 5}));
}

TEST(TensorMovement, TransposeWithPermOnThreeAxes) {
  // x[i][j][k] = 6i + 3j + k over [2, 2, 3]; perm [1, 2, 0]: y[j][k][i] = x[i][j][k], shape [2, 3, 2]
  Tensor x = iota<int16_t>({2, 2, 3});
  Tensor y = run_op("Transpose", {x}, attrs({{"perm", std::vector<int64_t>{1, 2, 0}}}))[0];
  ASSERT_EQ(y.shape(), (Shape{2, 3, 2}));
  // y[0] = [[x000 x100], [x001 x101], [x002 x102]] = [[0 6], [1 7], [2 8]], y[1] = [[3 9], [4 10], [5 11]]
  EXPECT_EQ(y.to_vector<int16_t>(), (std::vector<int16_t>{0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}));
  EXPECT_THROW(run_op("Transpose", {x}, attrs({{"perm", std::vector<int64_t>{0, 0, 1}}})), Error);
  EXPECT_THROW(run_op("Transpose", {x}, attrs({{"perm", std::vector<int64_t>{1, 0}}})), Error);
}

TEST(TensorMovement, ConcatAlongEachAxis) {
  // axis -1: rows side by side -> [[0 1 2 9], [3 4 5 8]]
  test::expect_near(run_op("Concat", {x23(), f32({2, 1}, {9, 8})}, axis(-1))[0], f32({2, 4}, {0, 1, 2, 9, 3, 4, 5, 8}));
  // axis 0 with three inputs, one of them empty: [[0 1 2], [3 4 5], [7 7 7]]
  Tensor y = run_op("Concat", {x23(), Tensor(DType::F32, {0, 3}), f32({1, 3}, {7, 7, 7})}, axis(0))[0];
  test::expect_near(y, f32({3, 3}, {0, 1, 2, 3, 4, 5, 7, 7, 7}));
  Tensor b = run_op("Concat", {Tensor::from_vector<bool>({1}, {true}), Tensor::from_vector<bool>({2}, {false, true})}, axis(0))[0];
  EXPECT_EQ(b.to_vector<bool>(), (std::vector<bool>{true, false, true}));
}

TEST(TensorMovement, ConcatRejectsMismatches) {
  EXPECT_THROW(run_op("Concat", {x23(), f32({3, 1}, {1, 2, 3})}, axis(1)), Error);  // 2 rows vs 3
  EXPECT_THROW(run_op("Concat", {x23(), f32({3}, {1, 2, 3})}, axis(0)), Error);     // ranks differ
  EXPECT_THROW(run_op("Concat", {x23(), iota<int32_t>({1, 3})}, axis(0)), Error);    // types differ
  EXPECT_THROW(run_op("Concat", {x23(), x23()}, axis(2)), Error);
  EXPECT_THROW(run_op("Concat", {x23()}, {}, 1, 13), Error);  // axis is required from opset 4
}

TEST(TensorMovement, SplitBySizesOrEqually) {
  // opset 13: sizes as an input; axis 1 into [1, 2] columns
  auto parts = run_op("Split", {x23(), i64({1, 2})}, axis(1), 2, 13);
  test::expect_near(parts[0], f32({2, 1}, {0, 3}));
  test::expect_near(parts[1], f32({2, 2}, {1, 2, 4, 5}));
  // equal parts along axis 0 (default), int8 data
  auto rows = run_op("Split", {iota<int8_t>({2, 3})}, {}, 2, 13);
  EXPECT_EQ(rows[0].to_vector<int8_t>(), (std::vector<int8_t>{0, 1, 2}));
  EXPECT_EQ(rows[1].to_vector<int8_t>(), (std::vector<int8_t>{3, 4, 5}));
  // opset 11: sizes as an attribute, a zero-size part included
  auto three = run_op("Split", {iota<float>({4})}, attrs({{"split", std::vector<int64_t>{3, 0, 1}}}), 3, 11);
  test::expect_near(three[0], f32({3}, {0, 1, 2}));
  EXPECT_EQ(three[1].shape(), (Shape{0}));
  test::expect_near(three[2], f32({1}, {3}));
}

TEST(TensorMovement, SplitRejectsBadSizes) {
  EXPECT_THROW(run_op("Split", {x23()}, axis(1), 2, 13), Error);                  // 3 columns, 2 equal parts
  EXPECT_THROW(run_op("Split", {x23(), i64({1, 1})}, axis(1), 2, 13), Error);     // sums to 2, not 3
  EXPECT_THROW(run_op("Split", {x23(), i64({1, 1, 1})}, axis(1), 2, 13), Error);  // 3 sizes, 2 outputs
  EXPECT_THROW(run_op("Split", {x23(), i64({4, -1})}, axis(1), 2, 13), Error);    // negative size
}

TEST(TensorMovement, SliceWithStepsAndNegativeIndices) {
  Tensor x = iota<float>({3, 4});  // rows [0..3], [4..7], [8..11]
  // rows 1.. (end INT64_MAX clamps), columns 0..4 by 2 -> [[4 6], [8 10]]
  test::expect_near(run_op("Slice", {x, i64({1, 0}), i64({kMax, 4}), i64({0, 1}), i64({1, 2})})[0],
                    f32({2, 2}, {4, 6, 8, 10}));
  // columns -1 down to the start (end INT64_MIN clamps to -1): every row reversed
  test::expect_near(run_op("Slice", {x, i64({-1}), i64({kMin}), i64({1}), i64({-1})})[0],
                    f32({3, 4}, {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8}));
  // axis -2 (rows) from 2 down to 0 exclusive by -2: row 2 only
  test::expect_near(run_op("Slice", {x, i64({2}), i64({0}), i64({-2}), i64({-2})})[0], f32({1, 4}, {8, 9, 10, 11}));
  // starts beyond ends: an empty slice
  EXPECT_EQ(run_op("Slice", {x, i64({3}), i64({1}), i64({1})})[0].shape(), (Shape{3, 0}));
  // a huge step takes one element
  test::expect_near(run_op("Slice", {x, i64({1}), i64({4}), i64({1}), i64({kMax})})[0], f32({3, 1}, {1, 5, 9}));
}

TEST(TensorMovement, SliceOpset1ReadsAttributes) {
  graph::Attributes a = attrs({{"starts", std::vector<int64_t>{0, 1}}, {"ends", std::vector<int64_t>{-1, 1000}}});
  // rows 0..-1 (= 0..1), columns 1..end -> [[1 2]]
  test::expect_near(run_op("Slice", {x23()}, a, 1, 1)[0], f32({1, 2}, {1, 2}));
}

TEST(TensorMovement, SliceRejectsBadParameters) {
  EXPECT_THROW(run_op("Slice", {x23(), i64({0}), i64({1}), i64({0}), i64({0})}), Error);           // step 0
  EXPECT_THROW(run_op("Slice", {x23(), i64({0, 0}), i64({1}), i64({0})}), Error);                  // lengths differ
  EXPECT_THROW(run_op("Slice", {x23(), i64({0}), i64({1}), i64({2})}), Error);                     // axis 2
  EXPECT_THROW(run_op("Slice", {x23(), i64({0, 0}), i64({1, 1}), i64({1, -1})}), Error);          // axis twice
}

TEST(TensorMovement, ExpandBroadcastsLikeNumpy) {
  // [2, 1] x shape [2, 2] -> each row repeats its value
  test::expect_near(run_op("Expand", {f32({2, 1}, {7, 8}), i64({2, 2})})[0], f32({2, 2}, {7, 7, 8, 8}));
  // [3] x shape [2, 1]: a new leading dim of 2, the 1 keeps 3 -> [2, 3]
  Tensor y = run_op("Expand", {Tensor::from_vector<double>({3}, {1, 2, 3}), i64({2, 1})})[0];
  EXPECT_EQ(y.to_vector<double>(), (std::vector<double>{1, 2, 3, 1, 2, 3}));
  EXPECT_THROW(run_op("Expand", {f32({2}, {1, 2}), i64({3})}), Error);
  EXPECT_THROW(run_op("Expand", {f32({2}, {1, 2}), i64({-1, 2})}), Error);
}

TEST(TensorMovement, TileRepeatsEveryAxis) {
  // [[0 1 2], [3 4 5]] tiled [2, 2]:
  // [[0 1 2 0 1 2], [3 4 5 3 4 5], [0 1 2 0 1 2], [3 4 5 3 4 5]]
  Tensor y = run_op("Tile", {iota<int32_t>({2, 3}), i64({2, 2})})[0];
  ASSERT_EQ(y.shape(), (Shape{4, 6}));
  EXPECT_EQ(y.to_vector<int32_t>(), (std::vector<int32_t>{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5,
                                                          0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}));
  EXPECT_EQ(run_op("Tile", {x23(), i64({0, 1})})[0].shape(), (Shape{0, 3}));
  EXPECT_THROW(run_op("Tile", {x23(), i64({2})}), Error);       // one repeat per axis
  EXPECT_THROW(run_op("Tile", {x23(), i64({1, -1})}), Error);   // negative
}

TEST(TensorMovement, LargeCopiesMatchAPlainLoop) {
  // Big enough for several parallel blocks: Transpose of [64, 300] against the definition.
  Tensor x = iota<float>({64, 300});
  Tensor y = run_op("Transpose", {x})[0];
  bool same = true;
  for (int64_t i = 0; i < 300; ++i)
    for (int64_t j = 0; j < 64; ++j) same &= y.data<float>()[i * 64 + j] == x.data<float>()[j * 300 + i];
  EXPECT_TRUE(same);
}
