#include "kernels/elementwise/broadcast.h"

namespace n2d2::kernels::detail {

Broadcast::Broadcast(const Shape& out_shape, const std::vector<const Tensor*>& inputs) : out(out_shape) {
  std::size_t rank = out.size();
  for (const Tensor* t : inputs) {
    const Shape& s = t->shape();
    std::vector<int64_t> st(rank, 0), own = shape_strides(s);
    std::size_t lead = rank - s.size();
    for (std::size_t i = 0; i < s.size(); ++i) st[lead + i] = s[i] == 1 && out[lead + i] != 1 ? 0 : own[i];
    strides.push_back(std::move(st));
    all_same = all_same && s == out;
  }
  row = rank ? out[rank - 1] : 1;
  rows = row ? shape_numel(out) / row : 0;
  for (const auto& st : strides) inner.push_back(rank ? st[rank - 1] : 0);
}

void Broadcast::row_offsets(int64_t r, std::vector<int64_t>& offs) const {
  std::fill(offs.begin(), offs.end(), 0);
  for (int d = static_cast<int>(out.size()) - 2; d >= 0; --d) {
    int64_t i = r % out[d];
    r /= out[d];
    for (std::size_t k = 0; k < strides.size(); ++k) offs[k] += i * strides[k][d];
  }
}

}  // namespace n2d2::kernels::detail
