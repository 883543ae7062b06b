// The AVX2 instance of the vectorized float binary ops (binary_f32_loop.h;
// compiled with avx2 flags, called only when require_isa allows): 8 lanes.
#include <immintrin.h>

#include "kernels/elementwise/binary_f32_loop.h"

namespace n2d2::kernels::detail {

namespace {

struct Avx2Lanes {
  using type = __m256;
  static constexpr int64_t lanes = 8;
  static type load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, type v) { _mm256_storeu_ps(p, v); }
  static type set1(float x) { return _mm256_set1_ps(x); }
  static type add(type x, type z) { return _mm256_add_ps(x, z); }
  static type sub(type x, type z) { return _mm256_sub_ps(x, z); }
  static type mul(type x, type z) { return _mm256_mul_ps(x, z); }
  static type div(type x, type z) { return _mm256_div_ps(x, z); }
};

}  // namespace

void binary_f32_avx2(BinaryF32 op, const float* a, int64_t a_step, const float* b, int64_t b_step, float* y, int64_t n) {
  binary_f32_with<Avx2Lanes>(op, a, a_step, b, b_step, y, n);
}

}  // namespace n2d2::kernels::detail
