// Ops that make tensors from shapes, attributes and scalars: Shape, Size, Constant,
// ConstantOfShape, Range, EyeLike, OneHot; and Trilu, which keeps a triangle of its input.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>

#include "graph/ops/tensor_ops.h"
#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

using tensor::bytes;

Status shape_ref(const KernelContext& c) {
  const Shape& dims = c.in(0).shape();
  auto [start, end] = graph::shape_range(c.node, static_cast<int64_t>(dims.size()));
  std::copy(dims.begin() + start, dims.begin() + end, c.out(0).data_mut<int64_t>());
  return Status::ok();
}

Status size_ref(const KernelContext& c) {
  c.out(0).data_mut<int64_t>()[0] = c.in(0).numel();
  return Status::ok();
}

// Every element of `t` = the first element of `value` (same type), copied as bytes.
void fill_with(Tensor& t, const Tensor& value) {
  std::size_t esz = dtype_size(t.dtype());
  for (int64_t i = 0; i < t.numel(); ++i) std::memcpy(bytes(t) + i * static_cast<int64_t>(esz), value.raw(), esz);
}

// The output is a copy: it must not alias the node's attribute.
Status constant_ref(const KernelContext& c) {
  Tensor value = graph::constant_value(c.node);
  std::memcpy(c.out(0).raw_mut(), value.raw(), value.nbytes());
  return Status::ok();
}

Status constant_of_shape_ref(const KernelContext& c) {
  if (c.attrs().has("value")) fill_with(c.out(0), c.attrs().t("value"));
  return Status::ok();  // else float zeros, as allocated
}

// output[i] = start + i * delta, in the inputs' type.
Status range_ref(const KernelContext& c) {
  Tensor& y = c.out(0);
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      T start = c.in(0).data<T>()[0], delta = c.in(2).data<T>()[0];
      T* out = y.data_mut<T>();
      for (int64_t i = 0; i < y.numel(); ++i) out[i] = static_cast<T>(start + static_cast<T>(i) * delta);
    }
  });
  return Status::ok();
}

// Ones on diagonal k (above the main one for k > 0), zeros elsewhere.
Status eye_like_ref(const KernelContext& c) {
  Tensor& y = c.out(0);
  int64_t rows = y.shape()[0], cols = y.shape()[1];
  int64_t k = std::clamp<int64_t>(c.attrs().i("k"), -rows, cols);  // beyond that no diagonal is in the matrix
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* out = y.data_mut<T>();
    for (int64_t i = std::max<int64_t>(0, -k); i < rows && i + k < cols; ++i) out[i * cols + i + k] = T(1);
  });
  return Status::ok();
}

std::string eye_like_supports(const KernelQuery& q) {
  DType out = q.node.attrs.has("dtype") ? dtype_from_onnx_code(q.node.attrs.i("dtype")) : q.input_types[0].dtype;
  if (!visit_dtype(out, [](auto) {})) return std::string("output type ") + dtype_name(out) + " is not supported";
  return "";
}

// An index value as an integer, nullopt when it has none (NaN, infinite, out of int64).
template <class T>
std::optional<int64_t> integer_index(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (!(std::fabs(v) < T(1e18))) return std::nullopt;
  } else if constexpr (std::is_unsigned_v<T> && sizeof(T) == 8) {
    if (v > static_cast<T>(INT64_MAX)) return std::nullopt;
  }
  return static_cast<int64_t>(v);
}

// output = off everywhere, then on at [.., index, ..] along the new axis for every index in
// [-depth, depth); other indices leave their line off. values = [off, on].
Status one_hot_ref(const KernelContext& c) {
  const Tensor &idx = c.in(0), &values = c.in(2);
  Tensor& y = c.out(0);
  tensor::AxisLayout l = tensor::axis_layout(y.shape(), tensor::node_axis(c, y.rank()));
  auto esz = static_cast<int64_t>(dtype_size(y.dtype()));
  const unsigned char* on = bytes(values) + esz;
  fill_with(y, values);  // its first element: off
  visit_dtype(idx.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* v = idx.data<T>();
    for (int64_t o = 0; o < l.outer; ++o)
      for (int64_t in = 0; in < l.inner; ++in) {
        std::optional<int64_t> at = integer_index(v[o * l.inner + in]);
        if (!at || (at = tensor::wrap_index(*at, l.dim)) < 0) continue;
        std::memcpy(bytes(y) + ((o * l.dim + *at) * l.inner + in) * esz, on, static_cast<std::size_t>(esz));
      }
  });
  return Status::ok();
}

// Indices and depth are read as numbers; values are copied as bytes.
std::string one_hot_supports(const KernelQuery& q) {
  for (std::size_t i : {0, 1})
    if (!visit_dtype(q.input_types[i].dtype, [](auto) {}))
      return std::string(i == 0 ? "indices" : "depth") + " of type " + dtype_name(q.input_types[i].dtype) +
             " are not supported";
  return "";
}

// Keeps, in every matrix of the last two dims, the elements on and above diagonal k (upper) or on
// and below it (lower); the rest stays zero.
Status trilu_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  int64_t rows = x.dim(-2), cols = x.dim(-1);
  int64_t k = c.has_input(1) ? c.in(1).to_int64_vector()[0] : 0;
  k = std::clamp<int64_t>(k, -rows - 1, cols + 1);  // beyond that every k keeps all or nothing
  bool upper = c.attrs().i("upper") != 0;
  auto esz = static_cast<int64_t>(dtype_size(x.dtype()));
  int64_t lines = cols > 0 ? x.numel() / cols : 0;
  for (int64_t line = 0; line < lines; ++line) {
    int64_t i = line % rows;
    int64_t lo = upper ? std::clamp<int64_t>(i + k, 0, cols) : 0;
    int64_t hi = upper ? cols : std::clamp<int64_t>(i + k + 1, 0, cols);
    int64_t at = (line * cols + lo) * esz;
    if (hi > lo) std::memcpy(bytes(y) + at, bytes(x) + at, static_cast<std::size_t>((hi - lo) * esz));
  }
  return Status::ok();
}

}  // namespace

void register_tensor_makers(KernelRegistry& r) {
  r.add({"shape_ref", "Shape", "", nullptr, shape_ref});
  r.add({"size_ref", "Size", "", nullptr, size_ref});
  r.add({"constant_ref", "Constant", "", nullptr, constant_ref});
  r.add({"constant_of_shape_ref", "ConstantOfShape", "", nullptr, constant_of_shape_ref});
  r.add({"range_ref", "Range", "", nullptr, range_ref});
  r.add({"eye_like_ref", "EyeLike", "", eye_like_supports, eye_like_ref});
  r.add({"one_hot_ref", "OneHot", "", one_hot_supports, one_hot_ref});
  r.add({"trilu_ref", "Trilu", "", nullptr, trilu_ref});
}

}  // namespace n2d2::kernels
