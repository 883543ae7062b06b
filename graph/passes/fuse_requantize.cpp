#include "graph/passes/fuse_requantize.h"

#include "graph/ops/quant_ops.h"
#include "graph/passes/fusion_util.h"

namespace n2d2::graph {

int fuse_requantize(Graph& g, const OpRegistry& ops) {
  const SoleConsumers sole_consumer(g);
  int fused = 0;
  for (NodeId id : g.topo_order()) {
    if (g.is_removed(id)) continue;
    const Node acc = g.node(id);
    if (acc.domain != kN2D2Domain || (acc.op_type != "QConv" && acc.op_type != "QAdd") || !acc.has_output(0)) continue;
    ValueId y = acc.outputs[0];
    const NodeId rid = sole_consumer(y);
    if (rid == kNoNode) continue;
    const Node& rq = g.node(rid);
    if (rq.domain != kN2D2Domain || rq.op_type != "Requantize" || rq.inputs.size() != 1 || !rq.has_output(0)) continue;
    Node f;
    f.name = acc.name;
    f.op_type = acc.op_type + "Requantize";
    f.domain = kN2D2Domain;
    f.attrs = acc.attrs;
    for (const auto& [name, value] : rq.attrs.all()) f.attrs.set(name, value);
    f.inputs = acc.inputs;
    f.outputs = {rq.outputs[0]};
    replace_with(g, ops, {id, rid}, std::move(f));
    ++fused;
  }
  if (fused) g.compact();
  return fused;
}

}  // namespace n2d2::graph
