// AVX-512F micro-kernels of the packed and depthwise convolutions (compiled with -mavx512f;
// called only when max_isa() allows). Packed tile: 8 rows x 48 columns in 24 zmm accumulators,
// masked column tails.
#include <immintrin.h>

#include "kernels/conv/micro.h"

namespace n2d2::kernels::detail {

namespace {

__mmask16 tail_mask(int64_t n) { return n >= 16 ? __mmask16(0xffff) : n <= 0 ? __mmask16(0) : __mmask16((1u << n) - 1); }

// Lanes l < n (n clamped to 16) of p[2 l], by the even elements of two masked loads: elements
// past p[2 (n - 1)] are never read. The second load covers p[16..31], needed by lanes 8..15.
__m512 load_even(const float* p, int64_t n) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  return _mm512_permutex2var_ps(_mm512_maskz_loadu_ps(tail_mask(2 * n - 1), p), even,
                                _mm512_maskz_loadu_ps(tail_mask(2 * n - 17), p + 16));
}

template <int NV>
void micro(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows, int cols,
           bool accumulate) {
  constexpr int MR = 8;
  __m512 acc[MR][NV];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_setzero_ps();
  // The last vector is a masked load: B may be the input itself (pointwise convolutions), whose
  // last row ends at the tensor's end.
  const __mmask16 last = tail_mask(cols - 16 * (NV - 1));
  for (int64_t k = 0; k < kc; ++k, a += MR, b += ldb) {
    __m512 bv[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV - 1; ++v) bv[v] = _mm512_loadu_ps(b + 16 * v);
    bv[NV - 1] = _mm512_maskz_loadu_ps(last, b + 16 * (NV - 1));
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      __m512 av = _mm512_set1_ps(a[r]);
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  // Rows by compile-time index (fully unrolled): a runtime-indexed loop over `acc` makes the
  // compiler keep the accumulators in memory, storing all of them on every k step.
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    if (r >= rows) break;
    float* cr = c + r * ldc;
#pragma GCC unroll 4
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

void pack_row_f32_avx512(const float* x, const PatchRun* runs, int nruns, float* dst, int nr) {
  for (int j = 0; j < nr; j += 16) _mm512_mask_storeu_ps(dst + j, tail_mask(nr - j), _mm512_setzero_ps());
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (int r = 0; r < nruns; ++r) {
    const PatchRun& run = runs[r];
    const float* src = x + run.src;
    float* d = dst + run.j0;
    for (int i = 0; i < run.len; i += 16) {
      __mmask16 m = tail_mask(run.len - i);
      __m512 v;
      if (run.step == 1) {
        v = _mm512_maskz_loadu_ps(m, src + i);
      } else if (run.step == 2) {
        v = load_even(src + 2 * i, run.len - i);
      } else {
        __m512i idx = _mm512_mullo_epi32(lanes, _mm512_set1_epi32(run.step));
        v = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, idx, src + static_cast<int64_t>(i) * run.step, 4);
      }
      _mm512_mask_storeu_ps(d + i, m, v);
    }
  }
}

void depthwise_plane_f32_avx512(const float* x, int64_t row_step, const int64_t* tap_off, const float* w, int taps,
                                float* y, int64_t rows, int64_t n, float bias) {
  for (int64_t r = 0; r < rows; ++r, x += row_step, y += n)
    for (int64_t i = 0; i < n; i += 16) {
      const __mmask16 m = tail_mask(n - i);
      __m512 acc = _mm512_set1_ps(bias);
      for (int t = 0; t < taps; ++t)
        acc = _mm512_fmadd_ps(_mm512_set1_ps(w[t]), _mm512_maskz_loadu_ps(m, x + i + tap_off[t]), acc);
      _mm512_mask_storeu_ps(y + i, m, acc);
    }
}

}  // namespace n2d2::kernels::detail
