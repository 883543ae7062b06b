// Pooling: ResNet-18's 3x3/2 max pool and a global average pool.
#include "benchmarks/kernels/bench_util.h"

namespace {

using ints = std::vector<int64_t>;

void BM_MaxPool3x3s2(benchmark::State& state) {
  n2d2::graph::Attributes a;
  a.set("kernel_shape", ints{3, 3});
  a.set("strides", ints{2, 2});
  a.set("pads", ints{1, 1, 1, 1});
  auto n = n2d2::bench::bound_node("MaxPool", 1, 1, a);
  n2d2::bench::run_node_loop(state, n, {n2d2::bench::random_tensor({1, 64, 112, 112}, 1)}, 64 * 56 * 56 * 9);
}

void BM_GlobalAveragePool(benchmark::State& state) {
  auto n = n2d2::bench::bound_node("GlobalAveragePool", 1, 1, {});
  n2d2::bench::run_node_loop(state, n, {n2d2::bench::random_tensor({1, 512, 7, 7}, 1)}, 512 * 49);
}

}  // namespace

BENCHMARK(BM_MaxPool3x3s2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GlobalAveragePool)->UseRealTime()->Unit(benchmark::kMicrosecond);
