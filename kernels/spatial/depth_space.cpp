// Reference DepthToSpace (DCR and CRD) and SpaceToDepth. Both are a transpose of a 6-D view:
// the output, seen as 6-D, is gathered from the input through per-axis input strides.
#include <algorithm>
#include <array>

#include "kernels/parallel.h"
#include "kernels/spatial/element_bytes.h"
#include "kernels/spatial/spatial_kernels.h"

namespace n2d2::kernels {

namespace {

using Dims6 = std::array<int64_t, 6>;

// y (contiguous, dims `d`) at [i0..i5] = x at sum(i_k * s[k]).
template <class E>
void gather6(const E* x, E* y, const Dims6& d, const Dims6& s) {
  const int64_t rows = d[0] * d[1] * d[2] * d[3] * d[4], len = d[5];
  parallel_for(rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, len)), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t offset = 0, rem = r;
      for (int k = 4; k >= 0; --k) {
        offset += (rem % d[k]) * s[k];
        rem /= d[k];
      }
      E* out = y + r * len;
      for (int64_t i = 0; i < len; ++i) out[i] = x[offset + i * s[5]];
    }
  });
}

Status gather6_ref(const KernelContext& c, const Dims6& d, const Dims6& s) {
  const bool ok = detail::visit_element_size(dtype_size(c.in(0).dtype()), [&](auto tag) {
    using E = decltype(tag);
    gather6(static_cast<const E*>(c.in(0).raw()), static_cast<E*>(c.out(0).raw_mut()), d, s);
  });
  return ok ? Status::ok() : Status::error("unsupported element size ", dtype_size(c.in(0).dtype()));
}

// Output [N, C, H*b, W*b] as (n, c, h, bh, w, bw). DCR reads input channel (bh*b + bw)*C + c,
// CRD reads c*b*b + bh*b + bw.
Status depth_to_space_ref(const KernelContext& c) {
  const Shape& in = c.in(0).shape();
  const int64_t b = c.attrs().i("blocksize"), N = in[0], H = in[2], W = in[3], C = in[1] / (b * b);
  const int64_t hw = H * W;
  const bool crd = c.attrs().s_or("mode", "DCR") == "CRD";  // no mode before DepthToSpace-11
  const int64_t s_c = crd ? b * b * hw : hw, s_bh = crd ? b * hw : b * C * hw, s_bw = crd ? hw : C * hw;
  return gather6_ref(c, {N, C, H, b, W, b}, {in[1] * hw, s_c, W, s_bh, 1, s_bw});
}

// Output [N, C*b*b, H/b, W/b] as (n, bh, bw, c, h, w), read from input (n, c, h*b + bh, w*b + bw).
Status space_to_depth_ref(const KernelContext& c) {
  const Shape& in = c.in(0).shape();
  const int64_t b = c.attrs().i("blocksize"), N = in[0], C = in[1], H = in[2], W = in[3];
  return gather6_ref(c, {N, b, b, C, H / b, W / b}, {C * H * W, W, 1, H * W, b * W, b});
}

}  // namespace

void register_spatial_depth_space(KernelRegistry& r) {
  r.add({"depth_to_space_ref", "DepthToSpace", "", nullptr, depth_to_space_ref});
  r.add({"space_to_depth_ref", "SpaceToDepth", "", nullptr, space_to_depth_ref});
}

}  // namespace n2d2::kernels
