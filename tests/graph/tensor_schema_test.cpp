// Shape inference of the tensor family at load time: shape-like inputs known or not, unknown dims
// and ranks propagating, version-specific schemas, and the inputs it rejects.
#include <cstdint>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using graph::OpRegistry;

namespace {

constexpr int64_t kU = kUnknownDim;

// Output types of `op` for input types (absent: TensorType{}), with the given known values.
std::vector<TensorType> infer(const std::string& op, const std::vector<TensorType>& in, graph::Attributes a = {},
                              std::vector<const Tensor*> values = {}, int64_t opset = 17, int num_outputs = 1) {
  graph::Node n = test::make_node(op, static_cast<int>(in.size()), num_outputs, std::move(a), opset);
  std::vector<const TensorType*> types;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].dtype == DType::Undefined) n.inputs[i] = graph::kNoValue;
    types.push_back(in[i].dtype == DType::Undefined ? nullptr : &in[i]);
  }
  values.resize(in.size(), nullptr);
  return OpRegistry::builtin().infer(n, types, values);
}
TensorType f32(Shape s) { return TensorType(DType::F32, std::move(s)); }
TensorType i64_type(Shape s) { return TensorType(DType::I64, std::move(s)); }
TensorType unranked() { return TensorType::unknown_shape(DType::F32); }
Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }

}  // namespace

TEST(TensorSchema, ReshapeWithKnownAndUnknownShapes) {
  Tensor shape = i64({0, -1});
  // [batch, 3, 4] into [0, -1]: dim 0 copied (unknown), -1 cannot be resolved
  EXPECT_EQ(infer("Reshape", {f32({kU, 3, 4}), i64_type({2})}, {}, {nullptr, &shape})[0].dims, (Shape{kU, kU}));
  EXPECT_EQ(infer("Reshape", {f32({2, 3, 4}), i64_type({2})}, {}, {nullptr, &shape})[0].dims, (Shape{2, 12}));
  Tensor fixed = i64({-1, 6});
  EXPECT_EQ(infer("Reshape", {f32({kU, 3, 2}), i64_type({2})}, {}, {nullptr, &fixed})[0].dims, (Shape{kU, 6}));
  // The shape's value unknown: its length still gives the rank
  EXPECT_EQ(infer("Reshape", {f32({2, 3}), i64_type({3})})[0].dims, (Shape{kU, kU, kU}));
  EXPECT_FALSE(infer("Reshape", {f32({2, 3}), i64_type({kU})})[0].rank_known);
  EXPECT_EQ(infer("Reshape", {unranked(), i64_type({2})}, {}, {nullptr, &fixed})[0].dims, (Shape{kU, 6}));
  Tensor bad = i64({5, -1});
  EXPECT_THROW(infer("Reshape", {f32({2, 3}), i64_type({2})}, {}, {nullptr, &bad}), Error);
  EXPECT_THROW(infer("Reshape", {f32({2, 3}), TensorType(DType::F32, {2})}), Error);  // float shape
}

TEST(TensorSchema, FlattenSqueezeUnsqueezeWithUnknownDims) {
  EXPECT_EQ(infer("Flatten", {f32({kU, 3, 4})})[0].dims, (Shape{kU, 12}));
  EXPECT_EQ(infer("Flatten", {unranked()})[0].dims, (Shape{kU, kU}));
  Tensor axes = i64({1});
  EXPECT_EQ(infer("Squeeze", {f32({kU, 1, 3}), i64_type({1})}, {}, {nullptr, &axes})[0].dims, (Shape{kU, 3}));
  // Without axes, an unknown dim might be 1: the rank is unknown
  EXPECT_FALSE(infer("Squeeze", {f32({kU, 1})})[0].rank_known);
  EXPECT_FALSE(infer("Squeeze", {f32({1, 3}), i64_type({1})})[0].rank_known);  // axes not known
  // Unsqueeze-13 with unknown axes of known length 2: rank 2 + 2
  EXPECT_EQ(infer("Unsqueeze", {f32({kU, 3}), i64_type({2})})[0].dims, (Shape{kU, kU, kU, kU}));
  EXPECT_EQ(infer("Unsqueeze", {f32({kU, 3}), i64_type({1})}, {}, {nullptr, &axes})[0].dims, (Shape{kU, 1, 3}));
  graph::Attributes attr_axes = attrs({{"axes", std::vector<int64_t>{0}}});
  EXPECT_EQ(infer("Unsqueeze", {f32({kU})}, attr_axes, {}, 11)[0].dims, (Shape{1, kU}));
  EXPECT_THROW(infer("Squeeze", {f32({2, 3}), i64_type({1})}, {}, {nullptr, &axes}), Error);  // size 3
}

TEST(TensorSchema, ConcatMergesKnownDims) {
  auto axis = [](int64_t a) { return attrs({{"axis", a}}); };
  EXPECT_EQ(infer("Concat", {f32({kU, 3}), f32({2, kU})}, axis(0))[0].dims, (Shape{kU, 3}));
  EXPECT_EQ(infer("Concat", {f32({2, kU}), f32({kU, 4})}, axis(1))[0].dims, (Shape{2, kU}));
  EXPECT_EQ(infer("Concat", {f32({2, 3}), f32({5, 3})}, axis(-2))[0].dims, (Shape{7, 3}));
  EXPECT_EQ(infer("Concat", {unranked(), f32({2, 3})}, axis(0))[0].dims, (Shape{kU, 3}));
  EXPECT_FALSE(infer("Concat", {unranked(), unranked()}, axis(0))[0].rank_known);
  EXPECT_THROW(infer("Concat", {f32({2, 3}), f32({2, 4})}, axis(0)), Error);
  EXPECT_THROW(infer("Concat", {f32({}), f32({})}, axis(0)), Error);
}

TEST(TensorSchema, SplitAndSliceWithUnknownValues) {
  auto parts = infer("Split", {f32({kU, 6})}, attrs({{"axis", int64_t{1}}}), {}, 17, 3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2].dims, (Shape{kU, 2}));
  auto unknown = infer("Split", {f32({4, 6}), i64_type({2})}, {}, {}, 17, 2);  // sizes not known
  EXPECT_EQ(unknown[0].dims, (Shape{kU, 6}));
  // Slice with unknown starts: the rank is kept
  EXPECT_EQ(infer("Slice", {f32({4, 6}), i64_type({1}), i64_type({1})})[0].dims, (Shape{kU, kU}));
  Tensor s = i64({1}), e = i64({-1}), a = i64({1});
  EXPECT_EQ(infer("Slice", {f32({kU, 6}), i64_type({1}), i64_type({1}), i64_type({1})}, {}, {nullptr, &s, &e, &a})[0].dims,
            (Shape{kU, 4}));
  // axis 0 of unknown size: the count is unknown too
  EXPECT_EQ(infer("Slice", {f32({kU, 6}), i64_type({1}), i64_type({1})}, {}, {nullptr, &s, &e})[0].dims, (Shape{kU, 6}));
}

TEST(TensorSchema, IndexingShapes) {
  EXPECT_EQ(infer("Gather", {f32({5, 4, 3}), i64_type({2, 7})}, attrs({{"axis", int64_t{1}}}))[0].dims,
            (Shape{5, 2, 7, 3}));
  EXPECT_FALSE(infer("Gather", {f32({5, 4}), TensorType::unknown_shape(DType::I64)})[0].rank_known);
  EXPECT_EQ(infer("GatherElements", {f32({kU, 4}), i64_type({2, 3})})[0].dims, (Shape{2, 3}));
  // GatherND: indices [2, 3, 1] address dim 0 of [5, 4, 3] -> [2, 3] + [4, 3]
  EXPECT_EQ(infer("GatherND", {f32({5, 4, 3}), i64_type({2, 3, 1})})[0].dims, (Shape{2, 3, 4, 3}));
  EXPECT_FALSE(infer("GatherND", {f32({5, 4}), i64_type({2, kU})})[0].rank_known);
  auto nz = infer("NonZero", {f32({kU, 3})})[0];
  EXPECT_EQ(nz.dtype, DType::I64);
  EXPECT_EQ(nz.dims, (Shape{2, kU}));
  EXPECT_EQ(infer("Compress", {f32({4, 3}), TensorType(DType::Bool, {4})}, attrs({{"axis", int64_t{0}}}))[0].dims,
            (Shape{kU, 3}));
  auto topk = infer("TopK", {f32({kU, 8}), i64_type({1})}, {}, {}, 17, 2);
  EXPECT_EQ(topk[0].dims, (Shape{kU, kU}));
  EXPECT_EQ(topk[1].dtype, DType::I64);
  EXPECT_THROW(infer("ScatterND", {f32({4, 3}), i64_type({2, 1}), f32({2, 4})}), Error);  // updates [2, 3]
}

TEST(TensorSchema, MakersAndShapeOps) {
  Tensor shape = i64({2, 3});
  EXPECT_EQ(infer("ConstantOfShape", {i64_type({2})}, {}, {&shape})[0].dims, (Shape{2, 3}));
  EXPECT_EQ(infer("ConstantOfShape", {i64_type({2})})[0].dims, (Shape{kU, kU}));
  graph::Attributes value = attrs({{"value", Tensor::from_vector<int8_t>({1}, {3})}});
  EXPECT_EQ(infer("ConstantOfShape", {i64_type({2})}, value)[0].dtype, DType::I8);
  EXPECT_EQ(infer("Range", {f32({}), f32({}), f32({})})[0].dims, (Shape{kU}));
  EXPECT_EQ(infer("Shape", {unranked()})[0].dims, (Shape{kU}));
  EXPECT_EQ(infer("Shape", {f32({kU, 2, 3})}, attrs({{"start", int64_t{1}}}), {}, 15)[0].dims, (Shape{2}));
  EXPECT_EQ(infer("Size", {unranked()})[0].dims, Shape{});
  EXPECT_EQ(infer("EyeLike", {f32({kU, 3})}, attrs({{"dtype", int64_t{7}}}))[0].dtype, DType::I64);
  auto hot = infer("OneHot", {i64_type({kU, 2}), i64_type({}), f32({2})}, attrs({{"axis", int64_t{1}}}))[0];
  EXPECT_EQ(hot.dims, (Shape{kU, kU, 2}));
  auto drop = infer("Dropout", {f32({kU, 3})}, {}, {}, 13, 2);
  EXPECT_EQ(drop[1].dtype, DType::Bool);
  EXPECT_EQ(drop[1].dims, (Shape{kU, 3}));
  EXPECT_EQ(infer("Dropout", {f32({2})}, {}, {}, 7, 2)[1].dtype, DType::F32);
  EXPECT_EQ(infer("Tile", {f32({kU, 3}), i64_type({2})})[0].dims, (Shape{kU, kU}));
  EXPECT_EQ(infer("Expand", {f32({3}), i64_type({2})})[0].dims, (Shape{kU, kU}));
}
