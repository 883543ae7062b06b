// fuse_conv_epilogue: Conv -> [Add of a residual of the same shape] -> [Relu | Clip | LeakyRelu |
// Sigmoid | HardSwish] becomes one ai.n2d2 FusedConv (graph/ops/fused_ops.cpp) when each
// intermediate value has that one use and is not a graph output. Float32 only.
// fuse_gemm_epilogue: Gemm -> [Relu | Clip | LeakyRelu | Sigmoid | HardSwish] becomes one ai.n2d2
// FusedGemm on the same conditions (the activations are shared with the conv fusion).
#include <cfloat>

#include "graph/passes/fusion_util.h"
#include "graph/passes/passes.h"

namespace n2d2::graph {

namespace {

struct Act {
  std::string name;
  float alpha = 0.f, beta = 0.f;
};

// The scalar float32 constant of input i; false when absent (value left) or not constant.
bool scalar_input(const Graph& g, const Node& n, std::size_t i, float& v) {
  if (!n.has_input(i)) return true;
  const Value& val = g.value(n.inputs[i]);
  if (!val.initializer || val.initializer->dtype() != DType::F32 || val.initializer->numel() != 1) return false;
  v = val.initializer->data<float>()[0];
  return true;
}

bool activation_of(const Graph& g, const Node& n, Act& a) {
  if (!n.domain.empty()) return false;
  if (n.op_type == "Relu" || n.op_type == "Sigmoid" || n.op_type == "HardSwish") {
    a.name = n.op_type;
    return true;
  }
  if (n.op_type == "LeakyRelu") {
    a = {"LeakyRelu", n.attrs.f_or("alpha", 0.01f), 0.f};
    return true;
  }
  if (n.op_type == "Clip") {
    float lo = -FLT_MAX, hi = FLT_MAX;
    if (n.since_version < 11) {
      lo = n.attrs.f_or("min", lo);
      hi = n.attrs.f_or("max", hi);
    } else if (!scalar_input(g, n, 1, lo) || !scalar_input(g, n, 2, hi)) {
      return false;
    }
    a = {"Clip", lo, hi};
    return true;
  }
  return false;
}

}  // namespace

int fuse_conv_epilogue(Graph& g, const OpRegistry& ops) {
  const SoleConsumers sole_consumer(g);
  int fused = 0;
  for (NodeId id : g.topo_order()) {
    if (g.is_removed(id)) continue;
    const Node conv = g.node(id);
    if (conv.op_type != "Conv" || !conv.domain.empty() || !conv.has_output(0)) continue;
    const TensorType& yt = g.value(conv.outputs[0]).type;
    if (yt.dtype != DType::F32 || !yt.fully_known()) continue;
    ValueId y = conv.outputs[0], z = kNoValue;
    std::vector<NodeId> absorbed;
    NodeId next = sole_consumer(y);
    if (next != kNoNode) {
      const Node& add = g.node(next);
      if (add.op_type == "Add" && add.domain.empty() && add.inputs.size() == 2 && add.inputs[0] != add.inputs[1]) {
        ValueId other = add.inputs[0] == y ? add.inputs[1] : add.inputs[0];
        const TensorType& ot = g.value(other).type;
        if (ot.dtype == DType::F32 && ot.fully_known() && ot.dims == yt.dims) {
          z = other;
          absorbed.push_back(next);
          y = add.outputs[0];
          next = sole_consumer(y);
        }
      }
    }
    Act act;
    if (next != kNoNode && activation_of(g, g.node(next), act)) {
      absorbed.push_back(next);
      y = g.node(next).outputs[0];
    }
    if (absorbed.empty()) continue;
    Node f;
    f.name = conv.name;
    f.op_type = "FusedConv";
    f.domain = "ai.n2d2";
    f.attrs = conv.attrs;
    f.attrs.set("activation", act.name);
    f.attrs.set("alpha", act.alpha);
    f.attrs.set("beta", act.beta);
    f.inputs = {conv.inputs[0], conv.inputs[1], conv.has_input(2) ? conv.inputs[2] : kNoValue, z};
    while (!f.inputs.empty() && f.inputs.back() == kNoValue) f.inputs.pop_back();
    f.outputs = {y};
    absorbed.insert(absorbed.begin(), id);
    replace_with(g, ops, absorbed, std::move(f));
    ++fused;
  }
  if (fused) g.compact();
  return fused;
}

}  // namespace n2d2::graph

namespace n2d2::graph {

int fuse_gemm_epilogue(Graph& g, const OpRegistry& ops) {
  const SoleConsumers sole_consumer(g);
  int fused = 0;
  for (NodeId id : g.topo_order()) {
    if (g.is_removed(id)) continue;
    const Node gemm = g.node(id);
    if (gemm.op_type != "Gemm" || !gemm.domain.empty() || !gemm.has_output(0)) continue;
    const ValueId y = gemm.outputs[0];
    const NodeId next = sole_consumer(y);
    if (g.value(y).type.dtype != DType::F32 || next == kNoNode) continue;
    Act act;
    if (!activation_of(g, g.node(next), act)) continue;
    Node f;
    f.name = gemm.name;
    f.op_type = "FusedGemm";
    f.domain = "ai.n2d2";
    for (const char* a : {"alpha", "beta"}) f.attrs.set(a, gemm.attrs.f(a));
    for (const char* a : {"transA", "transB"}) f.attrs.set(a, gemm.attrs.i(a));
    f.attrs.set("activation", act.name);
    f.attrs.set("activation_alpha", act.alpha);
    f.attrs.set("activation_beta", act.beta);
    f.inputs = gemm.inputs;
    while (!f.inputs.empty() && f.inputs.back() == kNoValue) f.inputs.pop_back();
    f.outputs = {g.node(next).outputs[0]};
    replace_with(g, ops, {id, next}, std::move(f));
    ++fused;
  }
  if (fused) g.compact();
  return fused;
}

}  // namespace n2d2::graph
