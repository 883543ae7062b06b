// Graph passes: each a function over the IR that says how much it changed. Tests: tests/graph/.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "graph/op_registry.h"

namespace n2d2::graph {

// Propagates value types in topological order with the registry's shape inference, using
// initializer values where known. Declared types of graph outputs are checked against the
// inferred ones. Throws n2d2::Error naming the node whose inputs do not fit.
void infer_shapes(Graph& g, const OpRegistry& ops = OpRegistry::builtin());

// Evaluates one node on constant inputs (kernels::evaluate_node, passed in so that the graph
// module does not depend on kernels).
using NodeEvaluator = std::function<std::vector<n2d2::Tensor>(const Node&, std::span<const n2d2::Tensor* const>)>;

// Replaces nodes whose inputs are all constant by initializers; Shape/Size of values with a fully
// known shape are folded too, which collapses the Shape→Gather→Unsqueeze→Concat→Reshape chains
// that exporters leave. Returns the number of nodes folded. Folded results above
// `max_folded_bytes` are left unfolded (e.g. a huge ConstantOfShape).
int fold_constants(Graph& g, const NodeEvaluator& eval, const OpRegistry& ops = OpRegistry::builtin(),
                   std::size_t max_folded_bytes = std::size_t{64} << 20);

// Removes Identity nodes and inference-mode Dropout (no mask output used), rewiring consumers.
int remove_identities(Graph& g);

// Folds inference BatchNormalization into the preceding Conv/Gemm (new weights and bias) when
// the Conv/Gemm output has no other use and every parameter is a float32 constant. Returns the
// number folded (graph/passes/fold_batchnorm.cpp).
int fold_batchnorm(Graph& g);

// Fuses Conv -> [residual Add] -> [Relu|Clip|LeakyRelu|Sigmoid|HardSwish] chains into ai.n2d2
// FusedConv nodes (float32, known shapes, single-use intermediates). Returns the number of
// FusedConv nodes made (graph/passes/fuse_conv_epilogue.cpp).
int fuse_conv_epilogue(Graph& g, const OpRegistry& ops = OpRegistry::builtin());

// Fuses float32 Gemm -> [Relu|Clip|LeakyRelu|Sigmoid|HardSwish] into ai.n2d2 FusedGemm nodes when
// the Gemm output has that one use and is not a graph output. Returns the number of FusedGemm
// nodes made (graph/passes/fuse_conv_epilogue.cpp).
int fuse_gemm_epilogue(Graph& g, const OpRegistry& ops = OpRegistry::builtin());

// Removes nodes none of whose outputs reach a graph output. Returns the number removed.
int remove_dead_nodes(Graph& g);

}  // namespace n2d2::graph
