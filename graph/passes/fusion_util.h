// What the fusion passes (fuse_conv_epilogue.cpp, fuse_requantize.cpp) share: which node may absorb
// a value, and the replacement of the fused nodes by their fused node.
#pragma once

#include <vector>

#include "graph/graph.h"
#include "graph/op_registry.h"

namespace n2d2::graph {

// The consumers of every value, taken once before a pass rewrites the graph.
class SoleConsumers {
 public:
  explicit SoleConsumers(const Graph& g) : g_(g), cons_(g.consumers()), is_output_(g.num_values(), false) {
    for (ValueId o : g.outputs()) is_output_[o] = true;
  }
  // The one live consumer of v that may absorb it, or kNoNode (several consumers, none, or v is a
  // graph output).
  NodeId operator()(ValueId v) const {
    if (cons_[v].size() != 1 || is_output_[v] || g_.is_removed(cons_[v][0])) return kNoNode;
    return cons_[v][0];
  }

 private:
  const Graph& g_;
  std::vector<std::vector<NodeId>> cons_;
  std::vector<bool> is_output_;
};

// Binds f (opset 1 of its domain), removes the nodes it replaces and adds it.
inline void replace_with(Graph& g, const OpRegistry& ops, const std::vector<NodeId>& replaced, Node f) {
  ops.bind(f, 1);
  for (NodeId n : replaced) g.remove_node(n);
  g.add_node(std::move(f));
}

}  // namespace n2d2::graph
