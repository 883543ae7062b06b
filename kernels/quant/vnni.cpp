// AVX-512 VNNI integer dot-product core (compiled with -mavx512f -mavx512bw -mavx512vnni; called
// only when require_avx512_vnni() allows): vpdpbusd multiplies 4 uint8 x 4 int8 bytes per int32
// lane and adds them to the lane exactly. Micro-tile 4 rows of A x 4 rows of B, 16 zmm
// accumulators, 64 bytes of K per step.
#include <immintrin.h>

#include "kernels/quant/quant_cores.h"

namespace n2d2::kernels::detail {

namespace {

// Horizontal sum, through masked extracts: the unmasked ones (and _mm512_reduce_add_epi32) pass
// _mm*_undefined_* values that GCC 12 warns about.
int32_t hsum(__m512i v) {
  __m128i s = _mm_add_epi32(_mm512_maskz_extracti32x4_epi32(0xff, v, 0), _mm512_maskz_extracti32x4_epi32(0xff, v, 1));
  s = _mm_add_epi32(s, _mm512_maskz_extracti32x4_epi32(0xff, v, 2));
  s = _mm_add_epi32(s, _mm512_maskz_extracti32x4_epi32(0xff, v, 3));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
  return _mm_cvtsi128_si32(s);
}

template <int MR, int PR>
void tile(int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm, int64_t ldp) {
  __m512i acc[MR][PR];
  for (int m = 0; m < MR; ++m)
    for (int p = 0; p < PR; ++p) acc[m][p] = _mm512_setzero_si512();
  for (int64_t k = 0; k < Kp; k += 64) {
    __m512i b[PR];
    for (int p = 0; p < PR; ++p) b[p] = _mm512_loadu_si512(B + p * Kp + k);
    for (int m = 0; m < MR; ++m) {
      __m512i a = _mm512_loadu_si512(A + m * Kp + k);
      for (int p = 0; p < PR; ++p) acc[m][p] = _mm512_dpbusd_epi32(acc[m][p], b[p], a);  // u8 (B) x s8 (A)
    }
  }
  for (int m = 0; m < MR; ++m)
    for (int p = 0; p < PR; ++p) C[m * ldm + p * ldp] = hsum(acc[m][p]);
}

using TileFn = void (*)(int64_t, const int8_t*, const uint8_t*, int32_t*, int64_t, int64_t);
constexpr TileFn kTiles[4][4] = {{tile<1, 1>, tile<1, 2>, tile<1, 3>, tile<1, 4>},
                                 {tile<2, 1>, tile<2, 2>, tile<2, 3>, tile<2, 4>},
                                 {tile<3, 1>, tile<3, 2>, tile<3, 3>, tile<3, 4>},
                                 {tile<4, 1>, tile<4, 2>, tile<4, 3>, tile<4, 4>}};

}  // namespace

void qdot_u8s8_vnni(int64_t M, int64_t P, int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm,
                    int64_t ldp) {
  for (int64_t m = 0; m < M; m += 4) {
    int64_t mr = M - m < 4 ? M - m : 4;
    for (int64_t p = 0; p < P; p += 4) {
      int64_t pr = P - p < 4 ? P - p : 4;
      kTiles[mr - 1][pr - 1](Kp, A + m * Kp, B + p * Kp, C + m * ldm + p * ldp, ldm, ldp);
    }
  }
}

}  // namespace n2d2::kernels::detail
