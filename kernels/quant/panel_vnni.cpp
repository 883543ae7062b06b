// AVX-512 VNNI micro-kernel of the panel engine (panel.h); compiled with
// -mavx512f -mavx512bw -mavx512vl -mavx512vnni, called only when require_avx512_vnni() allows.
// Micro-tile: up to 8 output channels x up to 3 x 16 pixels, 24 zmm accumulators; per group of
// 4 K values, 3 activation loads, 8 weight broadcasts (4 bytes each) and 24 vpdpbusd.
#include <immintrin.h>

#include "kernels/quant/panel.h"
#include "kernels/quant/requant_avx512.h"

namespace n2d2::kernels::detail {

namespace {

namespace q = n2d2::quant;

// Stores lanes [0, n) of one accumulator row segment (pixel p of channel m).
inline void store16(__m512i acc, int n, const PanelEpilogue& e, int64_t m, void* y, int64_t off) {
  __mmask16 k = n >= 16 ? __mmask16(0xffff) : __mmask16((1u << n) - 1);
  if (e.exact[m]) {
    __m512i v = _mm512_add_epi32(acc, _mm512_set1_epi32(e.add32[m]));
    if (!e.requantize) _mm512_mask_storeu_epi32(static_cast<int32_t*>(y) + off, k, v);
    else _mm_mask_storeu_epi8(static_cast<uint8_t*>(y) + off, k, requantize16(v, e, m));
    return;
  }
  alignas(64) int32_t tmp[16];
  _mm512_store_si512(tmp, acc);
  for (int i = 0; i < n; ++i) {
    int64_t v = panel_epilogue_value(tmp[i], e, m);
    if (!e.requantize) static_cast<int32_t*>(y)[off + i] = static_cast<int32_t>(v);
    else static_cast<uint8_t*>(y)[off + i] = static_cast<uint8_t>(static_cast<int8_t>(v));
  }
}

// acc += the 4-byte dot products of u8 (x) and s8 (w) lanes. Inline asm: GCC 12 surrounds the
// _mm512_dpbusd_epi32 intrinsic with a register copy per call (measured: more moves than vpdpbusd).
inline void dpbusd(__m512i& acc, __m512i x, __m512i w) { asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w)); }

template <int MR, int NV>
void tile(int64_t pixels, int64_t K4, const int8_t* w, const uint8_t* const* b, const PanelEpilogue& e, int64_t m0, void* y,
          int64_t ldy, int64_t p0) {
  __m512i acc[MR][NV];
#pragma GCC unroll 8
  for (int m = 0; m < MR; ++m)
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) acc[m][v] = _mm512_setzero_si512();
  const int32_t* wp = reinterpret_cast<const int32_t*>(w);
  for (int64_t k = 0; k < K4; ++k) {
    __m512i x[NV];
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) x[v] = _mm512_loadu_si512(b[k] + v * 64);
#pragma GCC unroll 8
    for (int m = 0; m < MR; ++m) {
      __m512i wb = _mm512_set1_epi32(wp[k * kPanelRows + m]);
#pragma GCC unroll 3
      for (int v = 0; v < NV; ++v) dpbusd(acc[m][v], x[v], wb);
    }
  }
#pragma GCC unroll 8
  for (int m = 0; m < MR; ++m)
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) {
      int64_t left = pixels - v * 16;
      store16(acc[m][v], left >= 16 ? 16 : static_cast<int>(left), e, m0 + m, y, (m0 + m) * ldy + p0 + v * 16);
    }
}

using TileFn = void (*)(int64_t, int64_t, const int8_t*, const uint8_t* const*, const PanelEpilogue&, int64_t, void*, int64_t,
                        int64_t);
template <int MR>
constexpr TileFn row_tiles[3] = {tile<MR, 1>, tile<MR, 2>, tile<MR, 3>};
constexpr const TileFn* kTiles[8] = {row_tiles<1>, row_tiles<2>, row_tiles<3>, row_tiles<4>,
                                     row_tiles<5>, row_tiles<6>, row_tiles<7>, row_tiles<8>};
static_assert(kBlockPixels == 48 && kPanelRows == 8, "the tile table covers 8 rows x 3 vectors");

}  // namespace

void panel_kernel_vnni(int64_t rows, int64_t pixels, int64_t K4, const int8_t* wpanel, const uint8_t* const* x4,
                       const PanelEpilogue& e, int64_t m0, void* y, int64_t ldy, int64_t p0) {
  kTiles[rows - 1][(pixels + 15) / 16 - 1](pixels, K4, wpanel, x4, e, m0, y, ldy, p0);
}

}  // namespace n2d2::kernels::detail
