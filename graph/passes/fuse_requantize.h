// fuse_requantize: ai.n2d2 QConv -> Requantize becomes QConvRequantize and QAdd -> Requantize
// becomes QAddRequantize (graph/ops/quant_ops.cpp) when the int32 accumulator has that one use
// and is not a graph output, so that the integer kernels requantize in their epilogue and the
// int32 tensor never goes to memory. Returns the number of nodes fused.
#pragma once

#include "graph/op_registry.h"

namespace n2d2::graph {

int fuse_requantize(Graph& g, const OpRegistry& ops = OpRegistry::builtin());

}  // namespace n2d2::graph
