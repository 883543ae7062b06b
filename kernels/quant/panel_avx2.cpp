// AVX2 micro-kernel of the panel engine (panel.h); compiled with -mavx2, called only when
// max_isa() allows AVX2. The VNNI kernel's activation blocks; per group of 4 K values, the
// activation bytes 0/2 and 1/3 of each pixel are widened to int16 (and / shift), the weights come
// packed widened (panel.h: the int16 pairs w0 w2 | w1 w3 per group, two broadcasts per row), and
// two vpmaddwd give the 4-product sum exactly (no vpmaddubsw: its int16 saturation would differ
// from the reference). Micro-tile 4 channels x 16 pixels (2 ymm of 8 lanes), 8 accumulators.
// panel_kernel_avx2_pairs: the vpmaddubsw tile for weights whose pairs cannot saturate it.
#include <immintrin.h>

#include "kernels/quant/panel.h"
#include "kernels/quant/requant_avx2.h"

namespace n2d2::kernels::detail {

namespace {

namespace q = n2d2::quant;

void store8(__m256i acc, int n, const PanelEpilogue& e, int64_t m, void* y, int64_t off) {
  alignas(32) int32_t tmp[8];
  if (e.exact[m]) {
    __m256i v = _mm256_add_epi32(acc, _mm256_set1_epi32(e.add32[m]));
    if (!e.requantize) {
      if (n == 8) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(static_cast<int32_t*>(y) + off), v);
        return;
      }
      _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), v);
      for (int i = 0; i < n; ++i) static_cast<int32_t*>(y)[off + i] = tmp[i];
      return;
    }
    __m256i r = requantize8(v, e, m);
    __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
    w = e.is_signed ? _mm_packs_epi16(w, w) : _mm_packus_epi16(w, w);
    uint8_t* out = static_cast<uint8_t*>(y) + off;
    if (n == 8) {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out), w);
      return;
    }
    alignas(16) uint8_t b[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(b), w);
    for (int i = 0; i < n; ++i) out[i] = b[i];
    return;
  }
  _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), acc);
  for (int i = 0; i < n; ++i) {
    int64_t v = panel_epilogue_value(tmp[i], e, m);
    if (!e.requantize) static_cast<int32_t*>(y)[off + i] = static_cast<int32_t>(v);
    else static_cast<uint8_t*>(y)[off + i] = static_cast<uint8_t>(static_cast<int8_t>(v));
  }
}

// The tile's accumulators through the epilogue: row m of the panel, pixels px0 + 8 v ... (those
// below `pixels`).
template <int MR, int NV>
void store_tile(const __m256i (&acc)[MR][NV], int64_t pixels, const PanelEpilogue& e, int64_t m0, int64_t mr0, int64_t px0,
                void* y, int64_t ldy, int64_t p0) {
  for (int m = 0; m < MR; ++m)
    for (int v = 0; v < NV; ++v) {
      int64_t left = pixels - px0 - v * 8;
      if (left <= 0) continue;
      int64_t mm = m0 + mr0 + m;
      store8(acc[m][v], left >= 8 ? 8 : static_cast<int>(left), e, mm, y, mm * ldy + p0 + px0 + v * 8);
    }
}

// Rows [mr0, mr0 + MR) of the panel x pixels [px0, px0 + 8 NV) of the block.
template <int MR, int NV>
void tile(int64_t pixels, int64_t K4, const int8_t* w, const uint8_t* const* b, const PanelEpilogue& e, int64_t m0, int64_t mr0,
          int64_t px0, void* y, int64_t ldy, int64_t p0) {
  __m256i acc[MR][NV];
  for (int m = 0; m < MR; ++m)
    for (int v = 0; v < NV; ++v) acc[m][v] = _mm256_setzero_si256();
  const int32_t* wp = reinterpret_cast<const int32_t*>(w) + mr0 * 2;  // per row: (w0, w2), (w1, w3) int16 pairs
  const __m256i low = _mm256_set1_epi16(0x00ff);
  for (int64_t k = 0; k < K4; ++k) {
    __m256i xl[NV], xh[NV];
    for (int v = 0; v < NV; ++v) {
      __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[k] + (px0 + v * 8) * 4));
      xl[v] = _mm256_and_si256(x, low);
      xh[v] = _mm256_srli_epi16(x, 8);
    }
    for (int m = 0; m < MR; ++m) {
      __m256i wl = _mm256_set1_epi32(wp[(k * kPanelRows + m) * 2]), wh = _mm256_set1_epi32(wp[(k * kPanelRows + m) * 2 + 1]);
      for (int v = 0; v < NV; ++v)
        acc[m][v] = _mm256_add_epi32(acc[m][v], _mm256_add_epi32(_mm256_madd_epi16(xl[v], wl), _mm256_madd_epi16(xh[v], wh)));
    }
  }
  store_tile<MR, NV>(acc, pixels, e, m0, mr0, px0, y, ldy, p0);
}

// The same tile for panels whose weight pairs fit int16 sums (PackedPanels::u8pairs: the VNNI
// byte layout, |w0| + |w1| <= 128 and |w2| + |w3| <= 128 for every group, so that
// 255 (|w0| + |w1|) <= 32640 and vpmaddubsw never saturates): per group of 4, vpmaddubsw gives
// the two pair sums in int16 and vpmaddwd by ones their int32 sum, exactly; no widening.
template <int MR, int NV>
void tile_pairs(int64_t pixels, int64_t K4, const int8_t* w, const uint8_t* const* b, const PanelEpilogue& e, int64_t m0,
                int64_t mr0, int64_t px0, void* y, int64_t ldy, int64_t p0) {
  __m256i acc[MR][NV];
  for (int m = 0; m < MR; ++m)
    for (int v = 0; v < NV; ++v) acc[m][v] = _mm256_setzero_si256();
  const int32_t* wp = reinterpret_cast<const int32_t*>(w) + mr0;  // per row: the 4 weight bytes
  const __m256i ones = _mm256_set1_epi16(1);
  for (int64_t k = 0; k < K4; ++k) {
    __m256i x[NV];
    for (int v = 0; v < NV; ++v) x[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[k] + (px0 + v * 8) * 4));
    for (int m = 0; m < MR; ++m) {
      __m256i wv = _mm256_set1_epi32(wp[k * kPanelRows + m]);
      for (int v = 0; v < NV; ++v)
        acc[m][v] = _mm256_add_epi32(acc[m][v], _mm256_madd_epi16(_mm256_maddubs_epi16(x[v], wv), ones));
    }
  }
  store_tile<MR, NV>(acc, pixels, e, m0, mr0, px0, y, ldy, p0);
}

using TileFn = void (*)(int64_t, int64_t, const int8_t*, const uint8_t* const*, const PanelEpilogue&, int64_t, int64_t, int64_t,
                        void*, int64_t, int64_t);
constexpr TileFn kTiles[4][2] = {{tile<1, 1>, tile<1, 2>}, {tile<2, 1>, tile<2, 2>},
                                 {tile<3, 1>, tile<3, 2>}, {tile<4, 1>, tile<4, 2>}};
constexpr TileFn kPairTiles[4][2] = {{tile_pairs<1, 1>, tile_pairs<1, 2>}, {tile_pairs<2, 1>, tile_pairs<2, 2>},
                                     {tile_pairs<3, 1>, tile_pairs<3, 2>}, {tile_pairs<4, 1>, tile_pairs<4, 2>}};

void run_tiles(const TileFn (&tiles)[4][2], int64_t rows, int64_t pixels, int64_t K4, const int8_t* wpanel,
               const uint8_t* const* x4, const PanelEpilogue& e, int64_t m0, void* y, int64_t ldy, int64_t p0) {
  for (int64_t mr0 = 0; mr0 < rows; mr0 += 4) {
    int64_t mr = rows - mr0 < 4 ? rows - mr0 : 4;
    for (int64_t px0 = 0; px0 < pixels; px0 += 16) {
      int64_t nv = pixels - px0 >= 16 ? 2 : 1 + (pixels - px0 > 8);
      tiles[mr - 1][nv - 1](pixels, K4, wpanel, x4, e, m0, mr0, px0, y, ldy, p0);
    }
  }
}

}  // namespace

void panel_kernel_avx2(int64_t rows, int64_t pixels, int64_t K4, const int8_t* wpanel, const uint8_t* const* x4,
                       const PanelEpilogue& e, int64_t m0, void* y, int64_t ldy, int64_t p0) {
  run_tiles(kTiles, rows, pixels, K4, wpanel, x4, e, m0, y, ldy, p0);
}

void panel_kernel_avx2_pairs(int64_t rows, int64_t pixels, int64_t K4, const int8_t* wpanel, const uint8_t* const* x4,
                             const PanelEpilogue& e, int64_t m0, void* y, int64_t ldy, int64_t p0) {
  run_tiles(kPairTiles, rows, pixels, K4, wpanel, x4, e, m0, y, ldy, p0);
}

}  // namespace n2d2::kernels::detail
