#include "graph/analysis.h"

#include <algorithm>

#include "graph/queries.h"

namespace n2d2::graph {

namespace {
int64_t value_bytes(const Value& v) {
  if (!v.type.fully_known()) return -1;
  return shape_numel(v.type.dims) * static_cast<int64_t>(dtype_size(v.type.dtype));
}
}  // namespace

GraphStats analyze(const Graph& g, const OpRegistry& ops) {
  GraphStats s;
  for (const Value& v : g.values())
    if (v.initializer) {
      s.parameters += v.initializer->numel();
      s.parameter_bytes += static_cast<int64_t>(v.initializer->nbytes());
    }
  std::vector<NodeId> order = g.topo_order();
  std::vector<Lifetime> life = value_lifetimes(g, order);
  // Bytes of intermediate values produced at each step and freed after each step.
  std::vector<int64_t> born(order.size() + 1, 0), dies(order.size() + 1, 0);
  bool mem_known = true;
  for (std::size_t v = 0; v < g.num_values(); ++v) {
    const Lifetime& l = life[v];
    if (l.def < 0) continue;  // graph inputs and constants are not activation memory
    int64_t b = value_bytes(g.value(static_cast<ValueId>(v)));
    if (b < 0) {
      mem_known = false;
      continue;
    }
    born[l.def] += b;
    dies[std::max(l.def, l.last_use)] += b;
  }
  int64_t live = 0, peak = 0;
  for (std::size_t step = 0; step < order.size(); ++step) {
    NodeId id = order[step];
    const Node& n = g.node(id);
    ++s.op_histogram[n.op_type];
    NodeStats ns{id, 0};
    const OpSchema* schema = ops.find(n.op_type, n.domain, n.since_version);
    if (schema && schema->macs) {
      std::vector<TensorType> outs;
      for (ValueId v : n.outputs) outs.push_back(v == kNoValue ? TensorType{} : g.value(v).type);
      InferContext ctx = InferContext::of(g, n);
      bool known = true;
      for (const auto& t : outs) known = known && (t.dtype == DType::Undefined || t.fully_known());
      for (std::size_t i = 0; i < ctx.num_inputs(); ++i) known = known && (!ctx.has_input(i) || ctx.input_type(i).fully_known());
      ns.macs = known ? schema->macs(ctx, outs) : -1;
    }
    if (ns.macs < 0) s.macs_complete = false;
    else s.total_macs += ns.macs;
    s.nodes.push_back(ns);
    live += born[step];
    peak = std::max(peak, live);
    live -= dies[step];
  }
  s.activation_peak_bytes = mem_known ? peak : -1;
  return s;
}

}  // namespace n2d2::graph
