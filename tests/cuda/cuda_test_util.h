// Helpers of the CUDA tests: one-op graphs, CPU vs CUDA runs of a plan, and the skip when this
// machine has no usable GPU (the tests then report why instead of passing silently).
#pragma once

#include <gtest/gtest.h>

#include "graph/passes/passes.h"
#include "scheduler/cuda/cuda_executor.h"
#include "scheduler/executor.h"
#include "tests/test_util.h"

#define N2D2_SKIP_WITHOUT_GPU()                                                        \
  do {                                                                                 \
    if (std::string why = n2d2::sched::cuda_unavailable_reason(); !why.empty()) GTEST_SKIP() << why; \
  } while (0)

namespace n2d2::test {

struct OpInput {
  Tensor t;               // empty: an absent optional input
  bool constant = false;  // an initializer rather than a graph input
};

// A graph of one `op` node over `ins`, bound at `opset`, shapes inferred.
inline graph::Graph one_op(const std::string& op, const std::vector<OpInput>& ins, graph::Attributes attrs = {},
                           int64_t opset = 17, int outputs = 1) {
  graph::Graph g;
  g.name = op;
  g.opset_imports[""] = opset;
  graph::Node n;
  n.name = op + "_node";
  n.op_type = op;
  n.attrs = std::move(attrs);
  for (std::size_t i = 0; i < ins.size(); ++i) {
    if (ins[i].t.empty()) {
      n.inputs.push_back(graph::kNoValue);
      continue;
    }
    std::string name = "in" + std::to_string(i);
    graph::ValueId v = ins[i].constant ? g.add_initializer(name, ins[i].t) : g.add_value(name, ins[i].t.type());
    if (!ins[i].constant) g.add_input(v);
    n.inputs.push_back(v);
  }
  for (int k = 0; k < outputs; ++k) n.outputs.push_back(g.add_value("out" + std::to_string(k)));
  graph::OpRegistry::builtin().bind(n, opset);
  std::vector<graph::ValueId> outs = n.outputs;
  g.add_node(std::move(n));
  for (graph::ValueId o : outs) g.add_output(o);
  graph::infer_shapes(g);
  return g;
}

// The graph inputs of a one_op graph, in order.
inline std::vector<Tensor> runtime_inputs(const std::vector<OpInput>& ins) {
  std::vector<Tensor> r;
  for (const OpInput& i : ins)
    if (!i.t.empty() && !i.constant) r.push_back(i.t);
  return r;
}

// Runs `g` on the CPU (sequential reference executor) and on the GPU; expects the same outputs.
inline void expect_cuda_matches_cpu(graph::Graph g, const std::vector<Tensor>& inputs, double atol = 1e-5,
                                    double rtol = 1e-5, sched::CudaOptions o = {}) {
  sched::Plan plan = sched::Plan::compile(std::move(g));
  std::vector<Tensor> cpu = sched::make_executor(plan, sched::Engine::Sequential, 1)->run(inputs);
  auto gpu_exec = sched::make_cuda_executor(plan, o);
  for (int rep = 0; rep < 2; ++rep) {  // an executor runs again and again
    std::vector<Tensor> gpu = gpu_exec->run(inputs);
    ASSERT_EQ(gpu.size(), cpu.size());
    for (std::size_t i = 0; i < cpu.size(); ++i) expect_near(gpu[i], cpu[i], atol, rtol);
  }
}

}  // namespace n2d2::test
