// The AVX512 loop of the vectorized float binary ops (binary_f32.h; compiled with
// avx512 flags, called only when require_isa allows): 16 lanes, the tail element by element.
#include <immintrin.h>

#include "kernels/elementwise/binary_f32.h"

namespace n2d2::kernels::detail {

namespace {

template <BinaryF32 Op>
inline __m512 apply(__m512 x, __m512 z) {
  if constexpr (Op == BinaryF32::Add) return _mm512_add_ps(x, z);
  else if constexpr (Op == BinaryF32::Sub) return _mm512_sub_ps(x, z);
  else if constexpr (Op == BinaryF32::Mul) return _mm512_mul_ps(x, z);
  else return _mm512_div_ps(x, z);
}

template <BinaryF32 Op>
inline float apply1(float x, float z) {
  if constexpr (Op == BinaryF32::Add) return x + z;
  else if constexpr (Op == BinaryF32::Sub) return x - z;
  else if constexpr (Op == BinaryF32::Mul) return x * z;
  else return x / z;
}

template <BinaryF32 Op>
void run(const float* a, int64_t as, const float* b, int64_t bs, float* y, int64_t n) {
  const __m512 av = _mm512_set1_ps(a[0]), bv = _mm512_set1_ps(b[0]);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(y + i, apply<Op>(as ? _mm512_loadu_ps(a + i) : av, bs ? _mm512_loadu_ps(b + i) : bv));
  for (; i < n; ++i) y[i] = apply1<Op>(a[i * as], b[i * bs]);
}

}  // namespace

void binary_f32_avx512(BinaryF32 op, const float* a, int64_t a_step, const float* b, int64_t b_step, float* y, int64_t n) {
  switch (op) {
    case BinaryF32::Add: return run<BinaryF32::Add>(a, a_step, b, b_step, y, n);
    case BinaryF32::Sub: return run<BinaryF32::Sub>(a, a_step, b, b_step, y, n);
    case BinaryF32::Mul: return run<BinaryF32::Mul>(a, a_step, b, b_step, y, n);
    case BinaryF32::Div: return run<BinaryF32::Div>(a, a_step, b, b_step, y, n);
  }
}

}  // namespace n2d2::kernels::detail
