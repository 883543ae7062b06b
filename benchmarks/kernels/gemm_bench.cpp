// GEMM sizes: classifier layers (batch 1 and 8) and square products.
#include "benchmarks/kernels/bench_util.h"

namespace {

void BM_Gemm(benchmark::State& state) {
  int64_t M = state.range(0), N = state.range(1), K = state.range(2);
  n2d2::graph::Attributes a;
  a.set("transB", int64_t{1});
  auto n = n2d2::bench::bound_node("Gemm", 3, 1, a);
  auto A = n2d2::bench::random_tensor({M, K}, 1), B = n2d2::bench::random_tensor({N, K}, 2), C = n2d2::bench::random_tensor({N}, 3);
  n2d2::bench::run_node_loop(state, n, {A, B, C}, M * N * K);
}

}  // namespace

BENCHMARK(BM_Gemm)
    ->ArgNames({"M", "N", "K"})
    ->Args({1, 1000, 512})   // ResNet-18 fc, batch 1
    ->Args({8, 1000, 512})   // batch 8
    ->Args({1, 1000, 1280})  // MobileNetV2 classifier
    ->Args({256, 256, 256})
    ->Args({511, 257, 129})  // odd sizes
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
