#include "graph/queries.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dominator_tree.hpp>

namespace n2d2::graph {

std::vector<NodeId> immediate_dominators(const Graph& g) {
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
  std::size_t n = g.num_nodes(), entry = n;  // vertex n is the virtual entry
  G bg(n + 1);
  for (std::size_t v = 0; v < n; ++v) {
    if (g.is_removed(static_cast<NodeId>(v))) continue;
    bool has_pred = false;
    for (ValueId in : g.node(static_cast<NodeId>(v)).inputs) {
      if (in == kNoValue) continue;
      NodeId p = g.value(in).producer;
      if (p == kNoNode || g.is_removed(p)) continue;
      boost::add_edge(static_cast<std::size_t>(p), v, bg);
      has_pred = true;
    }
    if (!has_pred) boost::add_edge(entry, v, bg);
  }
  using Vertex = boost::graph_traits<G>::vertex_descriptor;
  std::vector<Vertex> idom(n + 1, boost::graph_traits<G>::null_vertex());
  auto index = boost::get(boost::vertex_index, bg);
  auto idom_map = boost::make_iterator_property_map(idom.begin(), index);
  boost::lengauer_tarjan_dominator_tree(bg, boost::vertex(entry, bg), idom_map);
  std::vector<NodeId> r(n, kNoNode);
  for (std::size_t v = 0; v < n; ++v)
    if (idom[v] != boost::graph_traits<G>::null_vertex() && idom[v] != entry) r[v] = static_cast<NodeId>(idom[v]);
  return r;
}

std::vector<Lifetime> value_lifetimes(const Graph& g, const std::vector<NodeId>& order) {
  std::vector<Lifetime> life(g.num_values());
  for (std::size_t step = 0; step < order.size(); ++step) {
    const Node& n = g.node(order[step]);
    for (ValueId v : n.inputs)
      if (v != kNoValue) life[v].last_use = static_cast<int>(step);
    for (ValueId v : n.outputs)
      if (v != kNoValue) life[v].def = static_cast<int>(step);
  }
  for (ValueId v : g.outputs()) life[v].last_use = static_cast<int>(order.size());
  return life;
}

}  // namespace n2d2::graph
