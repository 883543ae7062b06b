// Shape inference of the nn family: output shapes of windows (pads, strides, dilations,
// auto_pad, ceil_mode, output_shape), unknown dims and ranks, output types, MACs, schema versions,
// and the inputs it rejects.
#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using graph::OpRegistry;

namespace {
using ints = std::vector<int64_t>;
constexpr int64_t kU = kUnknownDim;

TensorType f32(Shape s) { return TensorType(DType::F32, std::move(s)); }
TensorType unknown() { return TensorType::unknown_shape(DType::F32); }

struct Inferred {
  std::vector<TensorType> types;
  int64_t macs = -1;  // -1: the op has no MACs function
};

// Output types (and MACs) of `op` for the given input types; absent inputs: TensorType{}.
Inferred infer(const std::string& op, const std::vector<TensorType>& in, graph::Attributes a = {}, int64_t opset = 17,
               int outputs = 1) {
  graph::Node n = test::make_node(op, static_cast<int>(in.size()), outputs, std::move(a), opset);
  std::vector<const TensorType*> types;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].dtype == DType::Undefined) n.inputs[i] = graph::kNoValue;
    types.push_back(in[i].dtype == DType::Undefined ? nullptr : &in[i]);
  }
  Inferred r;
  r.types = OpRegistry::builtin().infer(n, types, std::vector<const Tensor*>(in.size(), nullptr));
  const graph::OpSchema* s = OpRegistry::builtin().find(op, "", opset);
  if (s->macs && r.types[0].fully_known()) r.macs = s->macs(graph::InferContext(n, types, {}), r.types);
  return r;
}
Shape dims(const std::string& op, const std::vector<TensorType>& in, graph::Attributes a = {}, int64_t opset = 17) {
  return infer(op, in, std::move(a), opset).types[0].dims;
}
}  // namespace

TEST(NnSchema, ConvOutputSizes) {
  TensorType x = f32({1, 3, 224, 224}), w = f32({64, 3, 7, 7});
  // ResNet stem: (224 + 6 - 7) / 2 + 1 = 112
  auto stem = infer("Conv", {x, w}, attrs({{"pads", ints{3, 3, 3, 3}}, {"strides", ints{2, 2}}}));
  EXPECT_EQ(stem.types[0].dims, (Shape{1, 64, 112, 112}));
  EXPECT_EQ(stem.macs, 64 * 112 * 112 * 3 * 7 * 7);
  // dilation 2 makes a 3x3 kernel span 5: 10 - 5 + 1
  EXPECT_EQ(dims("Conv", {f32({1, 1, 10}), f32({1, 1, 3})}, attrs({{"dilations", ints{2}}})), (Shape{1, 1, 6}));
  // SAME_UPPER/SAME_LOWER: ceil(in / stride); VALID: (in - k) / stride + 1
  EXPECT_EQ(dims("Conv", {f32({1, 1, 7, 8}), f32({1, 1, 3, 3})}, attrs({{"auto_pad", std::string("SAME_LOWER")}, {"strides", ints{2, 2}}})),
            (Shape{1, 1, 4, 4}));
  EXPECT_EQ(dims("Conv", {f32({1, 1, 7, 8}), f32({1, 1, 3, 3})}, attrs({{"auto_pad", std::string("VALID")}, {"strides", ints{2, 2}}})),
            (Shape{1, 1, 3, 3}));
  // depthwise: 32 groups, W [32, 1, 3, 3]; MACs count one input channel per output
  auto dw = infer("Conv", {f32({1, 32, 8, 8}), f32({32, 1, 3, 3})}, attrs({{"group", int64_t{32}}, {"pads", ints{1, 1, 1, 1}}}));
  EXPECT_EQ(dw.types[0].dims, (Shape{1, 32, 8, 8}));
  EXPECT_EQ(dw.macs, 32 * 8 * 8 * 9);
  // kernel_shape consistent with W is accepted
  EXPECT_EQ(dims("Conv", {x, w}, attrs({{"kernel_shape", ints{7, 7}}})), (Shape{1, 64, 218, 218}));
}

TEST(NnSchema, ConvUnknownDimsPropagate) {
  EXPECT_EQ(dims("Conv", {f32({kU, 3, kU, 32}), f32({8, 3, 3, 3})}), (Shape{kU, 8, kU, 30}));
  // unknown W spatial dims: unknown output dims, except with SAME padding
  EXPECT_EQ(dims("Conv", {f32({1, 3, 32, 32}), f32({8, 3, kU, 3})}), (Shape{1, 8, kU, 30}));
  EXPECT_EQ(dims("Conv", {f32({1, 3, 32, 32}), f32({8, 3, kU, kU})}, attrs({{"auto_pad", std::string("SAME_UPPER")}})),
            (Shape{1, 8, 32, 32}));
  EXPECT_FALSE(infer("Conv", {unknown(), f32({8, 3, 3, 3})}).types[0].rank_known);
  EXPECT_EQ(infer("Conv", {unknown(), f32({8, 3, 3, 3})}).types[0].dtype, DType::F32);
}

TEST(NnSchema, ConvTransposeOutputSizes) {
  TensorType x = f32({1, 4, 5, 5}), w = f32({4, 3, 3, 3});
  // stride 2: 2 * (5 - 1) + 3 = 11, minus pads 1 + 1, plus output_padding 1
  auto up = infer("ConvTranspose", {x, w}, attrs({{"strides", ints{2, 2}}, {"pads", ints{1, 1, 1, 1}}, {"output_padding", ints{1, 1}}}));
  EXPECT_EQ(up.types[0].dims, (Shape{1, 3, 10, 10}));
  EXPECT_EQ(up.macs, 4 * 5 * 5 * 3 * 3 * 3);  // every input element times W[c]'s 3 x 3 x 3
  // groups multiply W's second dim; output_shape and SAME give the size directly
  EXPECT_EQ(dims("ConvTranspose", {x, f32({4, 2, 3, 3})}, attrs({{"group", int64_t{2}}})), (Shape{1, 4, 7, 7}));
  EXPECT_EQ(dims("ConvTranspose", {x, w}, attrs({{"strides", ints{2, 2}}, {"output_shape", ints{10, 9}}})), (Shape{1, 3, 10, 9}));
  EXPECT_EQ(dims("ConvTranspose", {x, w}, attrs({{"strides", ints{3, 2}}, {"auto_pad", std::string("SAME_UPPER")}})), (Shape{1, 3, 15, 10}));
  EXPECT_EQ(dims("ConvTranspose", {f32({kU, 4, kU, 5}), w}), (Shape{kU, 3, kU, 7}));
}

TEST(NnSchema, GemmAndMatMul) {
  auto g = infer("Gemm", {f32({4, 3}), f32({5, 3}), f32({5})}, attrs({{"transB", int64_t{1}}}));
  EXPECT_EQ(g.types[0].dims, (Shape{4, 5}));
  EXPECT_EQ(g.macs, 4 * 5 * 3);
  EXPECT_EQ(infer("Gemm", {f32({3, 4}), f32({3, 5})}, attrs({{"transA", int64_t{1}}})).macs, 4 * 5 * 3);
  EXPECT_EQ(dims("Gemm", {f32({kU, 3}), f32({3, 5}), f32({1, 5})}), (Shape{kU, 5}));
  EXPECT_EQ(dims("Gemm", {f32({kU, 3}), f32({3, 5}), f32({7, 1})}), (Shape{kU, 5}));  // C's 7 can only be checked at run time
  // MatMul: 1-D promotion drops the added dims; batch dims broadcast, unknown ones included
  EXPECT_EQ(dims("MatMul", {f32({3}), f32({3})}), (Shape{}));
  EXPECT_EQ(dims("MatMul", {f32({2, 1, 4, 3}), f32({5, 3, 6})}), (Shape{2, 5, 4, 6}));
  EXPECT_EQ(dims("MatMul", {f32({kU, 4, 3}), f32({3})}), (Shape{kU, 4}));
  auto mm = infer("MatMul", {f32({2, 4, 3}), f32({3, 6})});
  EXPECT_EQ(mm.macs, 2 * 4 * 6 * 3);
  EXPECT_FALSE(infer("MatMul", {unknown(), f32({3, 6})}).types[0].rank_known);
}

TEST(NnSchema, PoolingOutputSizesAndTypes) {
  TensorType x = f32({1, 64, 112, 112});
  // ResNet max pool 3x3 stride 2 pad 1: (112 + 2 - 3) / 2 + 1 = 56; Indices are int64 of the same shape
  auto mp = infer("MaxPool", {x}, attrs({{"kernel_shape", ints{3, 3}}, {"strides", ints{2, 2}}, {"pads", ints{1, 1, 1, 1}}}), 12, 2);
  EXPECT_EQ(mp.types[0].dims, (Shape{1, 64, 56, 56}));
  EXPECT_EQ(mp.types[1].dtype, DType::I64);
  EXPECT_EQ(mp.types[1].dims, (Shape{1, 64, 56, 56}));
  // ceil_mode: (6 - 3) / 2 rounds up to 2, + 1; a last window starting in the padding is dropped
  EXPECT_EQ(dims("AveragePool", {f32({1, 1, 6})}, attrs({{"kernel_shape", ints{3}}, {"strides", ints{2}}, {"ceil_mode", int64_t{1}}})),
            (Shape{1, 1, 3}));
  graph::Attributes ceil = attrs({{"kernel_shape", ints{2}}, {"strides", ints{2}}, {"pads", ints{0, 1}}, {"ceil_mode", int64_t{1}}});
  EXPECT_EQ(dims("MaxPool", {f32({1, 1, 5})}, ceil), (Shape{1, 1, 3}));  // windows at 0, 2, 4
  EXPECT_EQ(dims("MaxPool", {f32({1, 1, 4})}, ceil), (Shape{1, 1, 2}));  // the one at 4 would only cover padding
  EXPECT_EQ(dims("GlobalAveragePool", {f32({kU, 8, 7, 7})}), (Shape{kU, 8, 1, 1}));
  EXPECT_EQ(dims("LpPool", {f32({1, 2, 9})}, attrs({{"kernel_shape", ints{3}}, {"strides", ints{3}}})), (Shape{1, 2, 3}));
  EXPECT_EQ(infer("MaxPool", {TensorType(DType::U8, {1, 1, 4})}, attrs({{"kernel_shape", ints{2}}}), 12).types[0].dtype, DType::U8);
  EXPECT_THROW(infer("MaxPool", {TensorType(DType::U8, {1, 1, 4})}, attrs({{"kernel_shape", ints{2}}}), 11), Error);
  // MaxPool-1 has no Indices output, MaxPool-8 has
  EXPECT_THROW(infer("MaxPool", {x}, attrs({{"kernel_shape", ints{2, 2}}}), 7, 2), Error);
  EXPECT_NO_THROW(infer("MaxPool", {x}, attrs({{"kernel_shape", ints{2, 2}}}), 8, 2));
}

TEST(NnSchema, NormalizationTypes) {
  TensorType x = f32({2, 3, 4}), c3 = f32({3});
  EXPECT_EQ(infer("BatchNormalization", {x, c3, c3, c3, c3}).types[0].dims, x.dims);
  // BatchNormalization-14 allows 3 outputs at most (training), BatchNormalization-9 five
  EXPECT_THROW(infer("BatchNormalization", {x, c3, c3, c3, c3}, {}, 14, 5), Error);
  EXPECT_NO_THROW(infer("BatchNormalization", {x, c3, c3, c3, c3}, {}, 9, 5));
  // spatial=0 (version 7): parameters shaped like one sample
  EXPECT_NO_THROW(infer("BatchNormalization", {x, f32({3, 4}), f32({3, 4}), f32({3, 4}), f32({3, 4})},
                        attrs({{"spatial", int64_t{0}}}), 7));
  EXPECT_THROW(infer("BatchNormalization", {x, c3, c3, c3, c3}, attrs({{"spatial", int64_t{0}}}), 7), Error);
  // LayerNormalization statistics: X.dims[:axis] then 1s, of the stash type
  auto ln = infer("LayerNormalization", {TensorType(DType::F64, {2, 3, 4}), f32({3, 4})}, attrs({{"axis", int64_t{1}}}), 17, 3);
  EXPECT_EQ(ln.types[1].dtype, DType::F32);
  EXPECT_EQ(ln.types[1].dims, (Shape{2, 1, 1}));
  EXPECT_EQ(ln.types[0].dtype, DType::F64);
  EXPECT_EQ(infer("LayerNormalization", {f32({kU, 5}), f32({5})}, {}, 17, 3).types[2].dims, (Shape{kU, 1}));
  EXPECT_THROW(infer("LayerNormalization", {f32({2, 5}), f32({5})}, {}, 16), Error);  // LayerNormalization is opset 17
  EXPECT_THROW(infer("MeanVarianceNormalization", {f32({2, 3})}), Error);               // default axes {0, 2, 3} need rank 4
  EXPECT_THROW(infer("InstanceNormalization", {TensorType(DType::I32, {1, 1, 2}), f32({1}), f32({1})}), Error);
}
