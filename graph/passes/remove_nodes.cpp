// Structural clean-ups: identity removal and dead-node elimination.
#include <set>

#include "graph/passes/passes.h"

namespace n2d2::graph {

namespace {
bool is_graph_output(const Graph& g, ValueId v) {
  for (ValueId o : g.outputs())
    if (o == v) return true;
  return false;
}

bool is_identity(const Graph& g, const Node& n, const std::vector<std::vector<NodeId>>& cons) {
  if (!n.domain.empty() || n.inputs.empty() || n.inputs[0] == kNoValue) return false;
  if (n.op_type == "Identity") return true;
  if (n.op_type != "Dropout") return false;
  // A used mask output, or training mode that is on or unknown, keeps the node.
  if (n.has_output(1) && (!cons[n.outputs[1]].empty() || is_graph_output(g, n.outputs[1]))) return false;
  if (n.has_input(2)) {
    const Value& tm = g.value(n.inputs[2]);
    if (!tm.initializer || tm.initializer->numel() != 1 || tm.initializer->to_double_vector()[0] != 0) return false;
  }
  return true;
}
}  // namespace

int remove_identities(Graph& g) {
  int removed = 0;
  auto cons = g.consumers();
  for (NodeId id = 0; id < static_cast<NodeId>(g.num_nodes()); ++id) {
    if (g.is_removed(id)) continue;
    const Node& n = g.node(id);
    if (!is_identity(g, n, cons)) continue;
    ValueId in = n.inputs[0], out = n.outputs[0];
    // The graph output keeps its name: only remove when the output is internal.
    if (is_graph_output(g, out)) continue;
    g.replace_uses(out, in);
    g.remove_node(id);
    ++removed;
  }
  if (removed) g.compact();
  return removed;
}

int remove_dead_nodes(Graph& g) {
  std::vector<bool> live_value(g.num_values(), false);
  for (ValueId v : g.outputs()) live_value[v] = true;
  auto order = g.topo_order();
  std::vector<bool> live_node(g.num_nodes(), false);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Node& n = g.node(*it);
    bool live = false;
    for (ValueId o : n.outputs) live = live || (o != kNoValue && live_value[o]);
    if (!live) continue;
    live_node[*it] = true;
    for (ValueId v : n.inputs)
      if (v != kNoValue) live_value[v] = true;
  }
  int removed = 0;
  for (NodeId id : order)
    if (!live_node[id]) {
      g.remove_node(id);
      ++removed;
    }
  if (removed) g.compact();
  return removed;
}

}  // namespace n2d2::graph
