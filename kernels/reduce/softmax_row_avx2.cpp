// AVX2+FMA Softmax / LogSoftmax row (softmax_row.h; compiled with -mavx2 -mfma, called only when
// require_isa(Isa::Avx2) allows).
#include <immintrin.h>

#include <cmath>

#include "kernels/cpu/avx2_lanes.h"
#include "kernels/reduce/softmax_row.h"

namespace n2d2::kernels::detail {

namespace {

// e^x for x <= 0 (arguments of softmax after the max is subtracted): x = n ln2 + r, |r| <= ln2 / 2,
// e^r by its degree-6 Taylor-like minimax polynomial (Cephes expf coefficients), times 2^n built
// in the exponent bits. Below -87.3 the result is clamped to e^-87.3 (about 1e-38); NaN stays NaN.
inline __m256 exp_nonpositive(__m256 x) {
  x = _mm256_max_ps(_mm256_set1_ps(-87.3f), x);  // NaN in x: max_ps returns x
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r, _mm256_add_ps(r, _mm256_set1_ps(1.f)));
  const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

float hsum(__m256 v) {
  alignas(32) float l[8];
  _mm256_store_ps(l, v);
  return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

float hmax(__m256 v) {
  alignas(32) float l[8];
  _mm256_store_ps(l, v);
  float m = l[0];
  for (int i = 1; i < 8; ++i) m = l[i] > m ? l[i] : m;
  return m;
}

}  // namespace

void softmax_row_f32_avx2(const float* x, float* y, int64_t n, bool log_softmax) {
  if (n <= 0) return;
  const __m256 lowest = _mm256_set1_ps(-INFINITY);
  int64_t i = 0;
  __m256 vm = lowest;
  for (; i + 8 <= n; i += 8) vm = _mm256_max_ps(_mm256_loadu_ps(x + i), vm);
  float m = hmax(vm);
  for (; i < n; ++i) m = x[i] > m ? x[i] : m;
  const __m256 mv = _mm256_set1_ps(m);
  __m256 vs = _mm256_setzero_ps();
  for (i = 0; i + 8 <= n; i += 8) {
    const __m256 e = exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv));
    if (!log_softmax) _mm256_storeu_ps(y + i, e);
    vs = _mm256_add_ps(vs, e);
  }
  if (i < n) {  // the tail as one masked vector, the lanes past n zeroed before the sum
    const __m256i mask = avx2::tail_mask(n - i);
    const __m256 e = _mm256_and_ps(exp_nonpositive(_mm256_sub_ps(_mm256_maskload_ps(x + i, mask), mv)),
                                   _mm256_castsi256_ps(mask));
    if (!log_softmax) _mm256_maskstore_ps(y + i, mask, e);
    vs = _mm256_add_ps(vs, e);
  }
  const double sum = hsum(vs);
  if (log_softmax) {
    const float ls = static_cast<float>(std::log(sum));
    const __m256 lsv = _mm256_set1_ps(ls);
    for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_sub_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv), lsv));
    for (; i < n; ++i) y[i] = (x[i] - m) - ls;
    return;
  }
  const __m256 inv = _mm256_set1_ps(static_cast<float>(1.0 / sum));
  for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_loadu_ps(y + i), inv));
  const float inv1 = static_cast<float>(1.0 / sum);
  for (; i < n; ++i) y[i] *= inv1;
}

}  // namespace n2d2::kernels::detail
