// AVX2+FMA micro-kernel of the packed GEMM: 6 rows x 16 columns in 12 ymm accumulators.
#include <immintrin.h>

#include "kernels/gemm/packed_cores.h"

namespace n2d2::kernels::detail {

namespace {
__m256i mask_of(int64_t n) {  // first n (0..8) lanes set
  alignas(32) static const int32_t bits[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bits + 8 - (n < 0 ? 0 : n > 8 ? 8 : n)));
}
}  // namespace

void packed_micro_f32_avx2(int64_t K, const float* Ap, const float* Bp, float* C, int64_t ldc, int64_t rows,
                           int64_t cols, bool accumulate) {
  constexpr int MR = kPackedMrAvx2;
  __m256 acc[MR][2];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (int64_t k = 0; k < K; ++k, Ap += MR, Bp += 16) {
    __m256 b0 = _mm256_loadu_ps(Bp), b1 = _mm256_loadu_ps(Bp + 8);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      __m256 a = _mm256_broadcast_ss(Ap + r);
      acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
    }
  }
  // Rows by compile-time index; plain loads and stores for a full 16-column tile (masked stores
  // are slow on AMD cores).
  const bool full = cols == 16;
  __m256i m0 = mask_of(cols), m1 = mask_of(cols - 8);
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    if (r >= rows) break;
    float* c = C + r * ldc;
    if (full) {
      if (accumulate) {
        acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(c));
        acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(c + 8));
      }
      _mm256_storeu_ps(c, acc[r][0]);
      _mm256_storeu_ps(c + 8, acc[r][1]);
      continue;
    }
    if (accumulate) {
      acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_maskload_ps(c, m0));
      acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_maskload_ps(c + 8, m1));
    }
    _mm256_maskstore_ps(c, m0, acc[r][0]);
    _mm256_maskstore_ps(c + 8, m1, acc[r][1]);
  }
}

}  // namespace n2d2::kernels::detail
