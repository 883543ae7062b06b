#include <algorithm>

#include "graph/passes/passes.h"

namespace n2d2::graph {

namespace {

// Shape and Size only need their input's type: fold them when that shape is fully known.
std::optional<n2d2::Tensor> fold_from_type(const Graph& g, const Node& n) {
  if (!n.domain.empty() || n.inputs.empty() || n.inputs[0] == kNoValue) return std::nullopt;
  const TensorType& t = g.value(n.inputs[0]).type;
  if (!t.fully_known()) return std::nullopt;
  if (n.op_type == "Size") return n2d2::Tensor::scalar<int64_t>(shape_numel(t.dims));
  if (n.op_type != "Shape") return std::nullopt;
  auto rank = static_cast<int64_t>(t.rank());
  int64_t start = n.attrs.i_or("start", 0), end = n.attrs.i_or("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  std::vector<int64_t> dims(t.dims.begin() + start, t.dims.begin() + end);
  return n2d2::Tensor::from_vector<int64_t>({static_cast<int64_t>(dims.size())}, dims);
}

bool all_inputs_constant(const Graph& g, const Node& n) {
  for (ValueId v : n.inputs)
    if (v != kNoValue && !g.value(v).is_constant()) return false;
  return true;
}

}  // namespace

int fold_constants(Graph& g, const NodeEvaluator& eval, const OpRegistry& ops, std::size_t max_folded_bytes) {
  int folded = 0;
  for (NodeId id : g.topo_order()) {
    const Node& n = g.node(id);
    std::vector<n2d2::Tensor> results;
    if (auto t = fold_from_type(g, n)) {
      results.push_back(std::move(*t));
    } else if (all_inputs_constant(g, n)) {
      std::vector<const n2d2::Tensor*> in;
      for (ValueId v : n.inputs) in.push_back(v == kNoValue ? nullptr : &*g.value(v).initializer);
      try {
        results = eval(n, in);
      } catch (const UnsupportedError&) {
        results.clear();  // no kernel for these types: the node stays and the executor decides
      }
      std::size_t bytes = 0;
      for (const auto& r : results) bytes += r.nbytes();
      if (bytes > max_folded_bytes) results.clear();
    }
    if (results.empty()) {
      // Not folded: refresh its output types, which may depend on inputs folded just before.
      std::vector<TensorType> out = ops.infer(g, n);
      for (std::size_t i = 0; i < n.outputs.size(); ++i)
        if (n.outputs[i] != kNoValue && (out[i].rank_known || !g.value(n.outputs[i]).type.rank_known))
          g.value(n.outputs[i]).type = out[i];
      continue;
    }
    for (std::size_t i = 0; i < n.outputs.size() && i < results.size(); ++i) {
      if (n.outputs[i] == kNoValue) continue;
      Value& v = g.value(n.outputs[i]);
      v.type = results[i].type();
      v.initializer = std::move(results[i]);
      v.producer = kNoNode;
    }
    g.remove_node(id);
    ++folded;
  }
  if (folded) g.compact();
  return folded;
}

}  // namespace n2d2::graph
