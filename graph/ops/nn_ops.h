// The nn family's schemas, one registration function per file; register_nn_ops (nn_ops.cpp)
// calls them all. Also the helpers those files share.
#pragma once

#include <initializer_list>
#include <vector>

#include "graph/op_registry.h"

namespace n2d2::graph {

void register_conv_ops(OpRegistry& r);           // conv_ops.cpp: Conv, ConvTranspose
void register_gemm_ops(OpRegistry& r);           // gemm_ops.cpp: Gemm
void register_matmul_ops(OpRegistry& r);         // matmul_ops.cpp: MatMul
void register_pool_ops(OpRegistry& r);           // pool_ops.cpp: Max/Average/Lp pooling and their global forms
void register_normalization_ops(OpRegistry& r);  // normalization_ops.cpp: BatchNormalization, Instance/Layer
                                                 // normalization, LRN, MeanVarianceNormalization

namespace detail {

// Attribute specs: with a default value, optional without one, or required.
AttrSpec float_attr(const char* name, float v);
AttrSpec int_attr(const char* name, int64_t v);
AttrSpec string_attr(const char* name, const char* v);
AttrSpec ints_attr(const char* name, std::vector<int64_t> v);
AttrSpec optional_attr(const char* name, AttrType t);
AttrSpec required_attr(const char* name, AttrType t);

// Fails unless input i (when its type is known) has one of `dtypes`.
void require_dtype(const InferContext& c, std::size_t i, std::initializer_list<DType> dtypes);
// float16, float32 or float64: the T of every nn op.
void require_float(const InferContext& c, std::size_t i);

// The kernel_shape attribute (checked positive); for Conv/ConvTranspose, `weight_dims` (W's
// spatial dims) when the attribute is absent, which must agree with it where known.
std::vector<int64_t> kernel_shape(const InferContext& c, const std::vector<int64_t>& weight_dims);

// X of rank >= 3 (N x C x D1 ...); fails naming `what` otherwise.
void require_spatial_rank(const InferContext& c, const TensorType& x, const char* what);

}  // namespace detail

}  // namespace n2d2::graph
