// AVX2 output-row step of the float MaxPool (max_row.h; compiled with -mavx2, called only when
// require_isa(Isa::Avx2) allows): every tap of 8 outputs in one register, one store per vector;
// stride-2 rows by load_even, other strides by gathers, a masked tail. _mm256_max_ps(r, y)
// returns y when either is NaN, as std::max(y, r).
#include "kernels/pool/max_row.h"

#include "kernels/cpu/avx2_lanes.h"

namespace n2d2::kernels::detail {

void max_window_row_f32_avx2(const float* base, int64_t ld, int64_t stride, int64_t kh, int64_t kw, int64_t dh, int64_t dw,
                             float* y, int64_t n) {
  const __m256i idx = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(static_cast<int>(stride)));
  const __m256 lowest = _mm256_set1_ps(-3.40282347e+38f);  // the lowest float
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 acc = lowest;
    for (int64_t a = 0; a < kh; ++a)
      for (int64_t b = 0; b < kw; ++b) acc = _mm256_max_ps(avx2::strided8(base + a * dh * ld + b * dw + i * stride, stride, idx), acc);
    _mm256_storeu_ps(y + i, acc);
  }
  if (i < n) {
    __m256 acc = lowest;
    for (int64_t a = 0; a < kh; ++a)
      for (int64_t b = 0; b < kw; ++b)
        acc = _mm256_max_ps(avx2::strided_tail(base + a * dh * ld + b * dw + i * stride, stride, idx, n - i), acc);
    _mm256_maskstore_ps(y + i, avx2::tail_mask(n - i), acc);
  }
}

}  // namespace n2d2::kernels::detail
