// The machine's measured FMA peak: independent chains of vector FMAs (enough to cover the FMA
// latency), timed per thread count. Prints text and one JSON line.
//
//   fma_peak [--threads N] [--seconds S]
//
// AVX-512 (16 floats) when the CPU has AVX-512F, AVX2+FMA (8) otherwise; each FMA is 2 flops
// per lane. Threads run the same chains concurrently; the peak is their summed rate.
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kChains = 16;
constexpr long kInner = 1 << 16;

__attribute__((target("avx512f"))) float chains_avx512(long reps) {
  __m512 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(1.f + 1e-3f * i);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long r = 0; r < reps; ++r)
    for (long k = 0; k < kInner; ++k)
      for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 s = acc[0];
  for (int i = 1; i < kChains; ++i) s = _mm512_add_ps(s, acc[i]);
  return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"))) float chains_avx2(long reps) {
  __m256 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm256_set1_ps(1.f + 1e-3f * i);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long r = 0; r < reps; ++r)
    for (long k = 0; k < kInner; ++k)
      for (int i = 0; i < kChains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  float out[8];
  __m256 s = acc[0];
  for (int i = 1; i < kChains; ++i) s = _mm256_add_ps(s, acc[i]);
  _mm256_storeu_ps(out, s);
  return out[0];
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
  if (threads < 1 || !(seconds > 0)) {
    std::fprintf(stderr, "fma_peak: --threads must be >= 1 and --seconds > 0\n");
    return 2;
  }
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f");
  if (!avx512 && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
    std::fprintf(stderr, "fma_peak: the CPU has neither AVX-512F nor AVX2+FMA\n");
    return 2;
  }
  const int lanes = avx512 ? 16 : 8;
  auto run = [&](long reps) { return avx512 ? chains_avx512(reps) : chains_avx2(reps); };
  // Calibrate the repetitions to about `seconds` on one thread.
  long reps = 1;
  for (;;) {
    auto t0 = std::chrono::steady_clock::now();
    volatile float sink = run(reps);
    (void)sink;
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (dt > seconds / 4 || reps > (1L << 30)) {
      reps = std::max(1L, static_cast<long>(reps * seconds / dt));
      break;
    }
    reps *= 2;
  }
  double best = 0;
  for (int trial = 0; trial < 3; ++trial) {
    std::atomic<int> ready{0};
    std::vector<std::thread> pool;
    std::vector<float> sink(threads);
    auto t0 = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        ready.fetch_add(1);
        while (ready.load() < threads) {
        }
        sink[t] = run(reps);
      });
    for (auto& th : pool) th.join();
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double gflops = 2.0 * lanes * kChains * kInner * static_cast<double>(reps) * threads / dt * 1e-9;
    best = std::max(best, gflops);
  }
  std::printf("FMA peak: %.1f GFLOP/s with %d thread%s (%s, best of 3)\n", best, threads, threads == 1 ? "" : "s",
              avx512 ? "avx512" : "avx2");
  std::printf("{\"threads\": %d, \"isa\": \"%s\", \"gflops\": %.2f}\n", threads, avx512 ? "avx512" : "avx2", best);
  return 0;
}
