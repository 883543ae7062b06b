#include "graph/tensor.h"

#include <cstdlib>
#include <cstring>
#include <limits>

namespace n2d2 {

std::string shape_str(const Shape& s) {
  std::string r;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i) r += 'x';
    r += s[i] < 0 ? std::string("?") : std::to_string(s[i]);
  }
  return r;
}

int64_t shape_numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d < 0) return -1;
    n *= d;
  }
  return n;
}

bool shape_is_known(const Shape& s) {
  for (int64_t d : s)
    if (d < 0) return false;
  return true;
}

std::vector<int64_t> shape_strides(const Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (int i = static_cast<int>(s.size()) - 2; i >= 0; --i) st[i] = st[i + 1] * s[i + 1];
  return st;
}

std::string TensorType::str() const {
  std::string r = dtype_name(dtype);
  r += '[';
  if (!rank_known) {
    r += '?';
  } else {
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (i) r += 'x';
      if (dims[i] >= 0)
        r += std::to_string(dims[i]);
      else if (i < dim_names.size() && !dim_names[i].empty())
        r += dim_names[i];
      else
        r += '?';
    }
  }
  r += ']';
  return r;
}

Tensor::Tensor(DType dtype, Shape shape) : dtype_(dtype), shape_(std::move(shape)) {
  for (int64_t d : shape_)
    if (d < 0) fail("cannot allocate a tensor of unknown shape [", shape_str(shape_), "]");
  numel_ = shape_numel(shape_);
  std::size_t elt = dtype_size(dtype_);
  if (elt == 0) fail("cannot allocate a tensor of type ", dtype_name(dtype_));
  if (numel_ > 0 && static_cast<uint64_t>(numel_) > std::numeric_limits<std::size_t>::max() / elt / 2)
    fail("tensor of shape [", shape_str(shape_), "] is too large");
  std::size_t bytes = nbytes();
  std::size_t alloc = ((bytes + 63) / 64) * 64;
  if (alloc == 0) alloc = 64;
  void* p = std::aligned_alloc(64, alloc);
  if (!p) fail("out of memory allocating ", bytes, " bytes for a tensor of shape [", shape_str(shape_), "]");
  std::memset(p, 0, alloc);
  buf_ = std::shared_ptr<void>(p, [](void* q) { std::free(q); });
  data_ = p;
}

std::vector<int64_t> Tensor::to_int64_vector() const {
  std::vector<int64_t> r(static_cast<std::size_t>(numel_));
  bool ok = visit_dtype(dtype_, [&](auto tag) {
    using T = decltype(tag);
    const T* d = static_cast<const T*>(data_);
    for (int64_t i = 0; i < numel_; ++i) r[i] = static_cast<int64_t>(d[i]);
  });
  if (!ok || dtype_is_float(dtype_)) fail("expected an integer tensor, got ", dtype_name(dtype_));
  return r;
}

std::vector<double> Tensor::to_double_vector() const {
  std::vector<double> r(static_cast<std::size_t>(numel_));
  bool ok = visit_dtype(dtype_, [&](auto tag) {
    using T = decltype(tag);
    const T* d = static_cast<const T*>(data_);
    for (int64_t i = 0; i < numel_; ++i) r[i] = static_cast<double>(d[i]);
  });
  if (!ok) fail("cannot read a ", dtype_name(dtype_), " tensor as numbers");
  return r;
}

Tensor Tensor::over(DType dtype, Shape shape, std::shared_ptr<void> owner, void* data) {
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.numel_ = shape_numel(t.shape_);
  t.buf_ = std::move(owner);
  t.data_ = data;
  return t;
}

Tensor Tensor::reshaped(Shape shape) const {
  if (shape_numel(shape) != numel_)
    fail("cannot view a tensor of shape [", shape_str(shape_), "] as [", shape_str(shape), "]");
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::clone() const {
  if (empty()) return {};
  Tensor t(dtype_, shape_);
  if (nbytes()) std::memcpy(t.data_, data_, nbytes());
  return t;
}

}  // namespace n2d2
