// A compiled graph: steps in topological order, each with its chosen kernel and the slots
// (one per graph value) it reads and writes. Both executors run the same Plan.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "graph/op_registry.h"
#include "kernels/registry.h"
#include "scheduler/static_memory.h"

namespace n2d2::sched {

struct Step {
  graph::NodeId node = graph::kNoNode;
  const kernels::KernelImpl* kernel = nullptr;
  std::vector<int> in_slots;   // -1 for an absent optional input
  std::vector<int> out_slots;  // -1 for an absent optional output
  std::vector<int> preds;      // steps producing this step's inputs (deduplicated)
  std::vector<int> succs;      // steps consuming this step's outputs (deduplicated)
  std::vector<std::string> skipped;  // "impl: reason" of kernels that declined
  std::shared_ptr<const void> prepared;  // the kernel's prepare() result (packed weights), or null
};

struct CompileOptions {
  std::ostream* dispatch_log = nullptr;  // N2D2_VERBOSE=dispatch: one line per node
};

class Plan {
 public:
  // Selects a kernel for every node (all unsupported nodes are listed in one UnsupportedError).
  static Plan compile(graph::Graph g, const CompileOptions& opts = {},
                      const graph::OpRegistry& ops = graph::OpRegistry::builtin(),
                      const kernels::KernelRegistry& kernels = kernels::KernelRegistry::builtin());

  const graph::Graph& graph() const { return graph_; }
  const graph::OpRegistry& ops() const { return *ops_; }
  const std::vector<Step>& steps() const { return steps_; }
  std::size_t num_slots() const { return graph_.num_values(); }
  // Number of step inputs reading each slot: a slot is released when they have all run.
  const std::vector<int>& use_counts() const { return use_counts_; }
  // Slots that outlive a run: constants, graph inputs and graph outputs.
  const std::vector<bool>& pinned() const { return pinned_; }
  // Arena offsets of the intermediate values with static types (scheduler/static_memory.h).
  const StaticMemory& static_memory() const { return static_memory_; }

 private:
  graph::Graph graph_;
  const graph::OpRegistry* ops_ = nullptr;
  std::vector<Step> steps_;
  std::vector<int> use_counts_;
  std::vector<bool> pinned_;
  StaticMemory static_memory_;
};

}  // namespace n2d2::sched
