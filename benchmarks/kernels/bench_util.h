// Helpers for kernel benchmarks: bind a node and run it through kernel selection, report
// GFLOP/s (2 flops per MAC) as a rate counter.
#pragma once

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "graph/op_registry.h"
#include "kernels/run_node.h"

namespace n2d2::bench {

inline Tensor random_tensor(Shape s, uint64_t seed) {
  Tensor t(DType::F32, std::move(s));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> d(-1.f, 1.f);
  for (int64_t i = 0; i < t.numel(); ++i) t.data_mut<float>()[i] = d(rng);
  return t;
}

inline graph::Node bound_node(const std::string& op, int inputs, int outputs, graph::Attributes attrs, int64_t opset = 17) {
  graph::Node n;
  n.name = "bench_" + op;
  n.op_type = op;
  n.attrs = std::move(attrs);
  for (int i = 0; i < inputs; ++i) n.inputs.push_back(i);
  for (int i = 0; i < outputs; ++i) n.outputs.push_back(inputs + i);
  graph::OpRegistry::builtin().bind(n, opset);
  return n;
}

// Runs the node once per iteration; sets a GFLOP/s counter from `macs`.
inline void run_node_loop(benchmark::State& state, const graph::Node& n, const std::vector<Tensor>& inputs, int64_t macs) {
  std::vector<const Tensor*> ptrs;
  for (const auto& t : inputs) ptrs.push_back(&t);
  for (auto _ : state) {
    auto out = kernels::evaluate_node(n, ptrs);
    benchmark::DoNotOptimize(out.front().raw());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(macs) * 1e-9,
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

// Runs one named implementation of `n`'s op once per iteration, with its prepare() state (weights
// packed once, as in a Plan); skips the benchmark when the implementation declines the node.
inline void run_impl_loop(benchmark::State& state, const char* impl_name, const graph::Node& n,
                          const std::vector<Tensor>& inputs, int64_t macs) {
  std::vector<const Tensor*> ptrs;
  kernels::KernelQuery q{n, {}, {}, {}};
  for (const auto& t : inputs) {
    ptrs.push_back(&t);
    q.input_types.push_back(t.type());
    q.constant_inputs.push_back(&t != &inputs.front());
  }
  const kernels::KernelImpl* impl = nullptr;
  for (const auto& k : kernels::KernelRegistry::builtin().implementations(n.op_type, n.domain))
    if (std::string(k.name) == impl_name) impl = &k;
  std::string why = !impl ? "no such kernel" : impl->supports ? impl->supports(q) : "";
  if (!why.empty()) {
    state.SkipWithError((std::string(impl_name) + ": " + why).c_str());
    return;
  }
  std::vector<const Tensor*> constants(ptrs);
  constants[0] = nullptr;
  std::shared_ptr<const void> prepared = impl->prepare ? impl->prepare(q, constants) : nullptr;
  for (auto _ : state) {
    auto out = kernels::run_node(n, ptrs, *impl, graph::OpRegistry::builtin(), prepared.get());
    benchmark::DoNotOptimize(out.front().raw());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(macs) * 1e-9,
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace n2d2::bench
