// Schemas of Upsample (7: scales attribute; 9: scales input) and Resize (10: scales input;
// 11: roi, scales, optional sizes and the coordinate/rounding/cubic attributes; 13: roi and
// scales optional too).
#include "graph/ops/resize_ops.h"

#include <cmath>
#include <utility>


namespace n2d2::graph {

namespace {

bool is_legacy(const Node& n) { return n.op_type == "Upsample" || n.since_version < 11; }

template <class E>
E parse(const Node& n, const char* attr, std::initializer_list<std::pair<const char*, E>> names) {
  const std::string& s = n.attrs.s(attr);
  std::string known;
  for (const auto& [name, value] : names) {
    if (s == name) return value;
    known += known.empty() ? name : std::string(", ") + name;
  }
  fail("node ", n.label(), ": unknown ", attr, " '", s, "' (", known, ")");
}

}  // namespace

ResizeSettings resize_settings(const Node& n) {
  ResizeSettings s;
  if (is_legacy(n)) {
    s.mode = parse<ResizeMode>(n, "mode", {{"nearest", ResizeMode::Nearest}, {"linear", ResizeMode::Linear}});
    return s;
  }
  s.mode = parse<ResizeMode>(n, "mode",
                             {{"nearest", ResizeMode::Nearest}, {"linear", ResizeMode::Linear}, {"cubic", ResizeMode::Cubic}});
  s.transform = parse<CoordinateTransform>(n, "coordinate_transformation_mode",
                                           {{"half_pixel", CoordinateTransform::HalfPixel},
                                            {"pytorch_half_pixel", CoordinateTransform::PytorchHalfPixel},
                                            {"align_corners", CoordinateTransform::AlignCorners},
                                            {"asymmetric", CoordinateTransform::Asymmetric},
                                            {"tf_half_pixel_for_nn", CoordinateTransform::TfHalfPixelForNn},
                                            {"tf_crop_and_resize", CoordinateTransform::TfCropAndResize}});
  s.rounding = parse<NearestRounding>(n, "nearest_mode",
                                      {{"round_prefer_floor", NearestRounding::RoundPreferFloor},
                                       {"round_prefer_ceil", NearestRounding::RoundPreferCeil},
                                       {"floor", NearestRounding::Floor},
                                       {"ceil", NearestRounding::Ceil}});
  s.cubic_coeff_a = n.attrs.f("cubic_coeff_a");
  s.exclude_outside = n.attrs.i("exclude_outside") != 0;
  s.extrapolation_value = n.attrs.f("extrapolation_value");
  return s;
}

ResizeInputs resize_inputs(const Node& n) {
  if (n.op_type == "Upsample") return n.since_version < 9 ? ResizeInputs{} : ResizeInputs{-1, 1, -1};
  if (n.since_version < 11) return {-1, 1, -1};
  return {1, 2, 3};
}

std::optional<ResizeGeometry> resize_geometry(const Node& n, const Shape& in, const ResizeArg& scales,
                                              const ResizeArg& sizes) {
  const bool upsample = n.op_type == "Upsample";
  const std::size_t rank = in.size();
  ResizeGeometry g;
  if (scales.given && sizes.given) fail("node ", n.label(), ": scales and sizes are both given (one of them must be empty)");
  if (upsample && n.since_version < 9) {
    for (float s : n.attrs.floats("scales")) g.scales.push_back(s);
  } else if (scales.given) {
    if (!scales.value) return std::nullopt;
    g.scales = scales.value->to_double_vector();
  } else if (sizes.given) {
    if (!sizes.value) return std::nullopt;
    g.out_dims = sizes.value->to_int64_vector();
    if (g.out_dims.size() != rank) fail("node ", n.label(), ": sizes has ", g.out_dims.size(), " values for rank ", rank);
    for (std::size_t i = 0; i < rank; ++i) {
      if (g.out_dims[i] < 0) fail("node ", n.label(), ": size ", g.out_dims[i], " of axis ", i, " is negative");
      if (in[i] == 0 && g.out_dims[i] > 0) fail("node ", n.label(), ": cannot resize the empty axis ", i);
      g.scales.push_back(in[i] > 0 ? static_cast<double>(g.out_dims[i]) / static_cast<double>(in[i]) : 0.0);
    }
    return g;
  } else {
    fail("node ", n.label(), ": neither scales nor sizes is given");
  }
  if (g.scales.size() != rank) fail("node ", n.label(), ": scales has ", g.scales.size(), " values for rank ", rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const double s = g.scales[i];
    if (!(s > 0) || (upsample && s < 1))
      fail("node ", n.label(), ": scale ", s, " of axis ", i, " must be ", upsample ? "at least 1" : "positive");
    // As the ONNX reference: the product in double, truncated.
    g.out_dims.push_back(in[i] < 0 ? kUnknownDim : static_cast<int64_t>(std::floor(static_cast<double>(in[i]) * s)));
  }
  return g;
}

namespace {

// An optional float/int64 input: absent or empty is "not given"; an unknown value with an
// unknown shape may be either, which leaves the output dims unknown.
ResizeArg resize_arg(const InferContext& c, int i, bool& maybe_given) {
  if (i < 0 || !c.has_input(i)) return {};
  const TensorType& t = c.input_type(i);
  if (t.rank_known && t.rank() != 1) c.fail("input ", i, " must be 1-D, got ", t.str());
  const n2d2::Tensor* v = c.input_value(i);
  if (v) return {v->numel() > 0, v};
  if (t.fully_known()) return {shape_numel(t.dims) > 0, nullptr};
  maybe_given = true;
  return {};
}

std::vector<TensorType> infer_resize(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  const ResizeSettings settings = resize_settings(c.node());
  const ResizeInputs pos = resize_inputs(c.node());
  for (int i : {pos.roi, pos.scales}) {
    if (i < 0 || !c.has_input(i)) continue;
    const DType t = c.input_type(i).dtype;
    if (!dtype_is_float(t)) c.fail("input ", i, " must be a float tensor, got ", dtype_name(t));
    if (t != DType::F32 && t != DType::F64) c.fail_unsupported("input ", i, " of type ", dtype_name(t), " is not supported");
  }
  if (pos.sizes >= 0 && c.has_input(pos.sizes) && c.input_type(pos.sizes).dtype != DType::I64)
    c.fail("sizes must be int64, got ", dtype_name(c.input_type(pos.sizes).dtype));
  if (settings.mode != ResizeMode::Nearest && in.dtype == DType::Bool) c.fail("bool data can only be resized by nearest");
  bool maybe_given = false;
  const ResizeArg scales = resize_arg(c, pos.scales, maybe_given);
  const ResizeArg sizes = resize_arg(c, pos.sizes, maybe_given);
  if (settings.transform == CoordinateTransform::TfCropAndResize) {
    bool roi_maybe = false;
    const ResizeArg roi = resize_arg(c, pos.roi, roi_maybe);
    if (!roi.given && !roi_maybe) c.fail("tf_crop_and_resize needs the roi input");
    if (roi.value && in.rank_known && roi.value->numel() != 2 * static_cast<int64_t>(in.rank()))
      c.fail("roi has ", roi.value->numel(), " values, ", 2 * in.rank(), " expected for rank ", in.rank());
  }
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  const Shape unknown(in.rank(), kUnknownDim);
  if (maybe_given && !(scales.given && scales.value) && !(sizes.given && sizes.value)) return {TensorType(in.dtype, unknown)};
  std::optional<ResizeGeometry> g = resize_geometry(c.node(), in.dims, scales, sizes);
  return {TensorType(in.dtype, g ? g->out_dims : unknown)};
}

}  // namespace

void register_resize_ops(OpRegistry& r) {
  const AttrSpec nearest{"mode", AttrType::String, AttrValue{std::string("nearest")}};
  r.add(OpSchema{"Upsample", "", 7, 1, 1, 1, 1, {nearest, AttrSpec{"scales", AttrType::Floats, std::nullopt, true}},
                 infer_resize, {}});
  r.add(OpSchema{"Upsample", "", 9, 2, 2, 1, 1, {nearest}, infer_resize, {}});
  r.add(OpSchema{"Resize", "", 10, 2, 2, 1, 1, {nearest}, infer_resize, {}});
  const std::vector<AttrSpec> attrs = {
      AttrSpec{"coordinate_transformation_mode", AttrType::String, AttrValue{std::string("half_pixel")}},
      AttrSpec{"cubic_coeff_a", AttrType::Float, AttrValue{-0.75f}},
      AttrSpec{"exclude_outside", AttrType::Int, AttrValue{int64_t{0}}},
      AttrSpec{"extrapolation_value", AttrType::Float, AttrValue{0.f}},
      nearest,
      AttrSpec{"nearest_mode", AttrType::String, AttrValue{std::string("round_prefer_floor")}}};
  r.add(OpSchema{"Resize", "", 11, 3, 4, 1, 1, attrs, infer_resize, {}});
  r.add(OpSchema{"Resize", "", 13, 1, 4, 1, 1, attrs, infer_resize, {}});
}

}  // namespace n2d2::graph
