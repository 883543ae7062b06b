// Shape, Size, Constant, ConstantOfShape, Range, EyeLike, OneHot and Trilu with hand-computed
// values and the inputs they reject.
#include <cstdint>
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using test::attrs;
using test::run_op;

namespace {

Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
std::vector<int64_t> ints(const Tensor& t) { return t.to_vector<int64_t>(); }

}  // namespace

TEST(TensorMakers, ShapeAndSize) {
  Tensor x(DType::U8, {2, 3, 4});
  EXPECT_EQ(ints(run_op("Shape", {x})[0]), (std::vector<int64_t>{2, 3, 4}));
  // opset 15: dims [start, end), negative from the end, clamped
  EXPECT_EQ(ints(run_op("Shape", {x}, attrs({{"start", int64_t{-2}}}), 1, 15)[0]), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(ints(run_op("Shape", {x}, attrs({{"start", int64_t{1}}, {"end", int64_t{-1}}}), 1, 15)[0]), (std::vector<int64_t>{3}));
  EXPECT_EQ(ints(run_op("Shape", {x}, attrs({{"start", int64_t{-10}}, {"end", int64_t{10}}}), 1, 15)[0]),
            (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(run_op("Shape", {x}, attrs({{"start", int64_t{2}}, {"end", int64_t{1}}}), 1, 15)[0].shape(), (Shape{0}));
  Tensor size = run_op("Size", {x})[0];
  EXPECT_EQ(size.shape(), Shape{});
  EXPECT_EQ(ints(size), (std::vector<int64_t>{24}));
}

TEST(TensorMakers, ConstantFromEachAttribute) {
  graph::Node n = test::make_node("Constant", 0, 1, attrs({{"value_ints", std::vector<int64_t>{4, 5}}}), 13);
  std::vector<const Tensor*> none;
  Tensor ints_value = kernels::evaluate_node(n, none)[0];
  EXPECT_EQ(ints(ints_value), (std::vector<int64_t>{4, 5}));
  graph::Node f = test::make_node("Constant", 0, 1, attrs({{"value_float", 2.5f}}), 13);
  Tensor scalar = kernels::evaluate_node(f, none)[0];
  EXPECT_EQ(scalar.shape(), Shape{});
  EXPECT_EQ(scalar.to_vector<float>(), (std::vector<float>{2.5f}));
  Tensor value = Tensor::from_vector<int8_t>({2}, {-1, 1});
  graph::Node t = test::make_node("Constant", 0, 1, attrs({{"value", value}}), 13);
  Tensor copy = kernels::evaluate_node(t, none)[0];
  EXPECT_EQ(copy.to_vector<int8_t>(), (std::vector<int8_t>{-1, 1}));
  EXPECT_FALSE(copy.shares_buffer(value));  // the output never aliases the attribute
  graph::Node two = test::make_node("Constant", 0, 1, attrs({{"value_int", int64_t{1}}, {"value_float", 1.f}}), 13);
  EXPECT_THROW(kernels::evaluate_node(two, none), Error);
  graph::Node text = test::make_node("Constant", 0, 1, attrs({{"value_string", std::string("a")}}), 13);
  EXPECT_THROW(kernels::evaluate_node(text, none), UnsupportedError);
}

TEST(TensorMakers, ConstantOfShapeFillsTheValue) {
  Tensor zeros = run_op("ConstantOfShape", {i64({2, 2})})[0];  // default: float 0
  test::expect_near(zeros, f32({2, 2}, {0, 0, 0, 0}));
  graph::Attributes seven = attrs({{"value", Tensor::from_vector<int32_t>({1}, {7})}});
  EXPECT_EQ(run_op("ConstantOfShape", {i64({3})}, seven)[0].to_vector<int32_t>(), (std::vector<int32_t>{7, 7, 7}));
  EXPECT_EQ(run_op("ConstantOfShape", {i64({})}, seven)[0].shape(), Shape{});  // empty shape: a scalar
  EXPECT_THROW(run_op("ConstantOfShape", {i64({2, -1})}), Error);
  EXPECT_THROW(run_op("ConstantOfShape", {i64({2})}, attrs({{"value", f32({2}, {1, 2})}})), Error);
}

TEST(TensorMakers, RangeCountsLikeCeil) {
  // 1, 3 (5 excluded): ceil((5 - 1) / 2) = 2
  test::expect_near(run_op("Range", {Tensor::scalar<float>(1), Tensor::scalar<float>(5), Tensor::scalar<float>(2)})[0],
                    f32({2}, {1, 3}));
  // 10, 7 (4 excluded): ceil((4 - 10) / -3) = 2
  Tensor down = run_op("Range", {Tensor::scalar<int32_t>(10), Tensor::scalar<int32_t>(4), Tensor::scalar<int32_t>(-3)})[0];
  EXPECT_EQ(down.to_vector<int32_t>(), (std::vector<int32_t>{10, 7}));
  // ceil(7 / 3) = 3: 0, 3, 6
  EXPECT_EQ(ints(run_op("Range", {Tensor::scalar<int64_t>(0), Tensor::scalar<int64_t>(7), Tensor::scalar<int64_t>(3)})[0]),
            (std::vector<int64_t>{0, 3, 6}));
  // the wrong direction gives nothing
  EXPECT_EQ(run_op("Range", {Tensor::scalar<int64_t>(0), Tensor::scalar<int64_t>(5), Tensor::scalar<int64_t>(-1)})[0].shape(),
            (Shape{0}));
  EXPECT_THROW(run_op("Range", {Tensor::scalar<int64_t>(0), Tensor::scalar<int64_t>(5), Tensor::scalar<int64_t>(0)}), Error);
  EXPECT_THROW(run_op("Range", {Tensor::scalar<int64_t>(0), Tensor::scalar<int32_t>(5), Tensor::scalar<int64_t>(1)}), Error);
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_THROW(run_op("Range", {Tensor::scalar<float>(0), Tensor::scalar<float>(inf), Tensor::scalar<float>(1)}), Error);
}

TEST(TensorMakers, EyeLikeDiagonals) {
  Tensor x(DType::I32, {3, 4});
  // k = 1: ones at (0,1), (1,2), (2,3)
  Tensor up = run_op("EyeLike", {x}, attrs({{"k", int64_t{1}}}))[0];
  EXPECT_EQ(up.to_vector<int32_t>(), (std::vector<int32_t>{0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}));
  // k = -2, dtype 1 (float): one at (2,0)
  Tensor down = run_op("EyeLike", {x}, attrs({{"k", int64_t{-2}}, {"dtype", int64_t{1}}}))[0];
  test::expect_near(down, f32({3, 4}, {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}));
  Tensor none = run_op("EyeLike", {x}, attrs({{"k", std::numeric_limits<int64_t>::max()}}))[0];
  EXPECT_EQ(none.to_vector<int32_t>(), std::vector<int32_t>(12, 0));
  EXPECT_THROW(run_op("EyeLike", {Tensor(DType::F32, {3})}), Error);
}

TEST(TensorMakers, OneHotAlongTheNewAxis) {
  Tensor values = f32({2}, {0, 5});  // off, on
  // indices [1 0], depth 3, axis -1: [[0 5 0], [5 0 0]]
  test::expect_near(run_op("OneHot", {i64({1, 0}), Tensor::scalar<int64_t>(3), values})[0], f32({2, 3}, {0, 5, 0, 5, 0, 0}));
  // axis 0: y[d][i] = on where indices[i] == d; -1 is depth - 1 = 2, 3 is out of range (all off)
  test::expect_near(run_op("OneHot", {i64({-1, 3}), Tensor::scalar<float>(3), values}, attrs({{"axis", int64_t{0}}}))[0],
                    f32({3, 2}, {0, 0, 0, 0, 5, 0}));
  // float indices are truncated: 1.7 -> 1
  test::expect_near(run_op("OneHot", {f32({1}, {1.7f}), Tensor::scalar<int64_t>(2), values})[0], f32({1, 2}, {0, 5}));
  EXPECT_THROW(run_op("OneHot", {i64({0}), Tensor::scalar<int64_t>(2), f32({3}, {0, 1, 2})}), Error);  // 3 values
  EXPECT_THROW(run_op("OneHot", {i64({0}), Tensor::scalar<int64_t>(-2), values}), Error);
}

TEST(TensorMakers, TriluKeepsATriangle) {
  Tensor x = Tensor::from_vector<int64_t>({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  // upper (default), k = 0: [[1 2 3], [0 5 6], [0 0 9]]
  EXPECT_EQ(ints(run_op("Trilu", {x})[0]), (std::vector<int64_t>{1, 2, 3, 0, 5, 6, 0, 0, 9}));
  // upper, k = 1: [[0 2 3], [0 0 6], [0 0 0]]
  EXPECT_EQ(ints(run_op("Trilu", {x, Tensor::scalar<int64_t>(1)})[0]), (std::vector<int64_t>{0, 2, 3, 0, 0, 6, 0, 0, 0}));
  // lower, k = -1: [[0 0 0], [4 0 0], [7 8 0]]
  graph::Attributes lower = attrs({{"upper", int64_t{0}}});
  EXPECT_EQ(ints(run_op("Trilu", {x, Tensor::scalar<int64_t>(-1)}, lower)[0]), (std::vector<int64_t>{0, 0, 0, 4, 0, 0, 7, 8, 0}));
  // k far outside: lower keeps everything, upper nothing
  int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(ints(run_op("Trilu", {x, Tensor::scalar<int64_t>(big)}, lower)[0]), ints(x));
  EXPECT_EQ(ints(run_op("Trilu", {x, Tensor::scalar<int64_t>(big)})[0]), std::vector<int64_t>(9, 0));
  // a batch of two 1x2 matrices, lower: [[a 0]] each
  Tensor batch = f32({2, 1, 2}, {1, 2, 3, 4});
  test::expect_near(run_op("Trilu", {batch}, lower)[0], f32({2, 1, 2}, {1, 0, 3, 0}));
  EXPECT_THROW(run_op("Trilu", {f32({3}, {1, 2, 3})}), Error);
}
