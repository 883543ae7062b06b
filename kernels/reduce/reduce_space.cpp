#include "kernels/reduce/reduce_space.h"

#include <algorithm>

namespace n2d2::kernels::detail {

ReduceSpace::ReduceSpace(const Shape& shape, const std::vector<int64_t>& axes) {
  const std::vector<int64_t> strides = shape_strides(shape);
  bool last_reduced = false;  // kind of the last merged axis, when there is one
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool reduced = std::binary_search(axes.begin(), axes.end(), static_cast<int64_t>(i));
    (reduced ? reduced_size_ : num_outputs_) *= shape[i];
    if (shape[i] == 1) continue;
    std::vector<Axis>& group = reduced ? reduced_ : kept_;
    const bool adjacent = !group.empty() && last_reduced == reduced;
    if (adjacent) {
      // Row-major: the merged axis keeps the stride of its innermost part.
      group.back().dim *= shape[i];
      group.back().stride = strides[i];
    } else {
      group.push_back({shape[i], strides[i]});
    }
    last_reduced = reduced;
  }
}

int64_t ReduceSpace::base_offset(int64_t o) const {
  int64_t offset = 0;
  for (auto a = kept_.rbegin(); a != kept_.rend(); ++a) {
    offset += (o % a->dim) * a->stride;
    o /= a->dim;
  }
  return offset;
}

}  // namespace n2d2::kernels::detail
