// N-D convolution/pooling kernels work on 3 spatial axes: 1-D and 2-D problems get leading
// axes of size 1 (and kernel 1, stride 1, no padding) so one loop nest serves all ranks.
#pragma once

#include <algorithm>
#include <array>
#include <vector>

#include "graph/ops/window.h"
#include "graph/tensor.h"

namespace n2d2::kernels::detail {

struct Spatial3 {
  std::array<int64_t, 3> in{1, 1, 1}, out{1, 1, 1}, k{1, 1, 1}, s{1, 1, 1}, d{1, 1, 1}, pb{0, 0, 0}, pe{0, 0, 0};
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
  int64_t k_size() const { return k[0] * k[1] * k[2]; }
  // Extent along axis a of a zero-padded input plane that covers every element a window reads.
  int64_t padded_extent(int a) const { return std::max(in[a] + pb[a], (out[a] - 1) * s[a] + (k[a] - 1) * d[a] + 1); }
};

// `in_shape`/`out_shape` are full NC... shapes; `w` the window of the node. False for more than
// 3 spatial axes.
inline bool to_spatial3(const Shape& in_shape, const Shape& out_shape, const graph::Window& w, Spatial3& s) {
  std::size_t r = in_shape.size() - 2;
  if (r > 3) return false;
  std::size_t off = 3 - r;
  for (std::size_t i = 0; i < r; ++i) {
    s.in[off + i] = in_shape[2 + i];
    s.out[off + i] = out_shape[2 + i];
    s.k[off + i] = w.kernel[i];
    s.s[off + i] = w.strides[i];
    s.d[off + i] = w.dilations[i];
    s.pb[off + i] = w.pads_begin[i];
    s.pe[off + i] = w.pads_end[i];
  }
  return true;
}

// The range [lo, hi) of t in [0, count) for which 0 <= t * stride + offset < limit. Conv walks
// output columns t (count = output width) reading input column t * stride + offset (limit = input
// width); ConvTranspose the other way round.
struct Range {
  int64_t lo, hi;
};
inline Range tap_range(int64_t offset, int64_t stride, int64_t limit, int64_t count) {
  int64_t lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  int64_t hi = limit - 1 - offset < 0 ? 0 : std::min(count, (limit - 1 - offset) / stride + 1);
  return {lo, std::max(lo, hi)};
}

}  // namespace n2d2::kernels::detail
