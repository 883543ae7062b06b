// Registration of the elementwise family's kernels, one function per file, and the shared loops
// and conversions.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/elementwise/broadcast.h"
#include "kernels/registry.h"

namespace n2d2::kernels {

void register_elementwise_binary_f32(KernelRegistry& r);  // binary_f32.cpp: vectorized float Add/Sub/Mul/Div (first)
void register_elementwise_arithmetic(KernelRegistry& r);  // arithmetic.cpp: Add..Pow, BitShift, PRelu, Min/Max/Sum/Mean
void register_elementwise_logic(KernelRegistry& r);       // logic.cpp: comparisons, And/Or/Xor/Not, Where
void register_elementwise_unary(KernelRegistry& r);       // unary.cpp: math, activations, Clip, IsNaN/IsInf
void register_elementwise_cast(KernelRegistry& r);        // cast.cpp: Cast, CastLike

// supports() helpers: every input is numeric (any C++ element type but bool), or float32/float64.
std::string require_numeric(const KernelQuery& q);
std::string require_floats(const KernelQuery& q);

namespace detail {

// Integer arithmetic wraps around (two's complement), as in ONNX Runtime: signed values are
// computed in an unsigned type at least as wide as `unsigned` (no promotion to signed int).
template <class T>
using Wrapped = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;

template <class T, class Op>
T arithmetic(T p, T q, Op op) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(op(static_cast<Wrapped<T>>(p), static_cast<Wrapped<T>>(q)));
  else
    return op(p, q);
}

// Numeric conversion as C's cast (floats truncate toward zero), made total: float to integer
// maps NaN to 0 and saturates out-of-range values; anything to bool is "!= 0".
template <class To, class From>
To convert(From x) {
  if constexpr (std::is_same_v<To, bool>) {
    return x != From(0);
  } else if constexpr (std::is_integral_v<To> && std::is_floating_point_v<From>) {
    constexpr From lo = static_cast<From>(std::numeric_limits<To>::lowest());  // 0 or -2^(bits-1): exact
    constexpr From hi = static_cast<From>(std::numeric_limits<To>::max() / 2 + 1) * 2;  // 2^bits or 2^(bits-1)
    if (std::isnan(x)) return To(0);
    if (x <= lo) return std::numeric_limits<To>::lowest();
    if (x >= hi) return std::numeric_limits<To>::max();
    return static_cast<To>(x);
  } else {
    return static_cast<To>(x);
  }
}

// y = op(a, b) with broadcasting; the inner loop has fast paths for contiguous and scalar rows.
// y may be `a` itself when a has y's shape (each element reads only its own position).
template <class A, class B, class Y, class Op>
void binary_loop(const Tensor& a, const Tensor& b, Tensor& y, Op op) {
  Broadcast bc(y.shape(), {&a, &b});
  const A* pa = static_cast<const A*>(a.raw());
  const B* pb = static_cast<const B*>(b.raw());
  Y* py = static_cast<Y*>(y.raw_mut());
  int64_t sa = bc.inner[0], sb = bc.inner[1];
  for_each_row(bc, [&](const std::vector<int64_t>& offs, int64_t o, int64_t n) {
    const A* ra = pa + offs[0];
    const B* rb = pb + offs[1];
    Y* ry = py + o;
    if (sa == 1 && sb == 1) {
      for (int64_t i = 0; i < n; ++i) ry[i] = op(ra[i], rb[i]);
    } else if (sa == 1 && sb == 0) {
      const B v = rb[0];
      for (int64_t i = 0; i < n; ++i) ry[i] = op(ra[i], v);
    } else if (sa == 0 && sb == 1) {
      const A v = ra[0];
      for (int64_t i = 0; i < n; ++i) ry[i] = op(v, rb[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) ry[i] = op(ra[i * sa], rb[i * sb]);
    }
  });
}

// y = op(x) elementwise (same shape), in parallel blocks.
template <class X, class Y, class Op>
void unary_loop(const Tensor& x, Tensor& y, Op op) {
  const X* px = static_cast<const X*>(x.raw());
  Y* py = static_cast<Y*>(y.raw_mut());
  parallel_for(x.numel(), 16384, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) py[i] = op(px[i]);
  });
}

}  // namespace detail
}  // namespace n2d2::kernels
