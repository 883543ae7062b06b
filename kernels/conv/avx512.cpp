// AVX-512F micro-kernels of the packed and depthwise convolutions (compiled with -mavx512f;
// called only when max_isa() allows). Packed tile: 8 rows x 48 columns in 24 zmm accumulators,
// masked column tails.
#include <immintrin.h>

#include "kernels/conv/micro.h"

namespace n2d2::kernels::detail {

namespace {

__mmask16 tail_mask(int64_t n) { return n >= 16 ? __mmask16(0xffff) : n <= 0 ? __mmask16(0) : __mmask16((1u << n) - 1); }

template <int NV>
void micro(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows, int cols,
           bool accumulate) {
  constexpr int MR = 8;
  __m512 acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k, a += MR, b += ldb) {
    __m512 bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_ps(b + 16 * v);
    for (int r = 0; r < MR; ++r) {
      __m512 av = _mm512_set1_ps(a[r]);
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < rows; ++r) {
    float* cr = c + r * ldc;
    for (int v = 0; v < NV; ++v) {
      __mmask16 m = tail_mask(cols - 16 * v);
      __m512 s = acc[r][v];
      if (accumulate) s = _mm512_add_ps(_mm512_maskz_loadu_ps(m, cr + 16 * v), s);
      _mm512_mask_storeu_ps(cr + 16 * v, m, s);
    }
  }
}

}  // namespace

void conv_micro_f32_avx512(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                           int cols, bool accumulate) {
  if (cols > 32)
    micro<3>(kc, a, b, ldb, c, ldc, rows, cols, accumulate);
  else if (cols > 16)
    micro<2>(kc, a, b, ldb, c, ldc, rows, cols, accumulate);
  else
    micro<1>(kc, a, b, ldb, c, ldc, rows, cols, accumulate);
}

void depthwise_row_f32_avx512(const float* x, int64_t stride, const int64_t* tap_off, const float* w, int taps, float* y,
                              int64_t n) {
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i idx = _mm512_mullo_epi32(lanes, _mm512_set1_epi32(static_cast<int>(stride)));
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  for (int64_t i = 0; i < n; i += 16) {
    __mmask16 m = tail_mask(n - i);
    __m512 acc = _mm512_maskz_loadu_ps(m, y + i);
    const float* xi = x + i * stride;
    for (int t = 0; t < taps; ++t) {
      const float* p = xi + tap_off[t];
      __m512 xv;
      if (stride == 1) {
        xv = _mm512_maskz_loadu_ps(m, p);
      } else if (stride == 2) {
        // Lanes 2l of two loads; the second covers inputs 16..31, needed by lanes 8..15.
        __mmask16 m_lo = tail_mask(2 * (n - i) - 1), m_hi = tail_mask(2 * (n - i) - 17);
        xv = _mm512_permutex2var_ps(_mm512_maskz_loadu_ps(m_lo, p), even, _mm512_maskz_loadu_ps(m_hi, p + 16));
      } else {
        xv = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, idx, p, 4);
      }
      acc = _mm512_fmadd_ps(_mm512_set1_ps(w[t]), xv, acc);
    }
    _mm512_mask_storeu_ps(y + i, m, acc);
  }
}

}  // namespace n2d2::kernels::detail
