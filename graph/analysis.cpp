#include "graph/analysis.h"

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
  auto cons = g.consumers();
  // Remaining readers of each value, to know when it dies.
  std::vector<int> remaining(g.num_values());
  for (std::size_t v = 0; v < g.num_values(); ++v) remaining[v] = static_cast<int>(cons[v].size());
  std::vector<bool> is_output(g.num_values(), false);
  for (ValueId v : g.outputs()) is_output[v] = true;
  int64_t live = 0, peak = 0;
  bool mem_known = true;
  for (NodeId id : order) {
    const Node& n = g.node(id);
    ++s.op_histogram[n.op_type];
    NodeStats ns{id, 0};
    const OpSchema* schema = ops.find(n.op_type, n.domain, n.since_version);
    if (schema && schema->macs) {
      std::vector<const TensorType*> types;
      std::vector<const n2d2::Tensor*> values;
      for (ValueId v : n.inputs) {
        types.push_back(v == kNoValue ? nullptr : &g.value(v).type);
        values.push_back(v != kNoValue && g.value(v).initializer ? &*g.value(v).initializer : nullptr);
      }
      std::vector<TensorType> outs;
      for (ValueId v : n.outputs) outs.push_back(v == kNoValue ? TensorType{} : g.value(v).type);
      InferContext ctx(n, types, values);
      bool known = true;
      for (const auto& t : outs) known = known && (t.dtype == DType::Undefined || t.fully_known());
      for (const auto* t : types) known = known && (!t || t->fully_known());
      ns.macs = known ? schema->macs(ctx, outs) : -1;
    }
    if (ns.macs < 0) s.macs_complete = false;
    else s.total_macs += ns.macs;
    s.nodes.push_back(ns);
    for (ValueId o : n.outputs) {
      if (o == kNoValue) continue;
      int64_t b = value_bytes(g.value(o));
      if (b < 0) mem_known = false;
      else live += b;
    }
    peak = std::max(peak, live);
    for (ValueId v : n.inputs) {
      if (v == kNoValue || g.value(v).producer == kNoNode) continue;
      if (--remaining[v] == 0 && !is_output[v]) live -= std::max<int64_t>(value_bytes(g.value(v)), 0);
    }
    for (ValueId o : n.outputs)
      if (o != kNoValue && remaining[o] == 0 && !is_output[o]) live -= std::max<int64_t>(value_bytes(g.value(o)), 0);
  }
  s.activation_peak_bytes = mem_known ? peak : -1;
  return s;
}

}  // namespace n2d2::graph
