// Structural queries over the IR (Boost.Graph): dominators of the node graph and value liveness
// along a schedule. Used by `info`'s memory estimate, and by memory planning and the hardware
// mapper (residual branches: an Add's inputs meet at the node's immediate dominator).
#pragma once

#include <vector>

#include "graph/graph.h"

namespace n2d2::graph {

// Immediate dominator of each node in the data-flow graph, with a virtual entry feeding every
// node that reads only graph inputs/initializers. kNoNode for nodes dominated only by the entry
// (and for removed nodes). Index: NodeId.
std::vector<NodeId> immediate_dominators(const Graph& g);

// Liveness of each value along `order` (a topological order of the nodes): the step producing
// it (-1 for graph inputs and constants) and the last step reading it (-1 if none). Graph
// outputs live to the end (last_use = order.size()).
struct Lifetime {
  int def = -1;
  int last_use = -1;
};
std::vector<Lifetime> value_lifetimes(const Graph& g, const std::vector<NodeId>& order);

}  // namespace n2d2::graph
