// Reshape, Flatten, Squeeze, Unsqueeze, Identity and inference Dropout: views sharing the
// input's buffer, with the shapes and masks computed by hand.
#include <cstdint>

#include "tests/test_util.h"

using namespace n2d2;
using test::attrs;
using test::run_op;

namespace {

Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
Tensor iota_f32(Shape s) {
  Tensor t(DType::F32, std::move(s));
  for (int64_t i = 0; i < t.numel(); ++i) t.data_mut<float>()[i] = static_cast<float>(i);
  return t;
}

}  // namespace

TEST(TensorViews, ReshapeSharesTheBufferAndResolvesZeroAndMinusOne) {
  Tensor x = iota_f32({2, 3, 4});
  // 0 copies dim 0 (2), -1 takes 24 / (2 * 3) = 4
  Tensor y = run_op("Reshape", {x, i64({0, 3, -1})})[0];
  EXPECT_EQ(y.shape(), (Shape{2, 3, 4}));
  EXPECT_TRUE(y.shares_buffer(x));
  EXPECT_EQ(run_op("Reshape", {x, i64({-1})})[0].shape(), (Shape{24}));
  EXPECT_EQ(run_op("Reshape", {x, i64({4, 0, -1})})[0].shape(), (Shape{4, 3, 2}));  // 0 copies dim 1 (3)
  // The values keep their row-major order: element [1, 0] of a 6x4 view is element 4
  EXPECT_EQ(run_op("Reshape", {x, i64({6, 4})})[0].to_vector<float>()[4], 4.f);
}

TEST(TensorViews, ReshapeAllowzeroKeepsLiteralZeros) {
  Tensor empty(DType::F32, {0, 3});
  graph::Attributes allowzero = attrs({{"allowzero", int64_t{1}}});
  // allowzero=1: [3, 0] is a literal 0, fine for 0 elements
  EXPECT_EQ(run_op("Reshape", {empty, i64({3, 0})}, allowzero, 1, 14)[0].shape(), (Shape{3, 0}));
  // allowzero=0: the 0 copies dim 1 (3): [3, 3] has 9 elements, not 0
  EXPECT_THROW(run_op("Reshape", {empty, i64({3, 0})}, {}, 1, 14), Error);
  // a literal 0 into a non-empty tensor, and 0 with -1 together, are errors with allowzero
  EXPECT_THROW(run_op("Reshape", {iota_f32({2, 3}), i64({0, 6})}, allowzero, 1, 14), Error);
  EXPECT_THROW(run_op("Reshape", {empty, i64({0, -1})}, allowzero, 1, 14), Error);
}

TEST(TensorViews, ReshapeRejectsBadShapes) {
  Tensor x = iota_f32({2, 3});
  EXPECT_THROW(run_op("Reshape", {x, i64({4, -1})}), Error);   // 6 is not a multiple of 4
  EXPECT_THROW(run_op("Reshape", {x, i64({-1, -1})}), Error);  // two -1
  EXPECT_THROW(run_op("Reshape", {x, i64({7})}), Error);       // 7 != 6 elements
  EXPECT_THROW(run_op("Reshape", {x, i64({2, -3})}), Error);   // negative dim other than -1
  EXPECT_THROW(run_op("Reshape", {x, i64({1, 1, 0})}), Error);  // 0 copies a dim the input lacks
  EXPECT_THROW(run_op("Reshape", {x, Tensor::from_vector<float>({2}, {3, 2})}), Error);  // float shape
}

TEST(TensorViews, ReshapeOpset1ReadsTheShapeAttribute) {
  graph::Attributes a = attrs({{"shape", std::vector<int64_t>{3, -1}}});
  EXPECT_EQ(run_op("Reshape", {iota_f32({2, 3})}, a, 1, 1)[0].shape(), (Shape{3, 2}));
}

TEST(TensorViews, FlattenSplitsTheDimsAtAxis) {
  Tensor x = iota_f32({2, 3, 4});
  EXPECT_EQ(run_op("Flatten", {x})[0].shape(), (Shape{2, 12}));  // default axis 1
  EXPECT_EQ(run_op("Flatten", {x}, attrs({{"axis", int64_t{0}}}))[0].shape(), (Shape{1, 24}));
  EXPECT_EQ(run_op("Flatten", {x}, attrs({{"axis", int64_t{3}}}))[0].shape(), (Shape{24, 1}));
  EXPECT_EQ(run_op("Flatten", {x}, attrs({{"axis", int64_t{-1}}}))[0].shape(), (Shape{6, 4}));
  EXPECT_TRUE(run_op("Flatten", {x})[0].shares_buffer(x));
  EXPECT_THROW(run_op("Flatten", {x}, attrs({{"axis", int64_t{4}}})), Error);
  EXPECT_THROW(run_op("Flatten", {x}, attrs({{"axis", int64_t{-4}}})), Error);
}

TEST(TensorViews, SqueezeWithAndWithoutAxes) {
  Tensor x = iota_f32({1, 3, 1, 2});
  EXPECT_EQ(run_op("Squeeze", {x})[0].shape(), (Shape{3, 2}));                        // every 1
  EXPECT_EQ(run_op("Squeeze", {x, i64({-2})})[0].shape(), (Shape{1, 3, 2}));          // axis 2 only
  EXPECT_EQ(run_op("Squeeze", {x, i64({0, 2})})[0].shape(), (Shape{3, 2}));
  graph::Attributes axes0 = attrs({{"axes", std::vector<int64_t>{0}}});
  EXPECT_EQ(run_op("Squeeze", {x}, axes0, 1, 11)[0].shape(), (Shape{3, 1, 2}));  // opset 11: attribute
  EXPECT_TRUE(run_op("Squeeze", {x})[0].shares_buffer(x));
  EXPECT_THROW(run_op("Squeeze", {x, i64({1})}), Error);     // size 3
  EXPECT_THROW(run_op("Squeeze", {x, i64({4})}), Error);     // out of range
  EXPECT_THROW(run_op("Squeeze", {x, i64({0, -4})}), Error);  // axis 0 twice
}

TEST(TensorViews, UnsqueezeInsertsOnesAtOutputPositions) {
  Tensor x = iota_f32({3, 2});
  // output rank 4: axes 0 and -1 (= 3) are new: [1, 3, 2, 1]
  EXPECT_EQ(run_op("Unsqueeze", {x, i64({0, -1})})[0].shape(), (Shape{1, 3, 2, 1}));
  // axes are positions in the output, in any order: 2 and 0 give [1, 3, 1, 2]
  EXPECT_EQ(run_op("Unsqueeze", {x, i64({2, 0})})[0].shape(), (Shape{1, 3, 1, 2}));
  graph::Attributes axes1 = attrs({{"axes", std::vector<int64_t>{1}}});
  EXPECT_EQ(run_op("Unsqueeze", {x}, axes1, 1, 11)[0].shape(), (Shape{3, 1, 2}));
  EXPECT_EQ(run_op("Unsqueeze", {Tensor::scalar<float>(5.f), i64({0})})[0].shape(), (Shape{1}));
  EXPECT_TRUE(run_op("Unsqueeze", {x, i64({0})})[0].shares_buffer(x));
  EXPECT_THROW(run_op("Unsqueeze", {x, i64({3})}), Error);      // output rank is 3
  EXPECT_THROW(run_op("Unsqueeze", {x, i64({1, 1})}), Error);   // repeated
  EXPECT_THROW(run_op("Unsqueeze", {x}, {}, 1, 11), Error);     // opset 11 requires the attribute
}

TEST(TensorViews, IdentityOfAnyType) {
  Tensor b = Tensor::from_vector<bool>({3}, {true, false, true});
  Tensor y = run_op("Identity", {b})[0];
  EXPECT_TRUE(y.shares_buffer(b));
  EXPECT_EQ(y.to_vector<bool>(), (std::vector<bool>{true, false, true}));
}

TEST(TensorViews, DropoutPassesTheInputAndAnAllTrueMask) {
  Tensor x = iota_f32({2, 3});
  auto out = run_op("Dropout", {x, Tensor::scalar<float>(0.3f)}, {}, 2, 13);
  EXPECT_TRUE(out[0].shares_buffer(x));
  EXPECT_EQ(out[1].dtype(), DType::Bool);
  EXPECT_EQ(out[1].to_vector<bool>(), std::vector<bool>(6, true));
  // training_mode = false is inference
  auto off = run_op("Dropout", {x, Tensor(), Tensor::scalar<bool>(false)}, {}, 2, 13);
  EXPECT_EQ(off[1].to_vector<bool>(), std::vector<bool>(6, true));
  // Before opset 10 the mask has the input's type: ones
  auto old = run_op("Dropout", {x}, {}, 2, 7);
  test::expect_near(old[1], Tensor::from_vector<float>({2, 3}, {1, 1, 1, 1, 1, 1}));
}

TEST(TensorViews, DropoutDeclinesTraining) {
  Tensor x = iota_f32({2});
  EXPECT_THROW(run_op("Dropout", {x, Tensor::scalar<float>(0.5f), Tensor::scalar<bool>(true)}, {}, 1, 13),
               UnsupportedError);
}
