// Registration functions of the op families, one per file group in graph/ops/.
// The explicit list of families is graph/ops/op_list.cpp.
#pragma once

#include "graph/op_registry.h"

namespace n2d2::graph {

void register_elementwise_ops(OpRegistry& r);  // elementwise_ops.cpp: unary/binary math, compare, logic, Cast, Where, Clip
void register_nn_ops(OpRegistry& r);           // nn_ops.cpp + conv/gemm/matmul/pool/normalization_ops.cpp
void register_tensor_ops(OpRegistry& r);       // tensor_*.cpp: reshape/transpose/concat/split/slice, gather/scatter, shape makers, TopK
void register_reduce_ops(OpRegistry& r);       // reduce_ops.cpp, softmax_ops.cpp: reductions, ArgMax/ArgMin, Softmax family, CumSum
void register_spatial_ops(OpRegistry& r);      // spatial_ops.cpp, pad_ops.cpp, resize_ops.cpp: Pad, Resize, Upsample, DepthToSpace, SpaceToDepth
void register_quant_ops(OpRegistry& r);        // quant_ops.cpp: ai.n2d2 integer ops (Quantize, QConv, Requantize, ...)
void register_fused_ops(OpRegistry& r);        // fused_ops.cpp: ai.n2d2 FusedConv, FusedGemm (after register_nn_ops)

}  // namespace n2d2::graph
