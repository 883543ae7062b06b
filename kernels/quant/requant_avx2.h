// Requantize of 8 int32 lanes with AVX2 (graph/ops/quant_semantics.h, bit for bit), for the
// files compiled with AVX2 flags (panel_avx2.cpp, qeltwise_avx2.cpp); inline, so each includer
// compiles it with its own flags.
#pragma once

#include <immintrin.h>

#include "kernels/quant/panel.h"

namespace n2d2::kernels::detail {

// floor(x / 2^s) of int64 lanes, 0 <= s <= 62 (AVX2 has no arithmetic 64-bit shift): bias to
// unsigned by 2^63 (divisible by 2^s), shift logically, remove the bias.
inline __m256i sra64(__m256i x, int s) {
  __m256i bias = _mm256_set1_epi64x(INT64_MIN);
  __m256i u = _mm256_srl_epi64(_mm256_add_epi64(x, bias), _mm_cvtsi32_si128(s));
  return _mm256_sub_epi64(u, _mm256_set1_epi64x(int64_t{1} << (63 - s)));
}

inline __m256i clamp64(__m256i x, __m256i lo, __m256i hi) {
  x = _mm256_blendv_epi8(x, lo, _mm256_cmpgt_epi64(lo, x));
  return _mm256_blendv_epi8(x, hi, _mm256_cmpgt_epi64(x, hi));
}

// 8 int32 lanes -> requantized values (in range, still int32).
inline __m256i requantize8(__m256i v, const PanelEpilogue& e, int64_t m) {
  namespace q = n2d2::quant;
  int64_t lo = q::min_value(e.nbbits, e.is_signed), hi = q::max_value(e.nbbits, e.is_signed);
  if (e.mode == q::Rescaling::FloatingPoint) {
    __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(v), _mm256_set1_ps(e.scale[m]));
    f = _mm256_min_ps(_mm256_max_ps(f, _mm256_set1_ps(static_cast<float>(lo))), _mm256_set1_ps(static_cast<float>(hi)));
    __m256 a = _mm256_and_ps(f, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff)));
    __m256 t = _mm256_round_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __m256 up = _mm256_cmp_ps(_mm256_sub_ps(a, t), _mm256_set1_ps(0.5f), _CMP_GE_OQ);
    t = _mm256_add_ps(t, _mm256_and_ps(up, _mm256_set1_ps(1.f)));
    __m256i ti = _mm256_cvttps_epi32(t);
    __m256 neg = _mm256_cmp_ps(f, _mm256_setzero_ps(), _CMP_LT_OQ);
    return _mm256_blendv_epi8(ti, _mm256_sub_epi32(_mm256_setzero_si256(), ti), _mm256_castps_si256(neg));
  }
  int s = e.shift[m];
  __m256i mul = _mm256_set1_epi64x(e.multiplier[m]);
  __m256i rnd = _mm256_set1_epi64x(s > 0 ? int64_t{1} << (s - 1) : 0);
  __m256i lo64 = _mm256_set1_epi64x(lo), hi64 = _mm256_set1_epi64x(hi);
  __m256i ev = clamp64(sra64(_mm256_add_epi64(_mm256_mul_epi32(v, mul), rnd), s), lo64, hi64);
  __m256i od = clamp64(sra64(_mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(v, 32), mul), rnd), s), lo64, hi64);
  return _mm256_blend_epi32(ev, _mm256_slli_epi64(od, 32), 0xAA);
}

}  // namespace n2d2::kernels::detail
