#include "graph/graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

namespace n2d2::graph {

std::string Node::label() const { return "'" + name + "' (" + op_type + ")"; }

ValueId Graph::add_value(std::string n, TensorType type) {
  Value v;
  v.name = std::move(n);
  v.type = std::move(type);
  values_.push_back(std::move(v));
  return static_cast<ValueId>(values_.size() - 1);
}

ValueId Graph::add_initializer(std::string n, n2d2::Tensor t) {
  ValueId id = add_value(std::move(n), t.type());
  values_.back().initializer = std::move(t);
  return id;
}

NodeId Graph::add_node(Node n) {
  auto id = static_cast<NodeId>(nodes_.size());
  for (ValueId o : n.outputs)
    if (o != kNoValue) value(o).producer = id;
  nodes_.push_back(std::move(n));
  removed_.push_back(false);
  return id;
}

std::optional<ValueId> Graph::find_value(const std::string& n) const {
  for (std::size_t i = 0; i < values_.size(); ++i)
    if (values_[i].name == n) return static_cast<ValueId>(i);
  return std::nullopt;
}

int64_t Graph::opset(const std::string& domain) const {
  auto it = opset_imports.find(domain);
  if (it == opset_imports.end() && domain == "ai.onnx") it = opset_imports.find("");
  return it == opset_imports.end() ? 0 : it->second;
}

std::vector<std::vector<NodeId>> Graph::consumers() const {
  std::vector<std::vector<NodeId>> c(values_.size());
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    if (removed_[n]) continue;
    for (ValueId v : nodes_[n].inputs)
      if (v != kNoValue) c[static_cast<std::size_t>(v)].push_back(static_cast<NodeId>(n));
  }
  return c;
}

void Graph::replace_uses(ValueId from, ValueId to) {
  for (auto& n : nodes_)
    for (auto& v : n.inputs)
      if (v == from) v = to;
  for (auto& v : outputs_)
    if (v == from) v = to;
}

void Graph::compact() {
  // Drop removed nodes.
  std::vector<Node> kept;
  kept.reserve(nodes_.size());
  for (std::size_t n = 0; n < nodes_.size(); ++n)
    if (!removed_[n]) kept.push_back(std::move(nodes_[n]));
  nodes_ = std::move(kept);
  removed_.assign(nodes_.size(), false);

  // Keep values that are referenced by a node, a graph input or a graph output.
  std::vector<bool> used(values_.size(), false);
  for (const auto& n : nodes_) {
    for (ValueId v : n.inputs)
      if (v != kNoValue) used[v] = true;
    for (ValueId v : n.outputs)
      if (v != kNoValue) used[v] = true;
  }
  for (ValueId v : inputs_) used[v] = true;
  for (ValueId v : outputs_) used[v] = true;
  std::vector<ValueId> remap(values_.size(), kNoValue);
  std::vector<Value> vals;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<ValueId>(vals.size());
    vals.push_back(std::move(values_[i]));
    vals.back().producer = kNoNode;
  }
  values_ = std::move(vals);
  auto fix = [&](ValueId& v) {
    if (v != kNoValue) v = remap[static_cast<std::size_t>(v)];
  };
  for (auto& n : nodes_) {
    for (auto& v : n.inputs) fix(v);
    for (auto& v : n.outputs) fix(v);
  }
  for (auto& v : inputs_) fix(v);
  for (auto& v : outputs_) fix(v);
  for (std::size_t n = 0; n < nodes_.size(); ++n)
    for (ValueId o : nodes_[n].outputs)
      if (o != kNoValue) values_[o].producer = static_cast<NodeId>(n);
}

std::vector<NodeId> Graph::topo_order() const {
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  G g(nodes_.size());
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    if (removed_[n]) continue;
    for (ValueId v : nodes_[n].inputs) {
      if (v == kNoValue) continue;
      NodeId p = values_[v].producer;
      if (p != kNoNode && !removed_[p]) boost::add_edge(static_cast<std::size_t>(p), n, g);
    }
  }
  std::vector<std::size_t> rev;
  try {
    boost::topological_sort(g, std::back_inserter(rev));
  } catch (const boost::not_a_dag&) {
    // Name the nodes of one cycle: the largest strongly connected component.
    std::vector<int> comp(nodes_.size());
    int nc = boost::strong_components(g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
    std::vector<int> size(static_cast<std::size_t>(nc), 0);
    for (int c : comp) ++size[static_cast<std::size_t>(c)];
    int worst = static_cast<int>(std::max_element(size.begin(), size.end()) - size.begin());
    std::string names;
    for (std::size_t n = 0; n < nodes_.size(); ++n)
      if (comp[n] == worst && size[worst] > 1) names += (names.empty() ? "" : ", ") + nodes_[n].label();
    // A self-loop (node reading its own output) is a component of size 1.
    if (names.empty())
      for (std::size_t n = 0; n < nodes_.size(); ++n)
        for (ValueId v : nodes_[n].inputs)
          if (v != kNoValue && values_[v].producer == static_cast<NodeId>(n)) names = nodes_[n].label();
    fail("graph '", name, "' has a cycle through ", names);
  }
  std::vector<NodeId> order;
  order.reserve(rev.size());
  for (auto it = rev.rbegin(); it != rev.rend(); ++it)
    if (!removed_[*it]) order.push_back(static_cast<NodeId>(*it));
  return order;
}

}  // namespace n2d2::graph
