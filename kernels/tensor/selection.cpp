// Selections whose output size depends on values: NonZero and Compress (sized by shape
// inference at run time from the actual inputs), and TopK.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <type_traits>

#include "kernels/parallel.h"
#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

using tensor::bytes;

// output[d, k] = coordinate d of the k-th non-zero element in row-major order.
Status non_zero_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  const Shape& dims = x.shape();
  int64_t count = y.shape()[1], k = 0;
  int64_t* out = y.data_mut<int64_t>();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* v = x.data<T>();
    for (int64_t i = 0; i < x.numel(); ++i) {
      if (v[i] == T(0)) continue;
      int64_t rem = i;
      for (std::size_t d = dims.size(); d-- > 0;) {
        out[static_cast<int64_t>(d) * count + k] = rem % dims[d];
        rem /= dims[d];
      }
      ++k;
    }
  });
  return Status::ok();
}

// Keeps the slices along the axis (the elements of the flattened input without one) whose
// condition is true; the condition may be shorter than the axis.
Status compress_ref(const KernelContext& c) {
  const Tensor &x = c.in(0), &cond = c.in(1);
  Tensor& y = c.out(0);
  bool flat = !c.attrs().has("axis");
  int64_t axis = flat ? 0 : tensor::node_axis(c, x.rank());
  tensor::AxisLayout l = flat ? tensor::AxisLayout{1, x.numel(), 1} : tensor::axis_layout(x.shape(), axis);
  int64_t kept = flat ? y.numel() : y.shape()[axis];
  auto block = static_cast<int64_t>(dtype_size(x.dtype())) * l.inner;
  const bool* keep = cond.data<bool>();
  for (int64_t o = 0; o < l.outer; ++o)
    for (int64_t i = 0, k = 0; i < cond.numel(); ++i)
      if (keep[i])
        std::memcpy(bytes(y) + (o * kept + k++) * block, bytes(x) + (o * l.dim + i) * block, static_cast<std::size_t>(block));
  return Status::ok();
}

// TopK's order on values: NaN above every number (as numpy sorts), so that the order is strict.
template <class T>
bool value_less(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(b)) return !std::isnan(a);
    if (std::isnan(a)) return false;
  }
  return a < b;
}

// Per line along the axis, the k largest (smallest) values in order and their indices; equal
// values keep the lower index first, as ONNX specifies. `sorted` = 0 gets the same order.
Status top_k_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor &values = c.out(0), &indices = c.out(1);
  int64_t axis = tensor::node_axis(c, x.rank());
  tensor::AxisLayout l = tensor::axis_layout(x.shape(), axis);
  int64_t k = values.shape()[axis];
  bool largest = c.attrs().i_or("largest", 1) != 0;
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* xp = x.data<T>();
    T* vp = values.data_mut<T>();
    int64_t* ip = indices.data_mut<int64_t>();
    parallel_for(l.outer * l.inner, std::max<int64_t>(1, 4096 / std::max<int64_t>(1, l.dim)), [&](int64_t first, int64_t end) {
      std::vector<int64_t> order(static_cast<std::size_t>(l.dim));
      for (int64_t line = first; line < end; ++line) {
        int64_t o = line / l.inner, in = line % l.inner;
        auto at = [&](int64_t i) { return xp[(o * l.dim + i) * l.inner + in]; };
        auto before = [&](int64_t i, int64_t j) {
          T u = at(i), v = at(j);
          if (largest ? value_less(v, u) : value_less(u, v)) return true;
          if (largest ? value_less(u, v) : value_less(v, u)) return false;
          return i < j;
        };
        std::iota(order.begin(), order.end(), int64_t{0});
        std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
        for (int64_t j = 0; j < k; ++j) {
          vp[(o * k + j) * l.inner + in] = at(order[j]);
          ip[(o * k + j) * l.inner + in] = order[j];
        }
      }
    });
  });
  return Status::ok();
}

}  // namespace

void register_tensor_selection(KernelRegistry& r) {
  r.add({"non_zero_ref", "NonZero", "", tensor::require_readable, non_zero_ref});
  r.add({"compress_ref", "Compress", "", nullptr, compress_ref});
  r.add({"top_k_ref", "TopK", "", tensor::require_readable, top_k_ref});
}

}  // namespace n2d2::kernels
