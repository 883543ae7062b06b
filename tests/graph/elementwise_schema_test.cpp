// Shape inference of the elementwise family: broadcasting with unknown dims, output dtypes,
// version-specific schemas and attribute defaults, and the inputs it rejects.
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::infer;
using graph::OpRegistry;

namespace {
constexpr int64_t kU = kUnknownDim;

TensorType f32(Shape s) { return TensorType(DType::F32, std::move(s)); }
}  // namespace

TEST(ElementwiseSchema, BroadcastShapes) {
  EXPECT_EQ(infer("Add", {f32({2, 1, 4}), f32({3, 1})})[0].dims, (Shape{2, 3, 4}));
  EXPECT_EQ(infer("Mul", {f32({}), f32({5})})[0].dims, (Shape{5}));
  EXPECT_EQ(infer("Sum", {f32({3}), f32({2, 1}), f32({1, 1, 1})})[0].dims, (Shape{1, 2, 3}));
  auto w = infer("Where", {TensorType(DType::Bool, {2, 1}), f32({3}), f32({})})[0];
  EXPECT_EQ(w.dims, (Shape{2, 3}));
  EXPECT_EQ(w.dtype, DType::F32);
  EXPECT_THROW(infer("Sub", {f32({2, 3}), f32({4})}), Error);
  EXPECT_THROW(infer("Max", {f32({2}), f32({2}), f32({3})}), Error);
}

TEST(ElementwiseSchema, UnknownDimsAndRanksPropagate) {
  // An unknown dim against 1 stays unknown; against a known dim > 1 takes it
  EXPECT_EQ(infer("Add", {f32({kU, 1}), f32({1, 4})})[0].dims, (Shape{kU, 4}));
  EXPECT_EQ(infer("Add", {f32({kU}), f32({4})})[0].dims, (Shape{4}));
  EXPECT_EQ(infer("Add", {f32({kU}), f32({kU})})[0].dims, (Shape{kU}));
  EXPECT_FALSE(infer("Add", {TensorType::unknown_shape(DType::F32), f32({4})})[0].rank_known);
  auto r = infer("Relu", {f32({kU, 3})})[0];
  EXPECT_EQ(r.dims, (Shape{kU, 3}));
  EXPECT_FALSE(infer("Sigmoid", {TensorType::unknown_shape(DType::F32)})[0].rank_known);
}

TEST(ElementwiseSchema, OutputTypes) {
  EXPECT_EQ(infer("Less", {f32({2}), f32({2})})[0].dtype, DType::Bool);
  EXPECT_EQ(infer("IsNaN", {f32({2})})[0].dtype, DType::Bool);
  EXPECT_EQ(infer("And", {TensorType(DType::Bool, {2}), TensorType(DType::Bool, {1})})[0].dtype, DType::Bool);
  // Pow takes its base's type; CastLike its second input's; Cast the `to` code (7 = int64)
  EXPECT_EQ(infer("Pow", {TensorType(DType::I32, {2}), f32({})})[0].dtype, DType::I32);
  auto like = infer("CastLike", {f32({2, 2}), TensorType(DType::U8, {})}, {}, 15)[0];
  EXPECT_EQ(like.dtype, DType::U8);
  EXPECT_EQ(like.dims, (Shape{2, 2}));
  graph::Attributes to;
  to.set("to", int64_t{7});
  auto cast = infer("Cast", {f32({kU})}, to)[0];
  EXPECT_EQ(cast.dtype, DType::I64);
  EXPECT_EQ(cast.dims, (Shape{kU}));
  to.set("to", int64_t{8});  // string
  EXPECT_THROW(infer("Cast", {f32({1})}, to), UnsupportedError);
}

TEST(ElementwiseSchema, RejectsBadInputs) {
  EXPECT_THROW(infer("Add", {f32({2}), TensorType(DType::I64, {2})}), Error);
  EXPECT_THROW(infer("Equal", {f32({2}), TensorType(DType::F64, {2})}), Error);
  EXPECT_THROW(infer("Where", {f32({2}), f32({2}), f32({2})}), Error);
  EXPECT_THROW(infer("Where", {TensorType(DType::Bool, {2}), f32({2}), TensorType(DType::F64, {2})}), Error);
  EXPECT_THROW(infer("PRelu", {f32({2, 3}), f32({2})}), Error);     // slope must broadcast to X
  EXPECT_THROW(infer("PRelu", {f32({3}), f32({2, 3})}), Error);     // unidirectional: X keeps its shape
  EXPECT_EQ(infer("PRelu", {f32({2, 3}), f32({3})})[0].dims, (Shape{2, 3}));
  EXPECT_THROW(infer("Clip", {f32({2}), f32({2})}, {}, 13), Error);  // min not a scalar
  EXPECT_THROW(infer("Clip", {f32({2}), TensorType(DType::I32, {})}, {}, 13), Error);
  EXPECT_THROW(test::make_node("Relu", 2, 1), Error);  // input count
}

TEST(ElementwiseSchema, VersionsAndDefaults) {
  const OpRegistry& r = OpRegistry::builtin();
  // The highest since_version <= opset is picked
  EXPECT_EQ(r.find("Clip", "", 10)->since_version, 6);
  EXPECT_EQ(r.find("Clip", "", 17)->since_version, 13);
  EXPECT_EQ(r.find("Pow", "", 11)->since_version, 7);
  EXPECT_EQ(r.find("Pow", "", 17)->since_version, 15);
  EXPECT_EQ(r.find("Where", "", 17)->since_version, 16);
  EXPECT_EQ(r.find("LeakyRelu", "", 17)->since_version, 16);
  EXPECT_EQ(r.find("CastLike", "", 14), nullptr);
  EXPECT_EQ(r.find("Mod", "", 9), nullptr);
  // bind() fills the ONNX defaults
  EXPECT_FLOAT_EQ(test::make_node("LeakyRelu", 1, 1).attrs.f("alpha"), 0.01f);
  EXPECT_FLOAT_EQ(test::make_node("Selu", 1, 1).attrs.f("gamma"), 1.05070102f);
  EXPECT_FLOAT_EQ(test::make_node("HardSigmoid", 1, 1).attrs.f("beta"), 0.5f);
  EXPECT_FLOAT_EQ(test::make_node("Shrink", 1, 1).attrs.f("lambd"), 0.5f);
  EXPECT_EQ(test::make_node("Mod", 2, 1).attrs.i("fmod"), 0);
  EXPECT_EQ(test::make_node("IsInf", 1, 1).attrs.i("detect_negative"), 1);
  EXPECT_FLOAT_EQ(test::make_node("Clip", 1, 1, {}, 6).attrs.f("max"), std::numeric_limits<float>::max());
}
