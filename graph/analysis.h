// Static figures of a graph for `n2d2-flow info`: op histogram, parameters, MACs per node and an
// activation-memory estimate from value liveness in topological order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "graph/op_registry.h"

namespace n2d2::graph {

struct NodeStats {
  NodeId node = kNoNode;
  int64_t macs = 0;  // -1 when unknown (shapes not static)
};

struct GraphStats {
  std::map<std::string, int> op_histogram;  // op type -> node count
  int64_t parameters = 0;                   // elements of all initializers
  int64_t parameter_bytes = 0;
  int64_t total_macs = 0;                   // sum of known node MACs
  bool macs_complete = true;                // false when some node's MACs are unknown
  std::vector<NodeStats> nodes;             // in topological order
  int64_t activation_peak_bytes = -1;       // live intermediate bytes at the worst step; -1 if unknown
};

GraphStats analyze(const Graph& g, const OpRegistry& ops = OpRegistry::builtin());

}  // namespace n2d2::graph
