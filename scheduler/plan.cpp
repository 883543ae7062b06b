#include "scheduler/plan.h"

#include <algorithm>
#include <ostream>

#include "kernels/run_node.h"

namespace n2d2::sched {

Plan Plan::compile(graph::Graph g, const CompileOptions& opts, const graph::OpRegistry& ops,
                   const kernels::KernelRegistry& kernels) {
  Plan p;
  p.graph_ = std::move(g);
  p.ops_ = &ops;
  const graph::Graph& gr = p.graph_;
  std::vector<graph::NodeId> order = gr.topo_order();
  std::vector<int> step_of_node(gr.num_nodes(), -1);
  std::string unsupported;
  for (graph::NodeId id : order) {
    const graph::Node& n = gr.node(id);
    Step s;
    s.node = id;
    for (graph::ValueId v : n.inputs) s.in_slots.push_back(v);
    for (graph::ValueId v : n.outputs) s.out_slots.push_back(v);
    try {
      kernels::KernelChoice c = kernels.select(kernels::make_query(gr, n));
      s.kernel = c.impl;
      s.skipped = std::move(c.skipped);
      s.prepared = kernels::prepare_node(gr, n, *s.kernel);
    } catch (const UnsupportedError& e) {
      unsupported += std::string("\n  ") + e.what();
      continue;
    }
    if (opts.dispatch_log) {
      *opts.dispatch_log << "dispatch: " << n.label() << " -> " << s.kernel->name;
      for (const auto& sk : s.skipped) *opts.dispatch_log << " [skipped " << sk << "]";
      *opts.dispatch_log << "\n";
    }
    step_of_node[id] = static_cast<int>(p.steps_.size());
    p.steps_.push_back(std::move(s));
  }
  if (!unsupported.empty()) fail_unsupported("graph '", gr.name, "' has nodes no kernel can run:", unsupported);

  p.use_counts_.assign(gr.num_values(), 0);
  p.pinned_.assign(gr.num_values(), false);
  for (std::size_t v = 0; v < gr.num_values(); ++v) p.pinned_[v] = gr.value(static_cast<graph::ValueId>(v)).is_constant();
  for (graph::ValueId v : gr.inputs()) p.pinned_[v] = true;
  for (graph::ValueId v : gr.outputs()) p.pinned_[v] = true;
  for (std::size_t i = 0; i < p.steps_.size(); ++i) {
    Step& s = p.steps_[i];
    for (int slot : s.in_slots) {
      if (slot < 0) continue;
      ++p.use_counts_[slot];
      graph::NodeId prod = gr.value(slot).producer;
      if (prod == graph::kNoNode) continue;
      int ps = step_of_node[prod];
      if (std::find(s.preds.begin(), s.preds.end(), ps) == s.preds.end()) {
        s.preds.push_back(ps);
        p.steps_[ps].succs.push_back(static_cast<int>(i));
      }
    }
  }
  p.static_memory_ = plan_static_memory(p);
  return p;
}

}  // namespace n2d2::sched
