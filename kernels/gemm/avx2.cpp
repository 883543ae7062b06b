// AVX2+FMA float matrix product (compiled with -mavx2 -mfma; called only when max_isa() allows).
// Micro-tile: 4 rows x 16 columns in 8 ymm accumulators; masked loads/stores for column tails.
#include <immintrin.h>

#include "kernels/gemm/tile_cores.h"

namespace n2d2::kernels::detail {

namespace {

__m256i tail_mask(int64_t n) {  // first n (0..8) lanes set
  alignas(32) static const int32_t bits[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bits + 8 - (n < 0 ? 0 : n > 8 ? 8 : n)));
}

template <int R>
void micro(int64_t i, int64_t j, int64_t width, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  __m256i m0 = tail_mask(width), m1 = tail_mask(width - 8);
  __m256 acc[R][2];
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  const float* b = B + j;
  for (int64_t k = 0; k < K; ++k, b += N) {
    __m256 b0 = width >= 8 ? _mm256_loadu_ps(b) : _mm256_maskload_ps(b, m0);
    __m256 b1 = width >= 16 ? _mm256_loadu_ps(b + 8) : _mm256_maskload_ps(b + 8, m1);
    for (int r = 0; r < R; ++r) {
      __m256 a = _mm256_broadcast_ss(A + (i + r) * K + k);
      acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
    }
  }
  for (int r = 0; r < R; ++r) {
    float* c = C + (i + r) * N + j;
    if (width >= 16) {
      _mm256_storeu_ps(c, acc[r][0]);
      _mm256_storeu_ps(c + 8, acc[r][1]);
    } else {
      _mm256_maskstore_ps(c, m0, acc[r][0]);
      _mm256_maskstore_ps(c + 8, m1, acc[r][1]);
    }
  }
}

}  // namespace

void matmul_tile_f32_avx2(int64_t i0, int64_t i1, int64_t j0, int64_t j1, int64_t N, int64_t K, const float* A,
                          const float* B, float* C) {
  for (int64_t j = j0; j < j1; j += 16) {
    int64_t w = j1 - j;
    int64_t i = i0;
    for (; i + 4 <= i1; i += 4) micro<4>(i, j, w, N, K, A, B, C);
    switch (i1 - i) {
      case 3: micro<3>(i, j, w, N, K, A, B, C); break;
      case 2: micro<2>(i, j, w, N, K, A, B, C); break;
      case 1: micro<1>(i, j, w, N, K, A, B, C); break;
      default: break;
    }
  }
}

}  // namespace n2d2::kernels::detail
