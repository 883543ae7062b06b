// Convolution shapes from ResNet-18 and MobileNetV2 (batch 1), reference kernel.
#include "benchmarks/kernels/bench_util.h"

namespace {

using ints = std::vector<int64_t>;

// args: C, H(=W), M, K, stride, group
void BM_Conv(benchmark::State& state) {
  int64_t C = state.range(0), H = state.range(1), M = state.range(2), K = state.range(3), S = state.range(4), G = state.range(5);
  n2d2::graph::Attributes a;
  a.set("pads", ints{K / 2, K / 2, K / 2, K / 2});
  a.set("strides", ints{S, S});
  a.set("group", G);
  auto n = n2d2::bench::bound_node("Conv", 2, 1, a);
  auto x = n2d2::bench::random_tensor({1, C, H, H}, 1), w = n2d2::bench::random_tensor({M, C / G, K, K}, 2);
  int64_t OH = (H + 2 * (K / 2) - K) / S + 1;
  n2d2::bench::run_node_loop(state, n, {x, w}, M * OH * OH * (C / G) * K * K);
}

}  // namespace

BENCHMARK(BM_Conv)
    ->ArgNames({"C", "H", "M", "K", "S", "G"})
    ->Args({3, 224, 64, 7, 2, 1})     // ResNet-18 stem
    ->Args({64, 56, 64, 3, 1, 1})     // ResNet-18 layer1
    ->Args({128, 28, 128, 3, 1, 1})   // layer2
    ->Args({256, 14, 256, 3, 1, 1})   // layer3
    ->Args({64, 56, 128, 1, 2, 1})    // 1x1 downsample
    ->Args({32, 112, 32, 3, 1, 32})   // MobileNetV2 depthwise
    ->Args({144, 56, 144, 3, 2, 144}) // depthwise, stride 2
    ->Args({96, 56, 24, 1, 1, 1})     // pointwise projection
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
