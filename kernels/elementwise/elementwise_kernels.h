// Registration of the elementwise family's kernels, one function per file, and the shared loop.
#pragma once

#include "kernels/elementwise/broadcast.h"
#include "kernels/registry.h"

namespace n2d2::kernels {

void register_elementwise_binary(KernelRegistry& r);  // binary.cpp: arithmetic, compare, logic, variadic, Where, PRelu
void register_elementwise_unary(KernelRegistry& r);   // unary.cpp: math, activations, Clip, IsNaN/IsInf, Not
void register_elementwise_cast(KernelRegistry& r);    // cast.cpp: Cast, CastLike

namespace detail {

// y = op(a, b) with broadcasting; the inner loop has fast paths for contiguous and scalar rows.
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
