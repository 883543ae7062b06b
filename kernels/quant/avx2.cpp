// AVX2 integer dot-product core (compiled with -mavx2; called only when max_isa() allows).
// uint8 and int8 bytes are widened to int16 and multiplied with vpmaddwd (exact int32 pair sums:
// no vpmaddubsw, whose int16 saturation would differ from the reference). Micro-tile 4 rows of A
// x 2 rows of B, 8 ymm accumulators, 16 bytes of K per step.
#include <immintrin.h>

#include "kernels/quant/quant_cores.h"

namespace n2d2::kernels::detail {

namespace {

int32_t hsum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
  return _mm_cvtsi128_si32(s);
}

template <int MR, int PR>
void tile(int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm, int64_t ldp) {
  __m256i acc[MR][PR];
  for (int m = 0; m < MR; ++m)
    for (int p = 0; p < PR; ++p) acc[m][p] = _mm256_setzero_si256();
  for (int64_t k = 0; k < Kp; k += 16) {
    __m256i b[PR];
    for (int p = 0; p < PR; ++p)
      b[p] = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(B + p * Kp + k)));
    for (int m = 0; m < MR; ++m) {
      __m256i a = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(A + m * Kp + k)));
      for (int p = 0; p < PR; ++p) acc[m][p] = _mm256_add_epi32(acc[m][p], _mm256_madd_epi16(a, b[p]));
    }
  }
  for (int m = 0; m < MR; ++m)
    for (int p = 0; p < PR; ++p) C[m * ldm + p * ldp] = hsum(acc[m][p]);
}

using TileFn = void (*)(int64_t, const int8_t*, const uint8_t*, int32_t*, int64_t, int64_t);
constexpr TileFn kTiles[4][2] = {{tile<1, 1>, tile<1, 2>}, {tile<2, 1>, tile<2, 2>},
                                 {tile<3, 1>, tile<3, 2>}, {tile<4, 1>, tile<4, 2>}};

}  // namespace

void qdot_u8s8_avx2(int64_t M, int64_t P, int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm,
                    int64_t ldp) {
  for (int64_t m = 0; m < M; m += 4) {
    int64_t mr = M - m < 4 ? M - m : 4;
    for (int64_t p = 0; p < P; p += 2) {
      int64_t pr = P - p < 2 ? P - p : 2;
      kTiles[mr - 1][pr - 1](Kp, A + m * Kp, B + p * Kp, C + m * ldm + p * ldp, ldm, ldp);
    }
  }
}

}  // namespace n2d2::kernels::detail
