// The index spaces of a reduction over any set of axes, shared by the Reduce* and Arg* kernels.
//
// Axes of size 1 are dropped and adjacent axes of the same kind (kept or reduced) are merged, so
// that reducing a 4-D tensor over its last two axes iterates one merged axis. Output element o
// (row-major over the kept axes) reduces the input elements at base_offset(o) plus each offset of
// the reduced sub-space; for_each_reduced visits those in row-major order of the reduced axes.
// Each output is therefore reduced sequentially in one fixed order, whatever the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/tensor.h"

namespace n2d2::kernels::detail {

class ReduceSpace {
 public:
  // `axes`: sorted, unique, in [0, shape.size()).
  ReduceSpace(const Shape& shape, const std::vector<int64_t>& axes);

  int64_t num_outputs() const { return num_outputs_; }
  int64_t reduced_size() const { return reduced_size_; }  // elements reduced into each output
  int64_t base_offset(int64_t o) const;

  // Calls f(offset) for each input element reduced into the output at `base`, in order.
  template <class F>
  void for_each_reduced(int64_t base, F&& f) const {
    if (reduced_size_ > 0) visit(0, base, f);
  }

 private:
  struct Axis {
    int64_t dim, stride;
  };

  template <class F>
  void visit(std::size_t level, int64_t offset, F& f) const {
    if (level == reduced_.size()) {
      f(offset);
    } else if (level + 1 == reduced_.size()) {
      const Axis a = reduced_[level];
      for (int64_t i = 0; i < a.dim; ++i) f(offset + i * a.stride);
    } else {
      const Axis a = reduced_[level];
      for (int64_t i = 0; i < a.dim; ++i) visit(level + 1, offset + i * a.stride, f);
    }
  }

  std::vector<Axis> kept_, reduced_;  // merged axes, outermost first
  int64_t num_outputs_ = 1, reduced_size_ = 1;
};

}  // namespace n2d2::kernels::detail
