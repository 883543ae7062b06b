// Numpy broadcasting for elementwise kernels. Each input gets strides aligned to the output (0
// along broadcast axes); size-1 axes are dropped and axes that every input walks contiguously are
// merged, so same-shape inputs become one flat row. The output is then walked row by row over its
// last merged axis, long rows cut into fixed segments.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "graph/tensor.h"
#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

struct Broadcast {
  Shape dims;                                 // merged output axes (empty for one element)
  std::vector<std::vector<int64_t>> strides;  // per input, one per merged axis
  std::vector<int64_t> inner;                 // per input: stride along the last merged axis (0 or 1)
  int64_t row = 1;                            // length of the last merged axis
  int64_t rows = 1;                           // number of rows (0 for an empty output)

  Broadcast(const Shape& out_shape, const std::vector<const Tensor*>& inputs);
  // Offsets of each input at the start of row r.
  void row_offsets(int64_t r, std::vector<int64_t>& offs) const;
};

// Calls f(offsets, out_offset, n) for each segment of at most kSegment output elements within a
// row (offsets: of each input at the segment's start), in parallel blocks of segments. The cut
// depends only on the shapes, never on the thread count.
template <class F>
void for_each_row(const Broadcast& b, F&& f) {
  constexpr int64_t kSegment = 16384;
  const int64_t seg_len = std::clamp<int64_t>(b.row, 1, kSegment);
  const int64_t segs_per_row = (b.row + seg_len - 1) / seg_len;
  parallel_for(b.rows * segs_per_row, std::max<int64_t>(1, kSegment / seg_len), [&](int64_t begin, int64_t end) {
    std::vector<int64_t> offs(b.strides.size());
    for (int64_t s = begin; s < end; ++s) {
      int64_t r = s / segs_per_row, start = s % segs_per_row * seg_len;
      b.row_offsets(r, offs);
      for (std::size_t k = 0; k < offs.size(); ++k) offs[k] += start * b.inner[k];
      f(offs, r * b.row + start, std::min(seg_len, b.row - start));
    }
  });
}

}  // namespace n2d2::kernels::detail
