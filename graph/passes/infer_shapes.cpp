#include "graph/passes/passes.h"

namespace n2d2::graph {

namespace {
// Keeps what inference found; fills what it left unknown from the declared type.
TensorType merge(const TensorType& inferred, const TensorType& declared) {
  if (!inferred.rank_known) {
    TensorType r = declared.rank_known ? declared : inferred;
    if (inferred.dtype != DType::Undefined) r.dtype = inferred.dtype;
    return r;
  }
  TensorType r = inferred;
  if (declared.rank_known && declared.rank() == inferred.rank()) {
    if (r.dim_names.empty()) r.dim_names.assign(r.rank(), "");
    for (std::size_t i = 0; i < r.rank(); ++i) {
      if (r.dims[i] < 0 && declared.dims[i] >= 0) r.dims[i] = declared.dims[i];
      if (r.dims[i] < 0 && i < declared.dim_names.size() && r.dim_names[i].empty())
        r.dim_names[i] = declared.dim_names[i];
    }
  }
  return r;
}
}  // namespace

void infer_shapes(Graph& g, const OpRegistry& ops) {
  for (NodeId id : g.topo_order()) {
    const Node& n = g.node(id);
    std::vector<TensorType> out = ops.infer(g, n);
    for (std::size_t i = 0; i < n.outputs.size(); ++i) {
      if (n.outputs[i] == kNoValue) continue;
      Value& val = g.value(n.outputs[i]);
      val.type = merge(out[i], val.type);
    }
  }
}

}  // namespace n2d2::graph
