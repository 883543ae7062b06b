// AVX-512 VNNI channel-lane micro-kernel of QConv / QConvRequantize on small feature maps
// (qconv_panel.cpp picks it for P <= kChanLaneMaxPixels): the 16 int32 lanes run along output
// channels, so no lane is spent on the pixels a map lacks (a 7 x 7 map fills 49 of 64 pixel
// lanes). Tile: 32 channels (2 zmm of weights, packed [K4][32][4]) x up to 12 pixels, 24
// accumulators; per group of 4 K values 2 loads, 12 broadcasts of a pixel's 4 bytes (read in
// place from the 4-channel-interleaved input) and 24 vpdpbusd. The epilogue is the panel one with
// per-lane parameters; results go to a small [pixels][32] buffer that the caller scatters.
#include <immintrin.h>

#include "kernels/quant/panel.h"

namespace n2d2::kernels::detail {

namespace {

namespace q = n2d2::quant;

inline void dpbusd(__m512i& acc, __m512i x, __m512i w) { asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w)); }

// 16 channels [m, m + 16) of one pixel: requantized bytes (per-lane parameters).
__m128i requantize_lanes(__m512i v, const PanelEpilogue& e, int64_t m) {
  int64_t lo = q::min_value(e.nbbits, e.is_signed), hi = q::max_value(e.nbbits, e.is_signed);
  if (e.mode == q::Rescaling::FloatingPoint) {
    __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), _mm512_loadu_ps(e.scale + m));
    f = _mm512_min_ps(_mm512_max_ps(f, _mm512_set1_ps(static_cast<float>(lo))), _mm512_set1_ps(static_cast<float>(hi)));
    __m512 a = _mm512_abs_ps(f);
    __m512 t = _mm512_roundscale_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __mmask16 up = _mm512_cmp_ps_mask(_mm512_sub_ps(a, t), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
    t = _mm512_mask_add_ps(t, up, t, _mm512_set1_ps(1.f));
    __m512i ti = _mm512_cvttps_epi32(t);
    __mmask16 neg = _mm512_cmp_ps_mask(f, _mm512_setzero_ps(), _CMP_LT_OQ);
    return _mm512_cvtepi32_epi8(_mm512_mask_sub_epi32(ti, neg, _mm512_setzero_si512(), ti));
  }
  const __m512i mul = _mm512_loadu_si512(e.multiplier + m), sh = _mm512_loadu_si512(e.shift + m);
  const __m512i low32 = _mm512_set1_epi64(0xffffffff), one = _mm512_set1_epi64(1);
  const __m512i sh_ev = _mm512_and_si512(sh, low32), sh_od = _mm512_srli_epi64(sh, 32);
  const __m512i lo64 = _mm512_set1_epi64(lo), hi64 = _mm512_set1_epi64(hi);
  // (acc * multiplier + 2^(shift-1)) >> shift; 2^(s-1) as (1 << s) >> 1 (0 for s = 0).
  __m512i ev = _mm512_add_epi64(_mm512_mul_epi32(v, mul), _mm512_srli_epi64(_mm512_sllv_epi64(one, sh_ev), 1));
  __m512i od = _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(v, 32), _mm512_srli_epi64(mul, 32)),
                                _mm512_srli_epi64(_mm512_sllv_epi64(one, sh_od), 1));
  ev = _mm512_min_epi64(_mm512_max_epi64(_mm512_srav_epi64(ev, sh_ev), lo64), hi64);
  od = _mm512_min_epi64(_mm512_max_epi64(_mm512_srav_epi64(od, sh_od), lo64), hi64);
  return _mm512_cvtepi32_epi8(_mm512_mask_blend_epi32(0xAAAA, ev, _mm512_slli_epi64(od, 32)));
}

// Lanes of channels [m, m + 16) for one pixel, to out (int32 or bytes, 16 consecutive).
void store_lanes(__m512i acc, const PanelEpilogue& e, int64_t m, void* out) {
  bool exact = true;
  for (int i = 0; i < 16; ++i) exact = exact && e.exact[m + i];
  if (exact) {
    __m512i v = _mm512_add_epi32(acc, _mm512_loadu_si512(e.add32 + m));
    if (!e.requantize) _mm512_storeu_si512(out, v);
    else _mm_storeu_si128(static_cast<__m128i*>(out), requantize_lanes(v, e, m));
    return;
  }
  alignas(64) int32_t tmp[16];
  _mm512_store_si512(tmp, acc);
  for (int i = 0; i < 16; ++i) {
    int64_t v = panel_epilogue_value(tmp[i], e, m + i);
    if (!e.requantize) static_cast<int32_t*>(out)[i] = static_cast<int32_t>(v);
    else static_cast<uint8_t*>(out)[i] = static_cast<uint8_t>(static_cast<int8_t>(v));
  }
}

template <int NP>
void tile(int64_t K4, const int8_t* w, const uint8_t* const* x4, const int64_t* poff, const PanelEpilogue& e, int64_t m0,
          void* out) {
  __m512i acc[2][NP];
#pragma GCC unroll 12
  for (int p = 0; p < NP; ++p) acc[0][p] = acc[1][p] = _mm512_setzero_si512();
  int64_t off[NP];
#pragma GCC unroll 12
  for (int p = 0; p < NP; ++p) off[p] = poff[p] * 4;
  for (int64_t k = 0; k < K4; ++k) {
    __m512i w0 = _mm512_loadu_si512(w + k * 128), w1 = _mm512_loadu_si512(w + k * 128 + 64);
    const uint8_t* xb = x4[k];
#pragma GCC unroll 12
    for (int p = 0; p < NP; ++p) {
      __m512i xv = _mm512_set1_epi32(*reinterpret_cast<const int32_t*>(xb + off[p]));
      dpbusd(acc[0][p], xv, w0);
      dpbusd(acc[1][p], xv, w1);
    }
  }
  const std::size_t bytes = e.requantize ? 1 : 4;
#pragma GCC unroll 12
  for (int p = 0; p < NP; ++p) {
    store_lanes(acc[0][p], e, m0, static_cast<uint8_t*>(out) + (p * 32) * bytes);
    store_lanes(acc[1][p], e, m0 + 16, static_cast<uint8_t*>(out) + (p * 32 + 16) * bytes);
  }
}

using TileFn = void (*)(int64_t, const int8_t*, const uint8_t* const*, const int64_t*, const PanelEpilogue&, int64_t, void*);
constexpr TileFn kTiles[kChanLaneTile] = {tile<1>, tile<2>, tile<3>, tile<4>,  tile<5>,  tile<6>,
                                          tile<7>, tile<8>, tile<9>, tile<10>, tile<11>, tile<12>};

}  // namespace

void chanlane_kernel_vnni(int64_t K4, const int8_t* w, const uint8_t* const* x4, const int64_t* poff, int64_t pixels,
                          const PanelEpilogue& e, int64_t m0, void* out) {
  kTiles[pixels - 1](K4, w, x4, poff, e, m0, out);
}

}  // namespace n2d2::kernels::detail
