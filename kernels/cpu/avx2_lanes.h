// Lane helpers for the files compiled with -mavx2 (kernels/conv/avx2.cpp,
// kernels/pool/max_row_avx2.cpp): inline, so each includer compiles them with its own flags; only
// AVX2 files include this header.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace n2d2::kernels::detail::avx2 {

// Lanes < n set (n clamped to [0, 8]).
inline __m256i tail_mask(int64_t n) {
  int c = n >= 8 ? 8 : n <= 0 ? 0 : static_cast<int>(n);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(c), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Lanes l < n (n clamped to 8) of p[2 l], by the even elements of two masked loads: elements past
// p[2 (n - 1)] are never read (a strided gather is slow on AMD cores); lanes >= n are 0.
inline __m256 load_even(const float* p, int64_t n) {
  __m256 lo = _mm256_maskload_ps(p, tail_mask(2 * n - 1)), hi = _mm256_maskload_ps(p + 8, tail_mask(2 * n - 9));
  // Per 128-bit lane: lo0 lo2 hi0 hi2 | lo4 lo6 hi4 hi6; then the 64-bit pairs reordered.
  __m256 e = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));
  return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0)));
}

// 8 lanes of p[l * stride], all in bounds, by the cheapest load (lane index vector idx = l * stride).
inline __m256 strided8(const float* p, int64_t stride, __m256i idx) {
  return stride == 1 ? _mm256_loadu_ps(p) : stride == 2 ? load_even(p, 8) : _mm256_i32gather_ps(p, idx, 4);
}

// Lanes l < n of p[l * stride] (n in 1..8), zeros past them; reads only those elements.
inline __m256 strided_tail(const float* p, int64_t stride, __m256i idx, int64_t n) {
  const __m256i m = tail_mask(n);
  return stride == 1   ? _mm256_maskload_ps(p, m)
         : stride == 2 ? load_even(p, n)
                       : _mm256_mask_i32gather_ps(_mm256_setzero_ps(), p, idx, _mm256_castsi256_ps(m), 4);
}

}  // namespace n2d2::kernels::detail::avx2
