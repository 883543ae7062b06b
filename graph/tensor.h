// Tensor descriptors (TensorType: dtype + possibly partial shape) and tensors (owned, aligned,
// shareable buffers). A Tensor copy shares its buffer; reshaped() gives a view of the same bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "graph/dtype.h"
#include "graph/error.h"

namespace n2d2 {

using Shape = std::vector<int64_t>;
constexpr int64_t kUnknownDim = -1;

std::string shape_str(const Shape& s);        // "1x3x224x224", "" for a scalar
int64_t shape_numel(const Shape& s);          // product of dims; -1 when any dim is unknown
bool shape_is_known(const Shape& s);          // no unknown dim
std::vector<int64_t> shape_strides(const Shape& s);  // row-major strides in elements

// Type of a graph value. `rank_known == false` means nothing is known of the shape.
// dims[i] == kUnknownDim with dim_names[i] set is a symbolic dimension ("batch").
struct TensorType {
  DType dtype = DType::Undefined;
  bool rank_known = false;
  Shape dims;
  std::vector<std::string> dim_names;  // empty, or one per dim ("" when not symbolic)

  TensorType() = default;
  TensorType(DType t, Shape s) : dtype(t), rank_known(true), dims(std::move(s)) {}
  static TensorType unknown_shape(DType t) {
    TensorType r;
    r.dtype = t;
    return r;
  }
  std::size_t rank() const { return dims.size(); }
  bool fully_known() const { return rank_known && shape_is_known(dims); }
  std::string str() const;  // "float32[1x3x224x224]", "float32[?]" , "float32[batchx3]"
};

class Tensor {
 public:
  Tensor() = default;
  // Allocates a zero-filled buffer of shape_numel(shape) elements (64-byte aligned).
  Tensor(DType dtype, Shape shape);

  template <class T>
  static Tensor from_vector(Shape shape, const std::vector<T>& values);
  template <class T>
  static Tensor scalar(T v) { return from_vector<T>({}, {v}); }

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  std::size_t rank() const { return shape_.size(); }
  int64_t dim(int i) const { return shape_.at(i < 0 ? i + static_cast<int>(shape_.size()) : i); }
  int64_t numel() const { return numel_; }
  std::size_t nbytes() const { return static_cast<std::size_t>(numel_) * dtype_size(dtype_); }
  bool empty() const { return dtype_ == DType::Undefined; }
  TensorType type() const { return TensorType(dtype_, shape_); }

  const void* raw() const { return data_; }
  void* raw_mut() { return data_; }

  template <class T>
  const T* data() const {
    N2D2_ASSERT(DTypeOf<T>::value == dtype_);
    return static_cast<const T*>(data_);
  }
  template <class T>
  T* data_mut() {
    N2D2_ASSERT(DTypeOf<T>::value == dtype_);
    return static_cast<T*>(data_);
  }
  template <class T>
  std::span<const T> span() const { return {data<T>(), static_cast<std::size_t>(numel_)}; }
  template <class T>
  std::vector<T> to_vector() const {
    auto s = span<T>();
    return {s.begin(), s.end()};
  }
  // Integer tensor (any integer dtype) read as int64 values: for shape/axes/indices inputs.
  std::vector<int64_t> to_int64_vector() const;
  // Float or integer tensor read as double values.
  std::vector<double> to_double_vector() const;

  // A view with another shape of the same number of elements, sharing the buffer.
  Tensor reshaped(Shape shape) const;
  // A tensor over `data` (at least nbytes() bytes, aligned for dtype), kept alive by `owner`; the
  // bytes are not initialized.
  static Tensor over(DType dtype, Shape shape, std::shared_ptr<void> owner, void* data);
  // A deep copy.
  Tensor clone() const;
  // True when both tensors share one buffer.
  bool shares_buffer(const Tensor& o) const { return buf_ && buf_ == o.buf_; }

 private:
  DType dtype_ = DType::Undefined;
  Shape shape_;
  int64_t numel_ = 0;
  std::shared_ptr<void> buf_;
  void* data_ = nullptr;
};

template <class T>
Tensor Tensor::from_vector(Shape shape, const std::vector<T>& values) {
  Tensor t(DTypeOf<T>::value, std::move(shape));
  if (static_cast<int64_t>(values.size()) != t.numel())
    fail("Tensor::from_vector: ", values.size(), " values for shape [", shape_str(t.shape()), "]");
  T* d = t.data_mut<T>();
  for (std::size_t i = 0; i < values.size(); ++i) d[i] = values[i];
  return t;
}

}  // namespace n2d2
