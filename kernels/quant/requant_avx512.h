// Requantize of 16 int32 lanes with AVX-512F/BW (graph/ops/quant_semantics.h, bit for bit), for
// the files compiled with AVX-512 flags (panel_vnni.cpp, qeltwise_avx512.cpp); inline, so each
// includer compiles it with its own flags.
#pragma once

#include <immintrin.h>

#include "kernels/quant/panel.h"

namespace n2d2::kernels::detail {

// 16 int32 lanes -> the 8-bit requantized values of quant_semantics.h (valid lanes: all).
inline __m128i requantize16(__m512i v, const PanelEpilogue& e, int64_t m) {
  namespace q = n2d2::quant;
  int64_t lo = q::min_value(e.nbbits, e.is_signed), hi = q::max_value(e.nbbits, e.is_signed);
  __m512i r;
  if (e.mode == q::Rescaling::FloatingPoint) {
    // round_half_away(float(acc) * scale), clamped first (integer bounds: the same result).
    __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), _mm512_set1_ps(e.scale[m]));
    f = _mm512_min_ps(_mm512_max_ps(f, _mm512_set1_ps(static_cast<float>(lo))), _mm512_set1_ps(static_cast<float>(hi)));
    __m512 a = lo >= 0 ? f : _mm512_abs_ps(f);  // unsigned outputs: f >= 0 after the clamp
    __m512 t = _mm512_roundscale_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __mmask16 up = _mm512_cmp_ps_mask(_mm512_sub_ps(a, t), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
    t = _mm512_mask_add_ps(t, up, t, _mm512_set1_ps(1.f));
    __m512i ti = _mm512_cvttps_epi32(t);
    if (lo >= 0) return _mm512_cvtepi32_epi8(ti);
    __mmask16 neg = _mm512_cmp_ps_mask(f, _mm512_setzero_ps(), _CMP_LT_OQ);
    r = _mm512_mask_sub_epi32(ti, neg, _mm512_setzero_si512(), ti);
  } else {
    // (acc * multiplier + 2^(shift-1)) >> shift in int64, even and odd lanes apart.
    int s = e.shift[m];
    __m512i mul = _mm512_set1_epi64(e.multiplier[m]);
    __m512i rnd = _mm512_set1_epi64(s > 0 ? int64_t{1} << (s - 1) : 0);
    __m128i cnt = _mm_cvtsi32_si128(s);
    __m512i lo64 = _mm512_set1_epi64(lo), hi64 = _mm512_set1_epi64(hi);
    __m512i ev = _mm512_sra_epi64(_mm512_add_epi64(_mm512_mul_epi32(v, mul), rnd), cnt);
    __m512i od = _mm512_sra_epi64(_mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(v, 32), mul), rnd), cnt);
    ev = _mm512_min_epi64(_mm512_max_epi64(ev, lo64), hi64);
    od = _mm512_min_epi64(_mm512_max_epi64(od, lo64), hi64);
    r = _mm512_mask_blend_epi32(0xAAAA, ev, _mm512_slli_epi64(od, 32));
  }
  return _mm512_cvtepi32_epi8(r);
}

}  // namespace n2d2::kernels::detail
