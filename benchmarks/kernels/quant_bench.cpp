// Integer dot-product cores of QGemm (kernels/quant/quant_cores.h): reference, AVX2 (vpmaddwd)
// and AVX-512 VNNI (vpdpbusd), and the panel micro-kernels of QConv (kernels/quant/panel.h: the
// packed activation block reused by every 8-row weight panel, int32 epilogue), on ResNet-18-like
// convolution shapes (M output channels x P pixels x K = C*k*k) and a batch-1 classifier; the
// AVX2 vpmaddubsw panel kernel of weight pairs that fit int16 too.
// Counter: GOP/s (2 ops per MAC).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "kernels/cpu/isa.h"
#include "kernels/quant/panel.h"
#include "kernels/quant/quant_kernels.h"

namespace {

using n2d2::kernels::detail::QDotCore;

void run_core(benchmark::State& state, QDotCore core, const std::string& why) {
  if (!why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  int64_t M = state.range(0), P = state.range(1), K = state.range(2);
  int64_t Kp = (K + 63) / 64 * 64;
  std::vector<int8_t> a(static_cast<std::size_t>(M * Kp));
  std::vector<uint8_t> b(static_cast<std::size_t>(P * Kp));
  std::vector<int32_t> c(static_cast<std::size_t>(M * P));
  std::mt19937 rng(1);
  for (auto& v : a) v = static_cast<int8_t>(rng() % 255 - 127);
  for (auto& v : b) v = static_cast<uint8_t>(rng() % 256);
  for (auto _ : state) {
    core(M, P, Kp, a.data(), b.data(), c.data(), P, 1);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GOP/s"] = benchmark::Counter(2.0 * M * P * K * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}

void BM_QDotRef(benchmark::State& s) { run_core(s, n2d2::kernels::detail::qdot_u8s8_ref, ""); }
void BM_QDotAvx2(benchmark::State& s) {
  run_core(s, n2d2::kernels::detail::qdot_u8s8_avx2, n2d2::kernels::require_isa(n2d2::kernels::Isa::Avx2));
}
void BM_QDotVnni(benchmark::State& s) {
  run_core(s, n2d2::kernels::detail::qdot_u8s8_vnni, n2d2::kernels::detail::require_avx512_vnni());
}

// The panel engine's inner loops without the patch gathering: packed weights [M/8][K4][8][4] (AVX2: int16 pairs, 8 bytes per group of 4),
// one packed block per 48 pixels (packed once, as the engine does), every panel over it.
// bytes: per weight in the kernel's packed layout (AVX2: 2, int16 pairs; VNNI: 1).
void run_panel(benchmark::State& state, n2d2::kernels::detail::PanelKernel kernel, const std::string& why, int64_t bytes) {
  namespace d = n2d2::kernels::detail;
  if (!why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  int64_t M = state.range(0), P = state.range(1), K = state.range(2), K4 = (K + 3) / 4;
  int64_t panels = (M + d::kPanelRows - 1) / d::kPanelRows, blocks = (P + d::kBlockPixels - 1) / d::kBlockPixels;
  std::vector<int8_t> w(static_cast<std::size_t>(panels * K4 * d::kPanelRows * 4 * bytes));
  std::vector<uint8_t> x(static_cast<std::size_t>(blocks * K4 * d::kBlockPixels * 4));
  std::mt19937 rng(1);
  for (auto& v : w) v = static_cast<int8_t>(rng() % 255 - 127);
  for (auto& v : x) v = static_cast<uint8_t>(rng() % 256);
  std::vector<int32_t> y(static_cast<std::size_t>(M * P)), add32(M, 0);
  std::vector<int64_t> add64(M, 0);
  std::vector<uint8_t> exact(M, 1);
  d::PanelEpilogue e;
  e.add32 = add32.data();
  e.add64 = add64.data();
  e.exact = exact.data();
  std::vector<const uint8_t*> x4(static_cast<std::size_t>(K4));
  for (auto _ : state) {
    for (int64_t b = 0; b < blocks; ++b) {
      int64_t p0 = b * d::kBlockPixels, pc = std::min<int64_t>(d::kBlockPixels, P - p0);
      for (int64_t k = 0; k < K4; ++k) x4[k] = x.data() + (b * K4 + k) * d::kBlockPixels * 4;
      for (int64_t pi = 0; pi < panels; ++pi)
        kernel(std::min<int64_t>(d::kPanelRows, M - pi * d::kPanelRows), pc, K4, w.data() + pi * K4 * d::kPanelRows * 4 * bytes,
               x4.data(), e, pi * d::kPanelRows, y.data(), P, p0);
    }
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["GOP/s"] = benchmark::Counter(2.0 * M * P * K * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}

void BM_PanelAvx2(benchmark::State& s) {
  run_panel(s, n2d2::kernels::detail::panel_kernel_avx2, n2d2::kernels::require_isa(n2d2::kernels::Isa::Avx2), 2);
}
// The vpmaddubsw kernel for weight pairs that fit int16 (7-bit weights here), byte panels.
void BM_PanelAvx2Pairs(benchmark::State& s) {
  run_panel(s, n2d2::kernels::detail::panel_kernel_avx2_pairs, n2d2::kernels::require_isa(n2d2::kernels::Isa::Avx2), 1);
}
void BM_PanelVnni(benchmark::State& s) {
  run_panel(s, n2d2::kernels::detail::panel_kernel_vnni, n2d2::kernels::detail::require_avx512_vnni(), 1);
}

void shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"M", "P", "K"});
  b->Args({64, 3136, 576});  // ResNet-18 layer1 3x3 conv, 56x56
  b->Args({256, 196, 2304}); // layer3 3x3 conv, 14x14
  b->Args({1000, 1, 512});   // fc, batch 1
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK(BM_QDotRef)->Apply(shapes);
BENCHMARK(BM_QDotAvx2)->Apply(shapes);
BENCHMARK(BM_QDotVnni)->Apply(shapes);
BENCHMARK(BM_PanelAvx2)->Apply(shapes);
BENCHMARK(BM_PanelAvx2Pairs)->Apply(shapes);
BENCHMARK(BM_PanelVnni)->Apply(shapes);
