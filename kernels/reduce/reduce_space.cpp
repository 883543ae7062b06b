#include "kernels/reduce/reduce_space.h"

#include <algorithm>

namespace n2d2::kernels::detail {

ReduceSpace::ReduceSpace(const Shape& shape, const std::vector<int64_t>& axes) {
  std::vector<int64_t> strides = shape_strides(shape);
  std::vector<int64_t> red_dims, red_strides;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (std::find(axes.begin(), axes.end(), static_cast<int64_t>(i)) != axes.end()) {
      red_dims.push_back(shape[i]);
      red_strides.push_back(strides[i]);
    } else {
      kept_dims_.push_back(shape[i]);
      kept_strides_.push_back(strides[i]);
      num_outputs_ *= shape[i];
    }
  }
  int64_t n = shape_numel(red_dims);
  reduced_offsets_.reserve(static_cast<std::size_t>(n));
  std::vector<int64_t> idx(red_dims.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t off = 0;
    for (std::size_t d = 0; d < idx.size(); ++d) off += idx[d] * red_strides[d];
    reduced_offsets_.push_back(off);
    for (int d = static_cast<int>(idx.size()) - 1; d >= 0; --d) {
      if (++idx[d] < red_dims[d]) break;
      idx[d] = 0;
    }
  }
}

int64_t ReduceSpace::offset_of(int64_t o) const {
  int64_t off = 0;
  for (int d = static_cast<int>(kept_dims_.size()) - 1; d >= 0; --d) {
    off += (o % kept_dims_[d]) * kept_strides_[d];
    o /= kept_dims_[d];
  }
  return off;
}

}  // namespace n2d2::kernels::detail
