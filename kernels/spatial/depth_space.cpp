// Reference DepthToSpace (DCR and CRD) and SpaceToDepth, as index permutations.
#include <cstring>

#include "kernels/spatial/spatial_kernels.h"

namespace n2d2::kernels {

namespace {

Status depth_space_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  const Shape& is = x.shape();
  int64_t b = c.attrs().i("blocksize");
  bool to_space = c.node.op_type == "DepthToSpace";
  bool crd = to_space && c.attrs().s_or("mode", "DCR") == "CRD";
  std::size_t esz = dtype_size(x.dtype());
  const auto* xp = static_cast<const unsigned char*>(x.raw());
  auto* yp = static_cast<unsigned char*>(c.out(0).raw_mut());
  const Shape& os = c.out(0).shape();
  int64_t N = os[0], C = os[1], H = os[2], W = os[3];
  for (int64_t n = 0; n < N; ++n)
    for (int64_t ch = 0; ch < C; ++ch)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w) {
          int64_t src;
          if (to_space) {
            int64_t bh = h % b, bw = w % b, ih = h / b, iw = w / b;
            int64_t ic = crd ? ch * b * b + bh * b + bw : (bh * b + bw) * C + ch;
            src = ((n * is[1] + ic) * is[2] + ih) * is[3] + iw;
          } else {
            int64_t ic = ch % is[1], blk = ch / is[1], bh = blk / b, bw = blk % b;
            src = ((n * is[1] + ic) * is[2] + h * b + bh) * is[3] + w * b + bw;
          }
          int64_t dst = ((n * C + ch) * H + h) * W + w;
          std::memcpy(yp + dst * esz, xp + src * esz, esz);
        }
  return Status::ok();
}

}  // namespace

void register_spatial_family_depth_space(KernelRegistry& r) {
  r.add({"depth_to_space_ref", "DepthToSpace", "", nullptr, depth_space_ref});
  r.add({"space_to_depth_ref", "SpaceToDepth", "", nullptr, depth_space_ref});
}

}  // namespace n2d2::kernels
