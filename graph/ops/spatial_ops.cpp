// Schemas of DepthToSpace (1; 11 adds the CRD mode) and SpaceToDepth, and the spatial family's
// registration (Pad: pad_ops.cpp; Resize, Upsample: resize_ops.cpp).
#include "graph/ops/ops.h"
#include "graph/ops/pad_ops.h"
#include "graph/ops/resize_ops.h"

namespace n2d2::graph {

namespace {

std::vector<TensorType> infer_depth_space(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  const bool to_space = c.node().op_type == "DepthToSpace";
  if (to_space && c.attrs().has("mode") && c.attrs().s("mode") != "DCR" && c.attrs().s("mode") != "CRD")
    c.fail("unknown mode '", c.attrs().s("mode"), "' (DCR or CRD)");
  const int64_t b = c.attrs().i("blocksize");
  if (b <= 0) c.fail("blocksize must be positive, got ", b);
  if (!in.rank_known) return {TensorType(in.dtype, Shape(4, kUnknownDim))};
  if (in.rank() != 4) c.fail("input must be 4-D, got ", in.str());
  auto times = [](int64_t d, int64_t k) { return d < 0 ? kUnknownDim : d * k; };
  auto divided = [&](int64_t d, int64_t k, const char* what) {
    if (d >= 0 && d % k != 0) c.fail(what, " ", d, " is not a multiple of ", k);
    return d < 0 ? kUnknownDim : d / k;
  };
  const Shape& d = in.dims;
  if (to_space) return {TensorType(in.dtype, {d[0], divided(d[1], b * b, "channel count"), times(d[2], b), times(d[3], b)})};
  return {TensorType(in.dtype, {d[0], times(d[1], b * b), divided(d[2], b, "height"), divided(d[3], b, "width")})};
}

}  // namespace

void register_spatial_ops(OpRegistry& r) {
  const AttrSpec blocksize{"blocksize", AttrType::Int, std::nullopt, true};
  r.add(OpSchema{"DepthToSpace", "", 1, 1, 1, 1, 1, {blocksize}, infer_depth_space, {}});
  r.add(OpSchema{"DepthToSpace", "", 11, 1, 1, 1, 1, {blocksize, AttrSpec{"mode", AttrType::String, AttrValue{std::string("DCR")}}},
                 infer_depth_space, {}});
  r.add(OpSchema{"SpaceToDepth", "", 1, 1, 1, 1, 1, {blocksize}, infer_depth_space, {}});
  register_pad_ops(r);
  register_resize_ops(r);
}

}  // namespace n2d2::graph
