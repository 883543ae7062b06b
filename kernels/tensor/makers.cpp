// Ops that make tensors from shapes, attributes or scalars: Shape, Size, ConstantOfShape, Range,
// EyeLike, Constant, and Trilu (a masked copy).
#include <algorithm>
#include <cstring>

#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

Status shape_ref(const KernelContext& c) {
  const Shape& s = c.in(0).shape();
  auto rank = static_cast<int64_t>(s.size());
  int64_t start = c.attrs().i_or("start", 0), end = c.attrs().i_or("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  int64_t* p = c.out(0).data_mut<int64_t>();
  for (int64_t i = start; i < end; ++i) p[i - start] = s[i];
  return Status::ok();
}

Status size_ref(const KernelContext& c) {
  c.out(0).data_mut<int64_t>()[0] = c.in(0).numel();
  return Status::ok();
}

// Fills `t` with copies of the single element `v` (same dtype).
void fill_with(Tensor& t, const Tensor& v) {
  std::size_t esz = dtype_size(t.dtype());
  auto* p = static_cast<unsigned char*>(t.raw_mut());
  for (int64_t i = 0; i < t.numel(); ++i) std::memcpy(p + i * esz, v.raw(), esz);
}

Status constant_of_shape_ref(const KernelContext& c) {
  if (c.attrs().has("value")) {
    const Tensor& v = c.attrs().t("value");
    if (v.numel() != 1) return Status::error("value must hold one element");
    fill_with(c.out(0), v);
  }  // else: float zeros, as allocated
  return Status::ok();
}

Status range_ref(const KernelContext& c) {
  visit_dtype(c.out(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      T start = c.in(0).data<T>()[0], delta = c.in(2).data<T>()[0];
      T* p = c.out(0).data_mut<T>();
      for (int64_t i = 0; i < c.out(0).numel(); ++i) p[i] = static_cast<T>(start + static_cast<T>(i) * delta);
    }
  });
  return Status::ok();
}

Status eye_like_ref(const KernelContext& c) {
  Tensor& y = c.out(0);
  int64_t rows = y.shape()[0], cols = y.shape()[1], k = c.attrs().i("k");
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* p = y.data_mut<T>();
    for (int64_t i = 0; i < rows; ++i)
      if (i + k >= 0 && i + k < cols) p[i * cols + i + k] = T(1);
  });
  return Status::ok();
}

Status constant_ref(const KernelContext& c) {
  const graph::Attributes& a = c.attrs();
  Tensor v;
  if (a.has("value")) v = a.t("value");
  else if (a.has("value_float")) v = Tensor::scalar<float>(a.f("value_float"));
  else if (a.has("value_int")) v = Tensor::scalar<int64_t>(a.i("value_int"));
  else if (a.has("value_floats")) v = Tensor::from_vector<float>({static_cast<int64_t>(a.floats("value_floats").size())}, a.floats("value_floats"));
  else v = Tensor::from_vector<int64_t>({static_cast<int64_t>(a.ints("value_ints").size())}, a.ints("value_ints"));
  c.out(0) = v;
  return Status::ok();
}

Status trilu_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  int64_t k = c.has_input(1) ? c.in(1).to_int64_vector().at(0) : 0;
  bool upper = c.attrs().i("upper") != 0;
  int64_t rows = x.shape()[x.rank() - 2], cols = x.shape()[x.rank() - 1];
  std::size_t esz = dtype_size(x.dtype());
  const auto* xp = static_cast<const unsigned char*>(x.raw());
  auto* yp = static_cast<unsigned char*>(c.out(0).raw_mut());
  int64_t mats = rows > 0 && cols > 0 ? x.numel() / (rows * cols) : 0;
  for (int64_t m = 0; m < mats; ++m)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        bool keep = upper ? j - i >= k : j - i <= k;
        int64_t off = (m * rows + i) * cols + j;
        if (keep) std::memcpy(yp + off * esz, xp + off * esz, esz);
      }
  return Status::ok();
}

std::string computable(const KernelQuery& q) {
  for (const auto& t : q.input_types)
    if (t.dtype == DType::F16 || t.dtype == DType::BF16) return std::string("input type ") + dtype_name(t.dtype);
  return "";
}

}  // namespace

void register_tensor_makers(KernelRegistry& r) {
  r.add({"shape_ref", "Shape", "", nullptr, shape_ref});
  r.add({"size_ref", "Size", "", nullptr, size_ref});
  r.add({"constant_of_shape_ref", "ConstantOfShape", "", nullptr, constant_of_shape_ref});
  r.add({"range_ref", "Range", "", computable, range_ref});
  r.add({"eye_like_ref", "EyeLike", "", computable, eye_like_ref});
  r.add({"constant_ref", "Constant", "", nullptr, constant_ref});
  r.add({"trilu_ref", "Trilu", "", nullptr, trilu_ref});
}

}  // namespace n2d2::kernels
