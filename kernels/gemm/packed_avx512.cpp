// AVX-512F micro-kernel of the packed GEMM: 12 rows x 32 columns in 24 zmm accumulators; per k
// two loads of packed B and twelve broadcasts of packed A feed 24 FMAs.
#include <immintrin.h>

#include "kernels/gemm/packed_cores.h"

namespace n2d2::kernels::detail {

namespace {
__mmask16 mask_of(int64_t n) { return n >= 16 ? __mmask16(0xffff) : n <= 0 ? __mmask16(0) : __mmask16((1u << n) - 1); }
}  // namespace

void packed_micro_f32_avx512(int64_t K, const float* Ap, const float* Bp, float* C, int64_t ldc, int64_t rows,
                             int64_t cols, bool accumulate) {
  constexpr int MR = kPackedMrAvx512;
  __m512 acc[MR][2];
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int64_t k = 0; k < K; ++k, Ap += MR, Bp += 32) {
    __m512 b0 = _mm512_loadu_ps(Bp), b1 = _mm512_loadu_ps(Bp + 16);
    for (int r = 0; r < MR; ++r) {
      __m512 a = _mm512_set1_ps(Ap[r]);
      acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
    }
  }
  __mmask16 m0 = mask_of(cols), m1 = mask_of(cols - 16);
  for (int r = 0; r < MR && r < rows; ++r) {
    float* c = C + r * ldc;
    if (accumulate) {
      acc[r][0] = _mm512_add_ps(acc[r][0], _mm512_maskz_loadu_ps(m0, c));
      acc[r][1] = _mm512_add_ps(acc[r][1], _mm512_maskz_loadu_ps(m1, c + 16));
    }
    _mm512_mask_storeu_ps(c, m0, acc[r][0]);
    _mm512_mask_storeu_ps(c + 16, m1, acc[r][1]);
  }
}

}  // namespace n2d2::kernels::detail
