// The tensor family's kernels: registration (one function per file) and shared helpers. Data
// movement here is type-agnostic: elements are copied as dtype_size() bytes; values are read
// only where they matter (indices, conditions, TopK's keys).
#pragma once

#include <cstdint>
#include <string>

#include "kernels/registry.h"

namespace n2d2::kernels {

void register_tensor_views(KernelRegistry& r);      // views.cpp: Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout
void register_tensor_movement(KernelRegistry& r);   // movement.cpp: Transpose, Slice, Expand, Tile, Concat, Split
void register_tensor_indexing(KernelRegistry& r);   // indexing.cpp: Gather, GatherElements, GatherND, Scatter*
void register_tensor_selection(KernelRegistry& r);  // selection.cpp: NonZero, Compress, TopK
void register_tensor_makers(KernelRegistry& r);     // makers.cpp: Shape, Size, Constant(OfShape), Range, EyeLike, OneHot, Trilu

namespace tensor {

inline const unsigned char* bytes(const Tensor& t) { return static_cast<const unsigned char*>(t.raw()); }
inline unsigned char* bytes(Tensor& t) { return static_cast<unsigned char*>(t.raw_mut()); }

// A row-major shape seen around one axis as [outer, dim, inner].
struct AxisLayout {
  int64_t outer = 1, dim = 1, inner = 1;
};
inline AxisLayout axis_layout(const Shape& s, int64_t axis) {
  AxisLayout l;
  for (int64_t i = 0; i < axis; ++i) l.outer *= s[i];
  l.dim = s[axis];
  for (auto i = static_cast<std::size_t>(axis) + 1; i < s.size(); ++i) l.inner *= s[i];
  return l;
}

// The node's axis attribute normalized against `rank` (shape inference has checked its range).
inline int64_t node_axis(const KernelContext& c, std::size_t rank, const char* name = "axis") {
  int64_t axis = c.attrs().i(name);
  return axis < 0 ? axis + static_cast<int64_t>(rank) : axis;
}

// Element `i` of an int32 or int64 index tensor.
inline int64_t index_at(const Tensor& t, int64_t i) {
  return t.dtype() == DType::I32 ? t.data<int32_t>()[i] : t.data<int64_t>()[i];
}

// Index `i` into an axis of `n`, counted from the end when negative; -1 when outside [-n, n).
inline int64_t wrap_index(int64_t i, int64_t n) {
  if (i < -n || i >= n) return -1;
  return i < 0 ? i + n : i;
}

// supports(): every present input has a C++ element type (not float16/bfloat16), so that its
// values can be read.
std::string require_readable(const KernelQuery& q);

}  // namespace tensor
}  // namespace n2d2::kernels
