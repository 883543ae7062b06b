// NonZero, Compress and TopK with hand-computed values: data-dependent output sizes, ties, NaN.
#include <cmath>
#include <cstdint>

#include "tests/test_util.h"

using namespace n2d2;
using test::attrs;
using test::run_op;

namespace {

Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
Tensor flags(std::vector<bool> v) { return Tensor::from_vector<bool>({static_cast<int64_t>(v.size())}, v); }

}  // namespace

TEST(TensorSelection, NonZeroListsCoordinatesPerAxis) {
  // [[0 1 1], [2 0 0]]: non-zeros at (0,1), (0,2), (1,0) -> rows of coordinates [[0 0 1], [1 2 0]]
  Tensor y = run_op("NonZero", {Tensor::from_vector<int32_t>({2, 3}, {0, 1, 1, 2, 0, 0})})[0];
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(y.to_vector<int64_t>(), (std::vector<int64_t>{0, 0, 1, 1, 2, 0}));
  // bool input, and nothing non-zero: [1, 0]
  EXPECT_EQ(run_op("NonZero", {flags({true, false, true})})[0].to_vector<int64_t>(), (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(run_op("NonZero", {f32({3}, {0, -0.f, 0})})[0].shape(), (Shape{1, 0}));
}

TEST(TensorSelection, CompressAlongAnAxisOrFlattened) {
  Tensor x = f32({3, 2}, {1, 2, 3, 4, 5, 6});
  // axis 0, rows 0 and 2 -> [[1 2], [5 6]]
  test::expect_near(run_op("Compress", {x, flags({true, false, true})}, attrs({{"axis", int64_t{0}}}))[0],
                    f32({2, 2}, {1, 2, 5, 6}));
  // axis -1 with a condition shorter than the axis: column 1 only -> [[2], [4], [6]]
  test::expect_near(run_op("Compress", {x, flags({false, true})}, attrs({{"axis", int64_t{-1}}}))[0], f32({3, 1}, {2, 4, 6}));
  test::expect_near(run_op("Compress", {x, flags({false})}, attrs({{"axis", int64_t{1}}}))[0], Tensor(DType::F32, {3, 0}));
  // no axis: over the flattened input, elements 1 and 4 -> [2 5]
  test::expect_near(run_op("Compress", {x, flags({false, true, false, false, true})})[0], f32({2}, {2, 5}));
  EXPECT_THROW(run_op("Compress", {x, flags({true, true, true, true})}, attrs({{"axis", int64_t{0}}})), Error);  // 4 > 3 rows
  EXPECT_THROW(run_op("Compress", {x, i64({1, 0, 1})}, attrs({{"axis", int64_t{0}}})), Error);  // not bool
}

TEST(TensorSelection, TopKLargestWithTiesInIndexOrder) {
  // [1 3 2 3], k = 3: values 3, 3 (indices 1 then 3: ties keep the lower index first), then 2
  auto out = run_op("TopK", {f32({4}, {1, 3, 2, 3}), i64({3})}, {}, 2);
  test::expect_near(out[0], f32({3}, {3, 3, 2}));
  EXPECT_EQ(out[1].to_vector<int64_t>(), (std::vector<int64_t>{1, 3, 2}));
}

TEST(TensorSelection, TopKSmallestAlongAxisZero) {
  // columns of [[5 1], [2 8], [4 0]], k = 2 smallest along axis 0:
  // column 0: 2 (row 1), 4 (row 2); column 1: 0 (row 2), 1 (row 0)
  Tensor x = Tensor::from_vector<int32_t>({3, 2}, {5, 1, 2, 8, 4, 0});
  auto out = run_op("TopK", {x, i64({2})}, attrs({{"axis", int64_t{0}}, {"largest", int64_t{0}}}), 2);
  EXPECT_EQ(out[0].to_vector<int32_t>(), (std::vector<int32_t>{2, 0, 4, 1}));
  EXPECT_EQ(out[1].to_vector<int64_t>(), (std::vector<int64_t>{1, 2, 2, 0}));
}

TEST(TensorSelection, TopKOrdersNaNAboveNumbers) {
  float nan = std::nanf("");
  auto out = run_op("TopK", {f32({3}, {1, nan, 2}), i64({2})}, {}, 2);
  EXPECT_TRUE(std::isnan(out[0].to_vector<float>()[0]));
  EXPECT_EQ(out[1].to_vector<int64_t>(), (std::vector<int64_t>{1, 2}));
}

TEST(TensorSelection, TopKOpset1AndBadK) {
  auto out = run_op("TopK", {f32({3}, {1, 5, 2})}, attrs({{"k", int64_t{1}}}), 2, 1);  // opset 1: k attribute
  test::expect_near(out[0], f32({1}, {5}));
  EXPECT_EQ(run_op("TopK", {f32({3}, {1, 5, 2}), i64({0})}, {}, 2)[0].shape(), (Shape{0}));
  EXPECT_THROW(run_op("TopK", {f32({3}, {1, 5, 2}), i64({4})}, {}, 2), Error);   // k > 3
  EXPECT_THROW(run_op("TopK", {f32({3}, {1, 5, 2}), i64({-1})}, {}, 2), Error);
  EXPECT_THROW(run_op("TopK", {f32({3}, {1, 5, 2}), i64({1, 1})}, {}, 2), Error);  // two values
}
