// AVX-512F float matrix product (compiled with -mavx512f; called only when max_isa() allows).
// Micro-tile: 4 rows x 32 columns in 8 zmm accumulators; masked tails.
#include <immintrin.h>

#include "kernels/gemm/tile_cores.h"

namespace n2d2::kernels::detail {

namespace {

__mmask16 tail_mask(int64_t n) { return n >= 16 ? __mmask16(0xffff) : n <= 0 ? __mmask16(0) : __mmask16((1u << n) - 1); }

template <int R>
void micro(int64_t i, int64_t j, int64_t width, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  __mmask16 m0 = tail_mask(width), m1 = tail_mask(width - 16);
  __m512 acc[R][2];
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  const float* b = B + j;
  for (int64_t k = 0; k < K; ++k, b += N) {
    __m512 b0 = _mm512_maskz_loadu_ps(m0, b);
    __m512 b1 = _mm512_maskz_loadu_ps(m1, b + 16);
    for (int r = 0; r < R; ++r) {
      __m512 a = _mm512_set1_ps(A[(i + r) * K + k]);
      acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
    }
  }
  for (int r = 0; r < R; ++r) {
    float* c = C + (i + r) * N + j;
    _mm512_mask_storeu_ps(c, m0, acc[r][0]);
    _mm512_mask_storeu_ps(c + 16, m1, acc[r][1]);
  }
}

}  // namespace

void matmul_tile_f32_avx512(int64_t i0, int64_t i1, int64_t j0, int64_t j1, int64_t N, int64_t K, const float* A,
                            const float* B, float* C) {
  for (int64_t j = j0; j < j1; j += 32) {
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
