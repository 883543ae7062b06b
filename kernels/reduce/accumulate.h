// Accumulation in the reduce family's kernels. Floating-point elements accumulate in double;
// integers in a 64-bit integer of their signedness whose arithmetic wraps around (two's
// complement, like numpy and ONNX Runtime), converted back to the element type at the end.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace n2d2::kernels::detail {

template <class T>
using Acc = std::conditional_t<std::is_floating_point_v<T>, double,
                               std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>;

template <class A>
A acc_add(A a, A b) {
  if constexpr (std::is_integral_v<A>) return static_cast<A>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  else return a + b;
}

template <class A>
A acc_mul(A a, A b) {
  if constexpr (std::is_integral_v<A>) return static_cast<A>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  else return a * b;
}

template <class A>
A acc_abs(A a) {
  if constexpr (std::is_signed_v<A>) return a < A(0) ? acc_mul(a, A(-1)) : a;
  else return a;
}

// A double result (a mean, a norm, a logarithm) in the element type: floats round, integers
// truncate toward zero, saturate, and take 0 for NaN.
template <class T>
T from_double(double v) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else {
    if (std::isnan(v)) return T(0);
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  }
}

// The element types the reduce family computes on: every numeric type but bool (float16 and
// bfloat16 have no C++ type here).
template <class T>
constexpr bool kReducible = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

}  // namespace n2d2::kernels::detail
