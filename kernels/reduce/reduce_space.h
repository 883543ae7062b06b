// Index spaces of a reduction: for each output element, the input offsets it reduces over.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/tensor.h"

namespace n2d2::kernels::detail {

// Splits `shape` into kept and reduced axes. offset_of(o) gives the input offset of the first
// element reduced into output o (outputs enumerated in row-major order of the kept axes);
// reduced_offsets lists the relative offsets of the reduced sub-space, in row-major order.
class ReduceSpace {
 public:
  ReduceSpace(const Shape& shape, const std::vector<int64_t>& axes);
  int64_t num_outputs() const { return num_outputs_; }
  int64_t offset_of(int64_t o) const;
  const std::vector<int64_t>& reduced_offsets() const { return reduced_offsets_; }

 private:
  std::vector<int64_t> kept_dims_, kept_strides_;
  std::vector<int64_t> reduced_offsets_;
  int64_t num_outputs_ = 1;
};

}  // namespace n2d2::kernels::detail
