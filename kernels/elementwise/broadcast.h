// Numpy broadcasting for elementwise kernels: each input gets strides aligned to the output
// (0 along broadcast axes); the output is walked row by row over its last axis.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/tensor.h"
#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

struct Broadcast {
  Shape out;
  std::vector<std::vector<int64_t>> strides;  // per input, one per output axis
  int64_t row = 1;                            // length of the last output axis (1 for scalars)
  int64_t rows = 1;
  std::vector<int64_t> inner;                 // per input: stride along the last axis (0 or 1)
  bool all_same = true;                       // every input has the output's shape

  Broadcast(const Shape& out_shape, const std::vector<const Tensor*>& inputs);
  // Offsets of each input at the start of row r.
  void row_offsets(int64_t r, std::vector<int64_t>& offs) const;
};

// Calls f(offsets, out_offset, n, inner) for each output row, in parallel blocks of rows.
template <class F>
void for_each_row(const Broadcast& b, F&& f) {
  int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, b.row));
  parallel_for(b.rows, grain, [&](int64_t begin, int64_t end) {
    std::vector<int64_t> offs(b.strides.size());
    for (int64_t r = begin; r < end; ++r) {
      b.row_offsets(r, offs);
      f(offs, r * b.row, b.row);
    }
  });
}

}  // namespace n2d2::kernels::detail
