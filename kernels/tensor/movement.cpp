// Data movement: Transpose, Slice and Expand are one strided copy each; Tile repeats rows;
// Concat and Split copy contiguous blocks.
#include <algorithm>
#include <cstring>

#include "graph/ops/tensor_ops.h"
#include "kernels/parallel.h"
#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

using tensor::bytes;

// Elements handled by one parallel block of row copies.
constexpr int64_t kBlockElements = 16384;

// dst[i] = src[i * step] for n elements of `esz` bytes; the common sizes get constant-size
// copies, which compile to plain loads and stores.
template <std::size_t kSize>
void copy_strided_row(unsigned char* dst, const unsigned char* src, int64_t n, int64_t step) {
  for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * int64_t{kSize}, src + i * step * int64_t{kSize}, kSize);
}
void copy_strided_row(unsigned char* dst, const unsigned char* src, int64_t n, int64_t step, std::size_t esz) {
  switch (esz) {
    case 1: return copy_strided_row<1>(dst, src, n, step);
    case 2: return copy_strided_row<2>(dst, src, n, step);
    case 4: return copy_strided_row<4>(dst, src, n, step);
    case 8: return copy_strided_row<8>(dst, src, n, step);
    default: {
      auto e = static_cast<int64_t>(esz);
      for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * e, src + i * step * e, esz);
    }
  }
}

// Fills dst (contiguous, shape `out`) with src[base + sum_d idx[d] * strides[d]] (strides in
// elements, possibly 0 or negative), one output row (last dim) at a time.
void strided_copy(unsigned char* dst, const unsigned char* src, int64_t base, const Shape& out,
                  const std::vector<int64_t>& strides, std::size_t esz) {
  int64_t total = shape_numel(out), e = static_cast<int64_t>(esz);
  if (total == 0) return;
  if (out.empty()) {
    std::memcpy(dst, src + base * e, esz);
    return;
  }
  std::size_t rank = out.size();
  int64_t row = out[rank - 1], step = strides[rank - 1];
  parallel_for(total / row, std::max<int64_t>(1, kBlockElements / row), [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      int64_t off = base, rem = r;
      for (std::size_t d = rank - 1; d-- > 0;) {
        off += (rem % out[d]) * strides[d];
        rem /= out[d];
      }
      unsigned char* o = dst + r * row * e;
      if (step == 1) std::memcpy(o, src + off * e, static_cast<std::size_t>(row) * esz);
      else copy_strided_row(o, src + off * e, row, step, esz);
    }
  });
}

Status transpose_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  std::vector<int64_t> own = shape_strides(x.shape()), strides;
  for (int64_t p : graph::transpose_perm(c.node, x.rank())) strides.push_back(own[p]);
  strided_copy(bytes(c.out(0)), bytes(x), 0, c.out(0).shape(), strides, dtype_size(x.dtype()));
  return Status::ok();
}

Status slice_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  auto input = [&](std::size_t i) { return c.has_input(i) ? &c.in(i) : nullptr; };
  std::vector<graph::SliceAxis> axes = graph::slice_axes(c.node, x.shape(), {input(1), input(2), input(3), input(4)});
  std::vector<int64_t> own = shape_strides(x.shape()), strides;
  int64_t base = 0;
  for (std::size_t d = 0; d < x.rank(); ++d) {
    base += axes[d].start * own[d];
    strides.push_back(axes[d].count > 1 ? axes[d].step * own[d] : 0);  // a huge step only matters past one element
  }
  strided_copy(bytes(c.out(0)), bytes(x), base, c.out(0).shape(), strides, dtype_size(x.dtype()));
  return Status::ok();
}

// Numpy broadcasting: dims of 1 (and missing leading dims) are read with stride 0.
Status expand_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  const Shape& out = c.out(0).shape();
  std::vector<int64_t> own = shape_strides(x.shape()), strides(out.size(), 0);
  std::size_t lead = out.size() - x.rank();
  for (std::size_t i = 0; i < x.rank(); ++i) strides[lead + i] = x.shape()[i] == 1 ? 0 : own[i];
  strided_copy(bytes(c.out(0)), bytes(x), 0, out, strides, dtype_size(x.dtype()));
  return Status::ok();
}

// Output row r (a position over every dim but the last) copies input row (r_d mod in_d), as
// many times as the last dim repeats.
Status tile_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  auto esz = static_cast<int64_t>(dtype_size(x.dtype()));
  if (y.numel() == 0) return Status::ok();  // else every input dim is > 0
  if (x.rank() == 0) {
    std::memcpy(bytes(y), bytes(x), static_cast<std::size_t>(esz));
    return Status::ok();
  }
  const Shape &in = x.shape(), &out = y.shape();
  std::size_t rank = in.size();
  std::vector<int64_t> strides = shape_strides(in);
  int64_t in_row = in[rank - 1], out_row = out[rank - 1];
  parallel_for(y.numel() / out_row, std::max<int64_t>(1, kBlockElements / out_row), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t off = 0, rem = r;
      for (std::size_t d = rank - 1; d-- > 0;) {
        off += (rem % out[d]) % in[d] * strides[d];
        rem /= out[d];
      }
      unsigned char* dst = bytes(y) + r * out_row * esz;
      for (int64_t j = 0; j < out_row; j += in_row)
        std::memcpy(dst + j * esz, bytes(x) + off * esz, static_cast<std::size_t>(in_row * esz));
    }
  });
  return Status::ok();
}

// Concat and Split see every tensor as [outer, axis * inner] rows: each input (output) fills
// (takes) a column range of the concatenated rows.
Status concat_ref(const KernelContext& c) {
  Tensor& y = c.out(0);
  int64_t axis = tensor::node_axis(c, y.rank());
  tensor::AxisLayout out = tensor::axis_layout(y.shape(), axis);
  auto esz = static_cast<int64_t>(dtype_size(y.dtype()));
  int64_t out_row = out.dim * out.inner * esz, at = 0;
  for (std::size_t k = 0; k < c.num_inputs(); ++k) {
    const Tensor& x = c.in(k);
    int64_t row = x.shape()[axis] * out.inner * esz;
    if (row > 0)
      for (int64_t o = 0; o < out.outer; ++o)
        std::memcpy(bytes(y) + o * out_row + at, bytes(x) + o * row, static_cast<std::size_t>(row));
    at += row;
  }
  return Status::ok();
}

Status split_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  int64_t axis = tensor::node_axis(c, x.rank());
  tensor::AxisLayout in = tensor::axis_layout(x.shape(), axis);
  auto esz = static_cast<int64_t>(dtype_size(x.dtype()));
  std::vector<int64_t> sizes =
      graph::split_sizes(c.node, in.dim, c.num_outputs(), c.has_input(1) ? &c.in(1) : nullptr);
  int64_t in_row = in.dim * in.inner * esz, at = 0;
  for (std::size_t k = 0; k < c.num_outputs(); ++k) {
    int64_t row = sizes[k] * in.inner * esz;
    if (c.has_output(k) && row > 0)
      for (int64_t o = 0; o < in.outer; ++o)
        std::memcpy(bytes(c.out(k)) + o * row, bytes(x) + o * in_row + at, static_cast<std::size_t>(row));
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
