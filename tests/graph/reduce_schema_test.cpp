// Shape inference of the reduce family: kept and dropped axes with unknown and symbolic dims,
// ReduceSum-13's axes input known or not, output types, versions and defaults, bad inputs.
#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::infer;
using n2d2::test::attrs;
using graph::OpRegistry;

namespace {
constexpr int64_t kU = kUnknownDim;

TensorType f32(Shape s) { return TensorType(DType::F32, std::move(s)); }
TensorType i64(Shape s) { return TensorType(DType::I64, std::move(s)); }
}  // namespace

TEST(ReduceSchema, KeptAndDroppedAxes) {
  EXPECT_EQ(infer("ReduceMean", {f32({kU, 3, 4})}, attrs({{"axes", std::vector<int64_t>{1}}}))[0].dims, (Shape{kU, 1, 4}));
  EXPECT_EQ(infer("ReduceMean", {f32({kU, 3, 4})}, attrs({{"axes", std::vector<int64_t>{1}}, {"keepdims", int64_t{0}}}))[0].dims,
            (Shape{kU, 4}));
  EXPECT_EQ(infer("ReduceMax", {f32({2, 3, 4})}, attrs({{"axes", std::vector<int64_t>{-1, 0}}}))[0].dims, (Shape{1, 3, 1}));
  // no axes: all; an unknown dim reduced away does not matter
  EXPECT_EQ(infer("ReduceL2", {f32({kU, 3})}, attrs({{"keepdims", int64_t{0}}}))[0].dims, (Shape{}));
  EXPECT_FALSE(infer("ReduceProd", {TensorType::unknown_shape(DType::F32)})[0].rank_known);
  // symbolic names stay with their dims
  TensorType named = f32({kU, 3, 4});
  named.dim_names = {"batch", "", ""};
  TensorType out = infer("ReduceSumSquare", {named}, attrs({{"axes", std::vector<int64_t>{1}}, {"keepdims", int64_t{0}}}))[0];
  EXPECT_EQ(out.dims, (Shape{kU, 4}));
  EXPECT_EQ(out.dim_names, (std::vector<std::string>{"batch", ""}));
}

TEST(ReduceSchema, ReduceSum13AxesInput) {
  Tensor axes = Tensor::from_vector<int64_t>({1}, {0});
  EXPECT_EQ(infer("ReduceSum", {f32({2, 3}), i64({1})}, {}, 13, {nullptr, &axes})[0].dims, (Shape{1, 3}));
  // axes not known yet: keepdims keeps the rank, else nothing is known
  EXPECT_EQ(infer("ReduceSum", {f32({2, 3}), i64({1})}, {}, 13)[0].dims, (Shape{kU, kU}));
  EXPECT_FALSE(infer("ReduceSum", {f32({2, 3}), i64({1})}, attrs({{"keepdims", int64_t{0}}}), 13)[0].rank_known);
  // empty axes: everything, or nothing with noop_with_empty_axes
  Tensor none(DType::I64, {0});
  EXPECT_EQ(infer("ReduceSum", {f32({2, 3}), i64({0})}, {}, 13, {nullptr, &none})[0].dims, (Shape{1, 1}));
  EXPECT_EQ(infer("ReduceSum", {f32({2, 3}), i64({0})}, attrs({{"noop_with_empty_axes", int64_t{1}}}), 13, {nullptr, &none})[0].dims,
            (Shape{2, 3}));
  EXPECT_THROW(infer("ReduceSum", {f32({2, 3}), TensorType(DType::I32, {1})}, {}, 13), Error);
  EXPECT_THROW(infer("ReduceSum", {f32({2, 3}), i64({1, 1})}, {}, 13), Error);
}

TEST(ReduceSchema, ArgSoftmaxAndCumSumTypes) {
  TensorType arg = infer("ArgMax", {f32({kU, 5})}, attrs({{"axis", int64_t{1}}, {"keepdims", int64_t{0}}}))[0];
  EXPECT_EQ(arg.dtype, DType::I64);
  EXPECT_EQ(arg.dims, (Shape{kU}));
  EXPECT_EQ(infer("ArgMin", {TensorType(DType::I32, {4, kU})})[0].dims, (Shape{1, kU}));
  TensorType sm = infer("LogSoftmax", {TensorType(DType::F64, {kU, 7})})[0];
  EXPECT_EQ(sm.dtype, DType::F64);
  EXPECT_EQ(sm.dims, (Shape{kU, 7}));
  EXPECT_EQ(infer("CumSum", {TensorType(DType::I32, {kU, 2}), TensorType(DType::I32, {})})[0].dims, (Shape{kU, 2}));
}

TEST(ReduceSchema, RejectsBadInputs) {
  EXPECT_THROW(infer("ReduceMean", {f32({2, 3})}, attrs({{"axes", std::vector<int64_t>{2}}})), Error);
  EXPECT_THROW(infer("ReduceSum", {TensorType(DType::Bool, {2})}), Error);
  EXPECT_THROW(infer("ArgMax", {f32({2, 3})}, attrs({{"axis", int64_t{-3}}})), Error);
  EXPECT_THROW(infer("ArgMin", {f32({2, 0})}, attrs({{"axis", int64_t{1}}})), Error);
  EXPECT_THROW(infer("Softmax", {TensorType(DType::I64, {2})}), Error);
  EXPECT_THROW(infer("Hardmax", {f32({2, 3})}, attrs({{"axis", int64_t{2}}})), Error);
  EXPECT_THROW(infer("Softmax", {f32({})}), Error);  // no axis in a scalar
  EXPECT_THROW(infer("CumSum", {f32({2}), f32({})}), Error);
  EXPECT_THROW(infer("CumSum", {f32({2}), i64({2})}), Error);
  Tensor far = Tensor::scalar<int64_t>(1);
  EXPECT_THROW(infer("CumSum", {f32({2}), i64({})}, {}, 17, {nullptr, &far}), Error);
}

TEST(ReduceSchema, VersionsAndDefaults) {
  const OpRegistry& r = OpRegistry::builtin();
  EXPECT_EQ(r.find("ReduceSum", "", 12)->since_version, 11);
  EXPECT_EQ(r.find("ReduceSum", "", 17)->since_version, 13);
  EXPECT_EQ(r.find("ReduceSum", "", 17)->max_inputs, 2);
  EXPECT_EQ(r.find("ReduceMean", "", 17)->max_inputs, 1);
  EXPECT_EQ(r.find("ReduceLogSumExp", "", 7)->since_version, 1);
  EXPECT_EQ(r.find("ArgMax", "", 11)->since_version, 1);
  EXPECT_EQ(r.find("ArgMin", "", 12)->since_version, 12);
  EXPECT_EQ(r.find("Softmax", "", 12)->since_version, 1);
  EXPECT_EQ(r.find("Hardmax", "", 13)->since_version, 13);
  EXPECT_EQ(r.find("CumSum", "", 10), nullptr);
  EXPECT_EQ(r.find("CumSum", "", 14)->since_version, 11);
  EXPECT_EQ(test::make_node("Softmax", 1, 1, {}, 11).attrs.i("axis"), 1);
  EXPECT_EQ(test::make_node("Softmax", 1, 1, {}, 13).attrs.i("axis"), -1);
  graph::Node arg = test::make_node("ArgMax", 1, 1, {}, 13);
  EXPECT_EQ(arg.attrs.i("axis"), 0);
  EXPECT_EQ(arg.attrs.i("keepdims"), 1);
  EXPECT_EQ(arg.attrs.i("select_last_index"), 0);
  graph::Node sum = test::make_node("ReduceSum", 1, 1, {}, 13);
  EXPECT_EQ(sum.attrs.i("keepdims"), 1);
  EXPECT_EQ(sum.attrs.i("noop_with_empty_axes"), 0);
  EXPECT_FALSE(test::make_node("ReduceMean", 1, 1, {}, 13).attrs.has("axes"));
  EXPECT_EQ(test::make_node("CumSum", 2, 1, {}, 14).attrs.i("exclusive"), 0);
}
