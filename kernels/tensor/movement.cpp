// Data movement: Transpose, Slice and Expand are strided copies; Concat and Split copy blocks;
// Tile wraps indices. All copy elements as bytes.
#include <cstring>

#include "graph/ops/tensor_ops.h"
#include "kernels/parallel.h"
#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

// dst (contiguous, shape `out`) <- src at `base` + sum(idx[d] * strides[d]), strides in elements.
void strided_copy(unsigned char* dst, const unsigned char* src, int64_t base, const Shape& out,
                  const std::vector<int64_t>& strides, std::size_t esz) {
  std::size_t rank = out.size();
  int64_t total = shape_numel(out);
  if (total == 0) return;
  if (rank == 0) {
    std::memcpy(dst, src + base * esz, esz);
    return;
  }
  int64_t row = out[rank - 1], rows = total / row, inner = strides[rank - 1];
  parallel_for(rows, std::max<int64_t>(1, 8192 / row), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t off = base, rem = r;
      for (int d = static_cast<int>(rank) - 2; d >= 0; --d) {
        off += (rem % out[d]) * strides[d];
        rem /= out[d];
      }
      unsigned char* o = dst + r * row * esz;
      if (inner == 1) {
        std::memcpy(o, src + off * esz, static_cast<std::size_t>(row) * esz);
      } else {
        for (int64_t i = 0; i < row; ++i) std::memcpy(o + i * esz, src + (off + i * inner) * esz, esz);
      }
    }
  });
}

const unsigned char* bytes(const Tensor& t) { return static_cast<const unsigned char*>(t.raw()); }
unsigned char* bytes(Tensor& t) { return static_cast<unsigned char*>(t.raw_mut()); }

Status transpose_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  std::size_t rank = x.rank();
  std::vector<int64_t> perm = c.attrs().ints_or("perm", {});
  if (perm.empty())
    for (std::size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  std::vector<int64_t> st = shape_strides(x.shape()), ps;
  for (int64_t p : perm) ps.push_back(st[p < 0 ? p + static_cast<int64_t>(rank) : p]);
  strided_copy(bytes(c.out(0)), bytes(x), 0, c.out(0).shape(), ps, dtype_size(x.dtype()));
  return Status::ok();
}

Status slice_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  auto in = [&](std::size_t i) { return c.has_input(i) ? &c.in(i) : nullptr; };
  auto p = graph::slice_params(c.node, x.shape(), in(1), in(2), in(3), in(4), true);
  std::vector<int64_t> st = shape_strides(x.shape()), ss;
  int64_t base = 0;
  for (std::size_t d = 0; d < x.rank(); ++d) {
    base += (*p)[d].start * st[d];
    ss.push_back((*p)[d].step * st[d]);
  }
  strided_copy(bytes(c.out(0)), bytes(x), base, c.out(0).shape(), ss, dtype_size(x.dtype()));
  return Status::ok();
}

Status expand_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  const Shape& out = c.out(0).shape();
  std::vector<int64_t> own = shape_strides(x.shape()), st(out.size(), 0);
  std::size_t lead = out.size() - x.rank();
  for (std::size_t i = 0; i < x.rank(); ++i) st[lead + i] = x.shape()[i] == 1 ? 0 : own[i];
  strided_copy(bytes(c.out(0)), bytes(x), 0, out, st, dtype_size(x.dtype()));
  return Status::ok();
}

Status tile_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  const Shape& out = c.out(0).shape();
  std::size_t esz = dtype_size(x.dtype());
  std::vector<int64_t> st = shape_strides(x.shape());
  const unsigned char* src = bytes(x);
  unsigned char* dst = bytes(c.out(0));
  for (int64_t o = 0; o < c.out(0).numel(); ++o) {
    int64_t rem = o, off = 0;
    for (int d = static_cast<int>(out.size()) - 1; d >= 0; --d) {
      off += ((rem % out[d]) % x.shape()[d]) * st[d];
      rem /= out[d];
    }
    std::memcpy(dst + o * esz, src + off * esz, esz);
  }
  return Status::ok();
}

// Concat and Split share the block layout: [outer, axis, inner].
struct Blocks {
  int64_t outer = 1, inner = 1;
};
Blocks blocks_of(const Shape& s, int64_t axis) {
  Blocks b;
  for (int64_t i = 0; i < axis; ++i) b.outer *= s[i];
  for (std::size_t i = static_cast<std::size_t>(axis) + 1; i < s.size(); ++i) b.inner *= s[i];
  return b;
}

Status concat_ref(const KernelContext& c) {
  Tensor& y = c.out(0);
  int64_t axis = c.attrs().i("axis");
  if (axis < 0) axis += static_cast<int64_t>(y.rank());
  Blocks b = blocks_of(y.shape(), axis);
  std::size_t esz = dtype_size(y.dtype());
  int64_t out_row = y.shape()[axis] * b.inner, at = 0;
  for (std::size_t k = 0; k < c.num_inputs(); ++k) {
    const Tensor& x = c.in(k);
    int64_t row = x.shape()[axis] * b.inner;
    for (int64_t o = 0; o < b.outer; ++o)
      std::memcpy(bytes(y) + (o * out_row + at) * esz, bytes(x) + o * row * esz, static_cast<std::size_t>(row) * esz);
    at += row;
  }
  return Status::ok();
}

Status split_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  int64_t axis = c.attrs().i("axis");
  if (axis < 0) axis += static_cast<int64_t>(x.rank());
  Blocks b = blocks_of(x.shape(), axis);
  std::size_t esz = dtype_size(x.dtype());
  int64_t in_row = x.shape()[axis] * b.inner, at = 0;
  auto sizes = graph::split_sizes(c.node, x.shape()[axis], c.num_outputs(), c.has_input(1) ? &c.in(1) : nullptr,
                                  c.has_input(1));
  for (std::size_t k = 0; k < c.num_outputs(); ++k) {
    Tensor& y = c.out(k);
    int64_t row = (*sizes)[k] * b.inner;
    if (c.has_output(k))
      for (int64_t o = 0; o < b.outer; ++o)
        std::memcpy(bytes(y) + o * row * esz, bytes(x) + (o * in_row + at) * esz, static_cast<std::size_t>(row) * esz);
    at += row;
  }
  return Status::ok();
}

}  // namespace

void register_tensor_movement(KernelRegistry& r) {
  r.add({"transpose_ref", "Transpose", "", nullptr, transpose_ref});
  r.add({"slice_ref", "Slice", "", nullptr, slice_ref});
  r.add({"expand_ref", "Expand", "", nullptr, expand_ref});
  r.add({"tile_ref", "Tile", "", nullptr, tile_ref});
  r.add({"concat_ref", "Concat", "", nullptr, concat_ref});
  r.add({"split_ref", "Split", "", nullptr, split_ref});
}

}  // namespace n2d2::kernels
