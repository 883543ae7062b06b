// fold_batchnorm: an inference BatchNormalization whose input is the only use of a Conv or Gemm
// output, with constant float32 parameters, becomes new weights and bias of that Conv/Gemm:
// s = scale / sqrt(var + epsilon), W'[m] = W[m] * s[m], b'[m] = (b[m] - mean[m]) * s[m] + B[m].
// Values are computed in double and rounded once.
#include <cmath>

#include "graph/passes/passes.h"

namespace n2d2::graph {

namespace {

bool used(const Graph& g, const std::vector<std::vector<NodeId>>& cons, const Node& n, std::size_t out) {
  if (!n.has_output(out)) return false;
  if (!cons[n.outputs[out]].empty()) return true;
  for (ValueId o : g.outputs())
    if (o == n.outputs[out]) return true;
  return false;
}

// The constant float32 1-D value of input `i` with `m` elements, or nullptr.
const n2d2::Tensor* vector_param(const Graph& g, const Node& n, std::size_t i, int64_t m) {
  if (!n.has_input(i)) return nullptr;
  const Value& v = g.value(n.inputs[i]);
  if (!v.initializer || v.initializer->dtype() != DType::F32 || v.initializer->rank() != 1 ||
      v.initializer->numel() != m)
    return nullptr;
  return &*v.initializer;
}

const n2d2::Tensor* constant_f32(const Graph& g, const Node& n, std::size_t i) {
  if (!n.has_input(i)) return nullptr;
  const Value& v = g.value(n.inputs[i]);
  return v.initializer && v.initializer->dtype() == DType::F32 ? &*v.initializer : nullptr;
}

}  // namespace

int fold_batchnorm(Graph& g) {
  auto cons = g.consumers();
  std::vector<bool> is_output(g.num_values(), false);
  for (ValueId o : g.outputs()) is_output[o] = true;
  int folded = 0;
  for (NodeId id = 0; id < static_cast<NodeId>(g.num_nodes()); ++id) {
    if (g.is_removed(id)) continue;
    const Node& bn = g.node(id);
    if (bn.op_type != "BatchNormalization" || !bn.domain.empty() || bn.inputs.size() < 5) continue;
    if (used(g, cons, bn, 1) || used(g, cons, bn, 2) || bn.attrs.i_or("training_mode", 0) != 0) continue;
    ValueId x = bn.inputs[0];
    NodeId pid = g.value(x).producer;
    if (pid == kNoNode || g.is_removed(pid) || cons[x].size() != 1 || is_output[x]) continue;
    Node& p = g.node(pid);
    const bool conv = p.op_type == "Conv" && p.domain.empty();
    const bool gemm = p.op_type == "Gemm" && p.domain.empty();
    if (!conv && !gemm) continue;
    const n2d2::Tensor* w = constant_f32(g, p, 1);
    if (!w || w->rank() < 2) continue;
    const bool trans_b = gemm && p.attrs.i_or("transB", 0) != 0;
    const int64_t m = conv || trans_b ? w->shape()[0] : w->shape()[1];
    if (gemm && w->rank() != 2) continue;
    const n2d2::Tensor *scale = vector_param(g, bn, 1, m), *shift = vector_param(g, bn, 2, m),
                       *mean = vector_param(g, bn, 3, m), *var = vector_param(g, bn, 4, m);
    if (!scale || !shift || !mean || !var) continue;
    // Bias: Conv's B ([m]); Gemm's C times beta, [m] or [1, m] (a C of other shapes is left alone).
    const n2d2::Tensor* b = constant_f32(g, p, 2);
    if (p.has_input(2) && !b) continue;
    double beta = gemm ? p.attrs.f_or("beta", 1.f) : 1.0;
    if (b && !(b->numel() == m && (b->rank() == 1 || (b->rank() == 2 && b->shape()[0] == 1))) &&
        !(b->numel() == 1))
      continue;
    const double eps = bn.attrs.f_or("epsilon", 1e-5f);
    std::vector<double> s(static_cast<std::size_t>(m));
    for (int64_t c = 0; c < m; ++c)
      s[c] = scale->data<float>()[c] / std::sqrt(static_cast<double>(var->data<float>()[c]) + eps);

    n2d2::Tensor w2(DType::F32, w->shape());
    const float* ws = w->data<float>();
    float* wd = w2.data_mut<float>();
    if (conv || trans_b) {
      int64_t per = w->numel() / std::max<int64_t>(m, 1);
      for (int64_t c = 0; c < m; ++c)
        for (int64_t i = 0; i < per; ++i) wd[c * per + i] = static_cast<float>(ws[c * per + i] * s[c]);
    } else {
      int64_t rows = w->shape()[0];
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < m; ++c) wd[r * m + c] = static_cast<float>(ws[r * m + c] * s[c]);
    }
    n2d2::Tensor b2(DType::F32, {m});
    for (int64_t c = 0; c < m; ++c) {
      double bias = b ? beta * b->data<float>()[b->numel() == 1 ? 0 : c] : 0.0;
      b2.data_mut<float>()[c] =
          static_cast<float>((bias - mean->data<float>()[c]) * s[c] + shift->data<float>()[c]);
    }
    ValueId wv = g.add_initializer(bn.name + "/folded_W", std::move(w2));
    ValueId bv = g.add_initializer(bn.name + "/folded_B", std::move(b2));
    Node& pn = g.node(pid);  // add_initializer does not touch nodes, but keep the reference fresh
    pn.inputs.resize(3, kNoValue);
    pn.inputs[1] = wv;
    pn.inputs[2] = bv;
    if (gemm) pn.attrs.set("beta", 1.f);
    ValueId y = g.node(id).outputs[0];
    pn.outputs[0] = y;
    g.value(y).producer = pid;
    g.remove_node(id);
    ++folded;
  }
  if (folded) g.compact();
  return folded;
}

}  // namespace n2d2::graph
