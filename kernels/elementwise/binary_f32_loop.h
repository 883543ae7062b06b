// The loop of the vectorized float binary ops (binary_f32.h) over a vector type's traits V
// (load, store, set1, add, sub, mul, div, lanes), included by the ISA files only
// (binary_f32_avx2.cpp, binary_f32_avx512.cpp), each compiling it with its own flags.
#pragma once

#include <cstdint>

#include "kernels/elementwise/binary_f32.h"

namespace n2d2::kernels::detail {

template <class V, BinaryF32 Op>
inline typename V::type binary_vec(typename V::type x, typename V::type z) {
  if constexpr (Op == BinaryF32::Add) return V::add(x, z);
  else if constexpr (Op == BinaryF32::Sub) return V::sub(x, z);
  else if constexpr (Op == BinaryF32::Mul) return V::mul(x, z);
  else return V::div(x, z);
}

// V only names the instance: every function here is instantiated on the ISA file's own (internal)
// traits type, so no copy compiled with one ISA's flags can be shared with another's callers.
template <class V, BinaryF32 Op>
inline float binary_one(float x, float z) {
  if constexpr (Op == BinaryF32::Add) return x + z;
  else if constexpr (Op == BinaryF32::Sub) return x - z;
  else if constexpr (Op == BinaryF32::Mul) return x * z;
  else return x / z;
}

template <class V, BinaryF32 Op>
void binary_rows(const float* a, int64_t as, const float* b, int64_t bs, float* y, int64_t n) {
  const typename V::type av = V::set1(a[0]), bv = V::set1(b[0]);
  int64_t i = 0;
  for (; i + V::lanes <= n; i += V::lanes)
    V::store(y + i, binary_vec<V, Op>(as ? V::load(a + i) : av, bs ? V::load(b + i) : bv));
  for (; i < n; ++i) y[i] = binary_one<V, Op>(a[i * as], b[i * bs]);
}

template <class V>
void binary_f32_with(BinaryF32 op, const float* a, int64_t as, const float* b, int64_t bs, float* y, int64_t n) {
  switch (op) {
    case BinaryF32::Add: return binary_rows<V, BinaryF32::Add>(a, as, b, bs, y, n);
    case BinaryF32::Sub: return binary_rows<V, BinaryF32::Sub>(a, as, b, bs, y, n);
    case BinaryF32::Mul: return binary_rows<V, BinaryF32::Mul>(a, as, b, bs, y, n);
    case BinaryF32::Div: return binary_rows<V, BinaryF32::Div>(a, as, b, bs, y, n);
  }
}

}  // namespace n2d2::kernels::detail
