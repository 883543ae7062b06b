// Schemas of the spatial family: Pad, Resize, Upsample, DepthToSpace, SpaceToDepth.
#include "graph/ops/spatial_ops.h"

#include <cmath>

#include "graph/ops/ops.h"

namespace n2d2::graph {

std::optional<std::vector<int64_t>> pad_amounts(const Node& n, int64_t rank, const n2d2::Tensor* pads_input) {
  std::vector<int64_t> pads;
  if (n.since_version < 11) {
    pads = n.attrs.ints("pads");
  } else {
    if (!pads_input) return std::nullopt;
    pads = pads_input->to_int64_vector();
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    fail("node ", n.label(), ": pads has ", pads.size(), " values for rank ", rank, " (", 2 * rank, " expected)");
  return pads;
}

std::optional<ResizeGeometry> resize_geometry(const Node& n, const Shape& in, bool scales_present,
                                              const n2d2::Tensor* scales, bool sizes_present, const n2d2::Tensor* sizes) {
  ResizeGeometry g;
  std::size_t rank = in.size();
  bool use_sizes = sizes_present && !(sizes && sizes->numel() == 0);
  if (n.op_type == "Upsample" && n.since_version < 9) {
    for (float s : n.attrs.floats("scales")) g.scales.push_back(s);
  } else if (use_sizes) {
    if (!sizes) return std::nullopt;
    std::vector<int64_t> sz = sizes->to_int64_vector();
    if (sz.size() != rank) fail("node ", n.label(), ": sizes has ", sz.size(), " values for rank ", rank);
    for (std::size_t i = 0; i < rank; ++i) {
      g.out_dims.push_back(sz[i]);
      g.scales.push_back(in[i] > 0 ? static_cast<double>(sz[i]) / static_cast<double>(in[i]) : 1.0);
    }
    return g;
  } else {
    if (!scales_present) fail("node ", n.label(), ": neither scales nor sizes is given");
    if (!scales) return std::nullopt;
    for (double s : scales->to_double_vector()) g.scales.push_back(s);
  }
  if (g.scales.size() != rank) fail("node ", n.label(), ": scales has ", g.scales.size(), " values for rank ", rank);
  for (std::size_t i = 0; i < rank; ++i) {
    if (!(g.scales[i] > 0)) fail("node ", n.label(), ": scale ", g.scales[i], " must be positive");
    g.out_dims.push_back(in[i] < 0 ? kUnknownDim
                                   : static_cast<int64_t>(std::floor(static_cast<double>(in[i]) * g.scales[i] + 1e-9)));
  }
  return g;
}

namespace {

AttrSpec attr(const char* name, AttrType t, AttrValue v) { return AttrSpec{name, t, std::move(v)}; }

std::vector<TensorType> infer_pad(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  auto rank = static_cast<int64_t>(in.rank());
  auto pads = pad_amounts(c.node(), rank, c.input_value(1));
  if (!pads) return {TensorType(in.dtype, Shape(in.rank(), kUnknownDim))};
  Shape out(in.rank());
  for (int64_t i = 0; i < rank; ++i) {
    out[i] = in.dims[i] < 0 ? kUnknownDim : in.dims[i] + (*pads)[i] + (*pads)[i + rank];
    if (in.dims[i] >= 0 && out[i] < 0) c.fail("pads make axis ", i, " negative");
  }
  std::string mode = c.attrs().s("mode");
  if (mode != "constant" && mode != "reflect" && mode != "edge") c.fail("unknown mode '", mode, "'");
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> infer_resize(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  bool upsample = c.node().op_type == "Upsample";
  int v = c.since_version();
  // Input positions: Upsample-9 (X, scales); Resize-10 (X, scales); Resize-11+ (X, roi, scales, sizes).
  std::size_t si = (upsample || v < 11) ? 1 : 2, zi = 3;
  bool has_sizes = !upsample && v >= 11 && c.has_input(zi);
  const n2d2::Tensor* sizes = has_sizes ? c.input_value(zi) : nullptr;
  bool sizes_empty = has_sizes && sizes && sizes->numel() == 0;
  if (!upsample && v >= 11 && !c.has_input(si) && !has_sizes) c.fail("one of scales and sizes must be given");
  auto geo = resize_geometry(c.node(), in.dims, c.has_input(si), c.input_value(si), has_sizes && !sizes_empty, sizes);
  if (!geo) return {TensorType(in.dtype, Shape(in.rank(), kUnknownDim))};
  std::string mode = c.attrs().s("mode");
  if (mode != "nearest" && mode != "linear" && mode != "cubic" && mode != "bilinear")
    c.fail("unknown mode '", mode, "'");
  return {TensorType(in.dtype, geo->out_dims)};
}

std::vector<TensorType> infer_depth_space(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  if (in.rank() != 4) c.fail("input must be 4-D, got ", in.str());
  int64_t b = c.attrs().i("blocksize");
  if (b <= 0) c.fail("blocksize must be positive");
  Shape o = in.dims;
  auto mul = [](int64_t d, int64_t k) { return d < 0 ? kUnknownDim : d * k; };
  auto div = [&](int64_t d, int64_t k) {
    if (d >= 0 && d % k) c.fail("dimension ", d, " is not divisible by ", k);
    return d < 0 ? kUnknownDim : d / k;
  };
  if (c.node().op_type == "DepthToSpace") {
    o[1] = div(in.dims[1], b * b);
    o[2] = mul(in.dims[2], b);
    o[3] = mul(in.dims[3], b);
  } else {
    o[1] = mul(in.dims[1], b * b);
    o[2] = div(in.dims[2], b);
    o[3] = div(in.dims[3], b);
  }
  return {TensorType(in.dtype, o)};
}

}  // namespace

void register_spatial_ops(OpRegistry& r) {
  AttrSpec mode_constant = attr("mode", AttrType::String, std::string("constant"));
  r.add(OpSchema{"Pad", "", 2, 1, 1, 1, 1,
                 {mode_constant, AttrSpec{"pads", AttrType::Ints, std::nullopt, true}, attr("value", AttrType::Float, 0.f)},
                 infer_pad, {}});
  for (int v : {11, 13}) r.add(OpSchema{"Pad", "", v, 2, 3, 1, 1, {mode_constant}, infer_pad, {}});

  AttrSpec nearest = attr("mode", AttrType::String, std::string("nearest"));
  r.add(OpSchema{"Upsample", "", 7, 1, 1, 1, 1, {nearest, AttrSpec{"scales", AttrType::Floats, std::nullopt, true}}, infer_resize, {}});
  r.add(OpSchema{"Upsample", "", 9, 2, 2, 1, 1, {nearest}, infer_resize, {}});
  r.add(OpSchema{"Resize", "", 10, 2, 2, 1, 1, {nearest}, infer_resize, {}});
  std::vector<AttrSpec> resize11 = {
      attr("coordinate_transformation_mode", AttrType::String, std::string("half_pixel")),
      attr("cubic_coeff_a", AttrType::Float, -0.75f),
      attr("exclude_outside", AttrType::Int, int64_t{0}),
      attr("extrapolation_value", AttrType::Float, 0.f),
      nearest,
      attr("nearest_mode", AttrType::String, std::string("round_prefer_floor"))};
  r.add(OpSchema{"Resize", "", 11, 3, 4, 1, 1, resize11, infer_resize, {}});
  r.add(OpSchema{"Resize", "", 13, 1, 4, 1, 1, resize11, infer_resize, {}});

  r.add(OpSchema{"DepthToSpace", "", 1, 1, 1, 1, 1, {AttrSpec{"blocksize", AttrType::Int, std::nullopt, true}}, infer_depth_space, {}});
  r.add(OpSchema{"DepthToSpace", "", 11, 1, 1, 1, 1,
                 {AttrSpec{"blocksize", AttrType::Int, std::nullopt, true}, attr("mode", AttrType::String, std::string("DCR"))},
                 infer_depth_space, {}});
  r.add(OpSchema{"SpaceToDepth", "", 1, 1, 1, 1, 1, {AttrSpec{"blocksize", AttrType::Int, std::nullopt, true}}, infer_depth_space, {}});
}

}  // namespace n2d2::graph
