#include "kernels/elementwise/broadcast.h"

namespace n2d2::kernels::detail {

Broadcast::Broadcast(const Shape& out_shape, const std::vector<const Tensor*>& inputs) : strides(inputs.size()) {
  const std::size_t rank = out_shape.size();
  // Strides aligned to the output's axes.
  std::vector<std::vector<int64_t>> full;
  for (const Tensor* t : inputs) {
    const Shape& s = t->shape();
    std::vector<int64_t> st(rank, 0), own = shape_strides(s);
    std::size_t lead = rank - s.size();
    for (std::size_t i = 0; i < s.size(); ++i) st[lead + i] = s[i] == 1 ? 0 : own[i];
    full.push_back(std::move(st));
  }
  // Drop size-1 axes; merge axis d into the previous kept one when every input steps through
  // both as through one (stride_prev == stride_d * size_d).
  for (std::size_t d = 0; d < rank; ++d) {
    if (out_shape[d] == 1) continue;
    bool merge = !dims.empty();
    for (std::size_t k = 0; k < full.size() && merge; ++k) merge = strides[k].back() == full[k][d] * out_shape[d];
    if (merge) {
      dims.back() *= out_shape[d];
      for (std::size_t k = 0; k < full.size(); ++k) strides[k].back() = full[k][d];
    } else {
      dims.push_back(out_shape[d]);
      for (std::size_t k = 0; k < full.size(); ++k) strides[k].push_back(full[k][d]);
    }
  }
  row = dims.empty() ? 1 : dims.back();
  rows = row ? shape_numel(dims) / row : 0;
  for (const auto& st : strides) inner.push_back(st.empty() ? 0 : st.back());
}

void Broadcast::row_offsets(int64_t r, std::vector<int64_t>& offs) const {
  std::fill(offs.begin(), offs.end(), 0);
  for (int d = static_cast<int>(dims.size()) - 2; d >= 0; --d) {
    int64_t i = r % dims[d];
    r /= dims[d];
    for (std::size_t k = 0; k < strides.size(); ++k) offs[k] += i * strides[k][d];
  }
}

}  // namespace n2d2::kernels::detail
