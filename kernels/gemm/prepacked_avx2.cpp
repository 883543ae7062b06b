// AVX2+FMA core of the prepacked GEMM (prepacked_cores.h): R rows of A (broadcast from memory)
// times P packed 16-column panels of B per k, R * P * 2 ymm accumulators kept in registers over the
// whole K (R and P are template arguments, so every accumulator index is a constant).
#include <immintrin.h>

#include "kernels/gemm/packed_cores.h"
#include "kernels/gemm/prepacked_cores.h"

namespace n2d2::kernels::detail {

namespace {

constexpr int64_t kNr = kPackedNrAvx2;

__m256i mask_of(int64_t n) {  // first n (0..8) lanes set
  alignas(32) static const int32_t bits[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bits + 8 - (n < 0 ? 0 : n > 8 ? 8 : n)));
}

// Y[0:R, 0:cols] for P panels starting at Bp (panel stride ps); cols may end inside the last panel.
// Every loop over r and p is unrolled: with a loop left, GCC keeps acc in memory and stores
// it on every k.
template <int R, int P>
void block(int64_t K, const float* A, int64_t a_rs, int64_t a_cs, const float* Bp, int64_t ps, float* Y, int64_t ldy,
           int64_t cols) {
  __m256 acc[R][P][2];
  #pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
    #pragma GCC unroll 16
    for (int p = 0; p < P; ++p) acc[r][p][0] = acc[r][p][1] = _mm256_setzero_ps();
  for (int64_t k = 0; k < K; ++k, A += a_cs, Bp += kNr) {
    // The P panels' vectors first, then one broadcast per row: 2P + 2RP + 1 registers.
    __m256 b[P][2];
    #pragma GCC unroll 16
    for (int p = 0; p < P; ++p) {
      b[p][0] = _mm256_loadu_ps(Bp + p * ps);
      b[p][1] = _mm256_loadu_ps(Bp + p * ps + 8);
    }
    #pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      __m256 a = _mm256_broadcast_ss(A + r * a_rs);
      #pragma GCC unroll 16
      for (int p = 0; p < P; ++p) {
        acc[r][p][0] = _mm256_fmadd_ps(a, b[p][0], acc[r][p][0]);
        acc[r][p][1] = _mm256_fmadd_ps(a, b[p][1], acc[r][p][1]);
      }
    }
  }
  #pragma GCC unroll 16
  for (int p = 0; p < P; ++p) {
    int64_t w = cols - p * kNr;
    #pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      float* y = Y + r * ldy + p * kNr;
      // Masked stores only for the partial vector of a tail (they are slow on AMD).
      if (w >= 8) _mm256_storeu_ps(y, acc[r][p][0]);
      else _mm256_maskstore_ps(y, mask_of(w), acc[r][p][0]);
      if (w >= 16) _mm256_storeu_ps(y + 8, acc[r][p][1]);
      else if (w > 8) _mm256_maskstore_ps(y + 8, mask_of(w - 8), acc[r][p][1]);
    }
  }
}

// block<R, np> for the np (1..P) panels left.
template <int R, int P>
void panels(int64_t np, int64_t K, const float* A, int64_t a_rs, int64_t a_cs, const float* Bp, int64_t ps, float* Y,
            int64_t ldy, int64_t cols) {
  if constexpr (P > 1)
    if (np < P) return panels<R, P - 1>(np, K, A, a_rs, a_cs, Bp, ps, Y, ldy, cols);
  block<R, P>(K, A, a_rs, a_cs, Bp, ps, Y, ldy, cols);
}

template <int R, int P>
void rows_of(int64_t K, const float* A, int64_t a_rs, int64_t a_cs, const float* Bp, int64_t cols, float* Y, int64_t ldy) {
  const int64_t ps = K * kNr, np = (cols + kNr - 1) / kNr;
  for (int64_t q = 0; q < np; q += P)
    panels<R, P>(np - q < P ? np - q : P, K, A, a_rs, a_cs, Bp + q * ps, ps, Y + q * kNr, ldy, cols - q * kNr);
}

}  // namespace

void prepacked_rows_f32_avx2(int64_t K, const float* A, int64_t a_rs, int64_t a_cs, int64_t rows, const float* Bp,
                             int64_t cols, float* Y, int64_t ldy) {
  for (int64_t r = 0; r < rows;) {
    const float* a = A + r * a_rs;
    float* y = Y + r * ldy;
    switch (rows - r) {
      case 1: rows_of<1, 4>(K, a, a_rs, a_cs, Bp, cols, y, ldy); r += 1; break;
      case 2: rows_of<2, 2>(K, a, a_rs, a_cs, Bp, cols, y, ldy); r += 2; break;
      case 3: rows_of<3, 1>(K, a, a_rs, a_cs, Bp, cols, y, ldy); r += 3; break;
      case 4: rows_of<4, 1>(K, a, a_rs, a_cs, Bp, cols, y, ldy); r += 4; break;
      case 5: rows_of<5, 1>(K, a, a_rs, a_cs, Bp, cols, y, ldy); r += 5; break;
      default: rows_of<6, 1>(K, a, a_rs, a_cs, Bp, cols, y, ldy); r += 6; break;  // 12 accumulators
    }
  }
}

}  // namespace n2d2::kernels::detail
