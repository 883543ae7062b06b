// GEMM sizes: classifier layers (batch 1 and 8) and square products through kernel selection, and
// the fully connected layers of the model zoo on the prepacked and the x86 kernels (BM_FcLayer).
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

namespace {

// Fully connected layers (Gemm, transB = 1, B and C constants) on one named kernel: the
// prepacked kernels with B packed once by prepare(), against the x86 kernels they precede (which
// transpose B per call, or run the reference dot products below 16 rows).
void BM_FcLayer(benchmark::State& state, const char* impl) {
  int64_t M = state.range(0), N = state.range(1), K = state.range(2);
  n2d2::graph::Attributes a;
  a.set("transB", int64_t{1});
  auto n = n2d2::bench::bound_node("Gemm", 3, 1, a);
  auto A = n2d2::bench::random_tensor({M, K}, 1), B = n2d2::bench::random_tensor({N, K}, 2), C = n2d2::bench::random_tensor({N}, 3);
  n2d2::bench::run_impl_loop(state, impl, n, {A, B, C}, M * N * K);
}

void fc_shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"M", "N", "K"});
  for (int64_t M : {1, 8}) {
    b->Args({M, 1000, 512});   // ResNet-18 fc
    b->Args({M, 1000, 1280});  // MobileNetV2 classifier
    b->Args({M, 500, 800});    // LeNet fc1
    b->Args({M, 10, 500});     // LeNet fc2
  }
  b->UseRealTime()->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK_CAPTURE(BM_FcLayer, prepacked_avx512, "gemm_f32_prepacked_avx512")->Apply(fc_shapes);
BENCHMARK_CAPTURE(BM_FcLayer, prepacked_avx2, "gemm_f32_prepacked_avx2")->Apply(fc_shapes);
BENCHMARK_CAPTURE(BM_FcLayer, x86_avx512, "gemm_f32_avx512")->Apply(fc_shapes);
BENCHMARK_CAPTURE(BM_FcLayer, x86_avx2, "gemm_f32_avx2")->Apply(fc_shapes);
