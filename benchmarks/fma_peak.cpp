// The machine's measured FP32 FMA peak: independent chains of vector FMAs (enough of them to hide
// the FMA latency), per thread, at the best ISA the CPU offers (or N2D2_MAX_ISA). The result is
// the denominator of "% of peak" in scripts/bench_vs_ort.sh.
//
//   fma_peak [--threads N] [--seconds S]     prints {"isa":...,"threads":N,"gflops":G,"gflops_per_thread":g}
#include <immintrin.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "kernels/cpu/isa.h"

namespace {

constexpr int kChains = 12;             // 12 accumulators: latency 4 x 2 ports, with margin
constexpr long kInner = 1 << 16;        // FMAs per chain between clock reads

__attribute__((target("avx512f"))) double run_avx512(double seconds) {
  __m512 acc[kChains], a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(static_cast<float>(c));
  long iters = 0;
  auto t0 = std::chrono::steady_clock::now();
  double el = 0;
  do {
    for (long i = 0; i < kInner; ++i)
      for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
    iters += kInner;
    el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } while (el < seconds);
  float sink = 0;
  for (int c = 0; c < kChains; ++c) sink += _mm512_reduce_add_ps(acc[c]);
  if (sink == 12345.f) std::puts("");  // keep the chains alive
  return 2.0 * 16 * kChains * static_cast<double>(iters) / el / 1e9;
}

__attribute__((target("avx2,fma"))) double run_avx2(double seconds) {
  __m256 acc[kChains], a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_ps(static_cast<float>(c));
  long iters = 0;
  auto t0 = std::chrono::steady_clock::now();
  double el = 0;
  do {
    for (long i = 0; i < kInner; ++i)
      for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
    iters += kInner;
    el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } while (el < seconds);
  alignas(32) float out[8];
  float sink = 0;
  for (int c = 0; c < kChains; ++c) {
    _mm256_store_ps(out, acc[c]);
    for (float v : out) sink += v;
  }
  if (sink == 12345.f) std::puts("");
  return 2.0 * 8 * kChains * static_cast<double>(iters) / el / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1;
  double seconds = 1.0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: fma_peak [--threads N] [--seconds S]\n");
      return 2;
    }
  }
  if (threads < 1 || seconds <= 0) {
    std::fprintf(stderr, "fma_peak: --threads must be >= 1 and --seconds > 0\n");
    return 2;
  }
  n2d2::kernels::Isa isa = n2d2::kernels::max_isa();
  if (isa == n2d2::kernels::Isa::Scalar) {
    std::fprintf(stderr, "fma_peak: the CPU has no AVX2/FMA (or N2D2_MAX_ISA=scalar)\n");
    return 2;
  }
  std::vector<double> per(threads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] { per[t] = isa == n2d2::kernels::Isa::Avx512 ? run_avx512(seconds) : run_avx2(seconds); });
  for (auto& th : pool) th.join();
  double total = 0;
  for (double g : per) total += g;
  std::printf("{\"isa\":\"%s\",\"threads\":%d,\"gflops\":%.2f,\"gflops_per_thread\":%.2f}\n",
              n2d2::kernels::isa_name(isa), threads, total, total / threads);
  return 0;
}
