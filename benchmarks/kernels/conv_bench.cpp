// Convolution shapes from ResNet-18 and MobileNetV2 (batch 1): the dispatched kernel (BM_Conv,
// packing on every call as outside a Plan) and each implementation on weights packed once
// (BM_ConvImpl/<kernel>). Single-threaded unless run inside a larger arena by the caller.
#include "benchmarks/kernels/bench_util.h"

namespace {

using ints = std::vector<int64_t>;

struct ConvSetup {
  n2d2::graph::Node node;
  std::vector<n2d2::Tensor> inputs;
  int64_t macs;
};

// args: C, H(=W), M, K, stride, group
ConvSetup setup(const benchmark::State& state) {
  int64_t C = state.range(0), H = state.range(1), M = state.range(2), K = state.range(3), S = state.range(4), G = state.range(5);
  n2d2::graph::Attributes a;
  a.set("pads", ints{K / 2, K / 2, K / 2, K / 2});
  a.set("strides", ints{S, S});
  a.set("group", G);
  auto n = n2d2::bench::bound_node("Conv", 3, 1, a);
  auto x = n2d2::bench::random_tensor({1, C, H, H}, 1), w = n2d2::bench::random_tensor({M, C / G, K, K}, 2);
  auto b = n2d2::bench::random_tensor({M}, 3);
  int64_t OH = (H + 2 * (K / 2) - K) / S + 1;
  return {n, {x, w, b}, M * OH * OH * (C / G) * K * K};
}

void BM_Conv(benchmark::State& state) {
  ConvSetup s = setup(state);
  n2d2::bench::run_node_loop(state, s.node, s.inputs, s.macs);
}

void BM_ConvImpl(benchmark::State& state, const char* impl) {
  ConvSetup s = setup(state);
  n2d2::bench::run_impl_loop(state, impl, s.node, s.inputs, s.macs);
}

void shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"C", "H", "M", "K", "S", "G"})
      ->Args({3, 224, 64, 7, 2, 1})      // ResNet-18 stem
      ->Args({64, 56, 64, 3, 1, 1})      // ResNet-18 layer1
      ->Args({128, 28, 128, 3, 1, 1})    // layer2
      ->Args({256, 14, 256, 3, 1, 1})    // layer3
      ->Args({512, 7, 512, 3, 1, 1})     // layer4
      ->Args({64, 56, 128, 3, 2, 1})     // layer2 first conv, stride 2
      ->Args({64, 56, 128, 1, 2, 1})     // 1x1 downsample
      ->Args({96, 56, 24, 1, 1, 1})      // MobileNetV2 pointwise projection
      ->Args({24, 56, 144, 1, 1, 1})     // MobileNetV2 pointwise expansion
      ->Args({384, 14, 64, 1, 1, 1})     // projection, 14 x 14
      ->Args({160, 7, 960, 1, 1, 1})     // expansion, 7 x 7
      ->Args({32, 112, 32, 3, 1, 32})    // MobileNetV2 depthwise
      ->Args({144, 56, 144, 3, 2, 144})  // depthwise, stride 2
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK(BM_Conv)->Apply(shapes);
BENCHMARK_CAPTURE(BM_ConvImpl, conv_ref, "conv_ref")->Apply(shapes);
BENCHMARK_CAPTURE(BM_ConvImpl, conv_f32_avx512, "conv_f32_avx512")->Apply(shapes);
BENCHMARK_CAPTURE(BM_ConvImpl, conv_f32_avx2, "conv_f32_avx2")->Apply(shapes);
BENCHMARK_CAPTURE(BM_ConvImpl, conv_f32_scalar, "conv_f32_scalar")->Apply(shapes);
BENCHMARK_CAPTURE(BM_ConvImpl, conv_dw_f32_avx512, "conv_dw_f32_avx512")->Apply(shapes);
BENCHMARK_CAPTURE(BM_ConvImpl, conv_dw_f32_avx2, "conv_dw_f32_avx2")->Apply(shapes);
