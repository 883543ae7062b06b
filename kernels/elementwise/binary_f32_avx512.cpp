// The AVX512 instance of the vectorized float binary ops (binary_f32_loop.h;
// compiled with avx512 flags, called only when require_isa allows): 16 lanes.
#include <immintrin.h>

#include "kernels/elementwise/binary_f32_loop.h"

namespace n2d2::kernels::detail {

namespace {

struct Avx512Lanes {
  using type = __m512;
  static constexpr int64_t lanes = 16;
  static type load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, type v) { _mm512_storeu_ps(p, v); }
  static type set1(float x) { return _mm512_set1_ps(x); }
  static type add(type x, type z) { return _mm512_add_ps(x, z); }
  static type sub(type x, type z) { return _mm512_sub_ps(x, z); }
  static type mul(type x, type z) { return _mm512_mul_ps(x, z); }
  static type div(type x, type z) { return _mm512_div_ps(x, z); }
};

}  // namespace

void binary_f32_avx512(BinaryF32 op, const float* a, int64_t a_step, const float* b, int64_t b_step, float* y, int64_t n) {
  binary_f32_with<Avx512Lanes>(op, a, a_step, b, b_step, y, n);
}

}  // namespace n2d2::kernels::detail
