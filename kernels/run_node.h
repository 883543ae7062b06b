// Running one node: infer output types from the actual inputs, allocate outputs, run the kernel,
// check what it produced. Used by the executors and by constant folding.
#pragma once

#include <span>
#include <vector>

#include "graph/op_registry.h"
#include "kernels/registry.h"

namespace n2d2::kernels {

// Builds the query a kernel's supports() sees from the graph's current value types.
KernelQuery make_query(const graph::Graph& g, const graph::Node& node);

// Runs `impl` on `inputs` (nullptr for absent ones), with `prepared` (KernelImpl::prepare's
// result, or nullptr). Throws n2d2::Error naming the node when shape inference rejects the inputs
// or the kernel reports an error.
std::vector<Tensor> run_node(const graph::Node& node, std::span<const Tensor* const> inputs, const KernelImpl& impl,
                             const graph::OpRegistry& ops, const void* prepared = nullptr);

// Runs `impl` into outputs the caller allocated (a Plan's arena) with the types shape inference
// gave when the Plan was compiled (no inference per run). A kernel that assigns another tensor
// (a view) to an output has it copied into the caller's buffer, so outputs stay where they were
// planned. Throws like run_node on a kernel error or a type the kernel changed.
void run_node_into(const graph::Node& node, std::span<const Tensor* const> inputs, const KernelImpl& impl,
                   std::span<Tensor> outputs, const void* prepared = nullptr);

// Calls impl.prepare (when it has one) with the graph's constant inputs of `node`.
std::shared_ptr<const void> prepare_node(const graph::Graph& g, const graph::Node& node, const KernelImpl& impl);

// Selects a kernel from the actual input types and runs it (constant folding, tests).
std::vector<Tensor> evaluate_node(const graph::Node& node, std::span<const Tensor* const> inputs,
                                  const graph::OpRegistry& ops = graph::OpRegistry::builtin(),
                                  const KernelRegistry& kernels = KernelRegistry::builtin());

}  // namespace n2d2::kernels
