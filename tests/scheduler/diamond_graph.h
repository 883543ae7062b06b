// A private op set (Sin, Add, Fail with plain float kernels) and a diamond graph over it:
// x -> Sin^depth -> a ; x -> Sin^depth -> b ; a + b -> y. Shared by the scheduler tests.
#pragma once

#include <cmath>

#include "scheduler/executor.h"

namespace n2d2::test {

using namespace n2d2::graph;

inline std::vector<TensorType> same_as_first(const InferContext& c) { return {c.input_type(0)}; }

inline Status sin_kernel(const kernels::KernelContext& c) {
  const float* x = c.in(0).data<float>();
  float* y = c.out(0).data_mut<float>();
  for (int64_t i = 0; i < c.in(0).numel(); ++i) y[i] = std::sin(x[i]) * 1.0001f + 0.1f;
  return Status::ok();
}
inline Status add_kernel(const kernels::KernelContext& c) {
  for (int64_t i = 0; i < c.in(0).numel(); ++i) c.out(0).data_mut<float>()[i] = c.in(0).data<float>()[i] + c.in(1).data<float>()[i];
  return Status::ok();
}
inline Status fail_kernel(const kernels::KernelContext&) { return Status::error("deliberate failure"); }
inline std::string only_f32(const kernels::KernelQuery& q) { return kernels::require_input_dtypes(q, {DType::F32}); }

struct Registries {
  OpRegistry ops;
  kernels::KernelRegistry kernels;
  Registries() {
    ops.add(OpSchema{"Sin", "", 1, 1, 1, 1, 1, {}, same_as_first, {}});
    ops.add(OpSchema{"Add", "", 1, 2, 2, 1, 1, {}, same_as_first, {}});
    ops.add(OpSchema{"Fail", "", 1, 1, 1, 1, 1, {}, same_as_first, {}});
    kernels.add({"sin_f32_test", "Sin", "", only_f32, sin_kernel});
    kernels.add({"add_f32_test", "Add", "", only_f32, add_kernel});
    kernels.add({"fail_test", "Fail", "", nullptr, fail_kernel});
  }
};

// x -> Sin^depth -> a ; x -> Sin^depth -> b ; a + b -> y   (optionally through a failing node)
inline Graph diamond(const Registries& r, int depth, bool with_failure = false) {
  Graph g;
  g.name = "diamond";
  ValueId x = g.add_value("x", TensorType(DType::F32, {64, 33}));
  g.add_input(x);
  auto node = [&](const std::string& op, std::vector<ValueId> in) {
    ValueId out = g.add_value("v" + std::to_string(g.num_values()));
    Node n;
    n.name = op + std::to_string(g.num_nodes());
    n.op_type = op;
    n.inputs = std::move(in);
    n.outputs = {out};
    r.ops.bind(n, 13);
    g.add_node(std::move(n));
    g.value(out).type = g.value(g.node(static_cast<NodeId>(g.num_nodes() - 1)).inputs[0]).type;
    return out;
  };
  ValueId a = x, b = x;
  for (int i = 0; i < depth; ++i) a = node("Sin", {a});
  for (int i = 0; i < depth; ++i) b = node(i == depth / 2 && with_failure ? "Fail" : "Sin", {b});
  g.add_output(node("Add", {a, b}));
  return g;
}


}  // namespace n2d2::test
