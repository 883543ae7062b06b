// Reference Pad: constant, reflect and edge modes; negative pads crop.
#include <cstring>

#include "graph/ops/spatial_ops.h"
#include "kernels/spatial/spatial_kernels.h"

namespace n2d2::kernels {

namespace {

// Input coordinate of output coordinate `o` along an axis of length `n` padded by `begin`;
// -1 when the constant value applies.
int64_t source_index(int64_t o, int64_t begin, int64_t n, int mode) {
  int64_t i = o - begin;
  if (i >= 0 && i < n) return i;
  if (mode == 0 || n == 0) return -1;
  if (mode == 2) return i < 0 ? 0 : n - 1;  // edge
  if (n == 1) return 0;                      // reflect of a single element
  int64_t period = 2 * (n - 1);
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - i;
}

Status pad_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  auto rank = static_cast<int64_t>(x.rank());
  std::vector<int64_t> pads = *graph::pad_amounts(c.node, rank, c.has_input(1) ? &c.in(1) : nullptr);
  const std::string& m = c.attrs().s("mode");
  int mode = m == "constant" ? 0 : m == "reflect" ? 1 : 2;
  Tensor& y = c.out(0);
  if (mode != 0)
    for (int64_t a = 0; a < rank; ++a)
      if (x.shape()[a] == 0 && y.shape()[a] > 0) return Status::error("cannot ", m, "-pad an empty axis");
  if (mode == 1)
    for (int64_t a = 0; a < rank; ++a)
      if (pads[a] >= x.shape()[a] || pads[a + rank] >= x.shape()[a])
        if (x.shape()[a] > 1) return Status::error("reflect pads must be smaller than the axis (axis ", a, ")");
  // The constant value, written once in the output's type.
  double value = c.node.since_version < 11 ? c.attrs().f("value")
                 : c.has_input(2) && c.in(2).numel() ? c.in(2).to_double_vector()[0] : 0.0;
  std::size_t esz = dtype_size(x.dtype());
  std::vector<unsigned char> fill(esz, 0);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T v = static_cast<T>(value);
    std::memcpy(fill.data(), &v, esz);
  });
  std::vector<int64_t> in_strides = shape_strides(x.shape());
  const Shape& os = y.shape();
  std::vector<int64_t> idx(static_cast<std::size_t>(rank), 0);
  auto* yp = static_cast<unsigned char*>(y.raw_mut());
  const auto* xp = static_cast<const unsigned char*>(x.raw());
  for (int64_t o = 0; o < y.numel(); ++o) {
    int64_t off = 0;
    bool constant = false;
    for (int64_t a = 0; a < rank && !constant; ++a) {
      int64_t s = source_index(idx[a], pads[a], x.shape()[a], mode);
      if (s < 0) constant = true;
      else off += s * in_strides[a];
    }
    std::memcpy(yp + o * esz, constant ? fill.data() : xp + off * esz, esz);
    for (int64_t a = rank - 1; a >= 0; --a) {
      if (++idx[a] < os[a]) break;
      idx[a] = 0;
    }
  }
  return Status::ok();
}

}  // namespace

void register_spatial_family_pad(KernelRegistry& r) { r.add({"pad_ref", "Pad", "", nullptr, pad_ref}); }

}  // namespace n2d2::kernels
