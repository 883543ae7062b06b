// Schemas of the ai.n2d2 integer ops produced by post-training quantization (quant/):
//   Quantize        float X -> n-bit integer (scale, nbbits, signed)
//   Dequantize      integer X -> float32 (scale)
//   QConv           integer X (u8/i8/u16/i16) * W (i8/i16) + B (i32) -> int32, Conv's window attributes
//   QGemm           A [M x K] * W [N x K]^T + B [N] (i32) -> int32 [M x N]
//   Requantize      integer accumulator -> n-bit integer (mode, per-tensor or per-channel parameters)
//   QAdd            a_multiplier * A + b_multiplier * B (same shapes) -> int32 (branch alignment)
//   QGlobalSumPool  sum over the spatial axes -> int32 N x C x 1 ... (average = sum + Requantize)
//   QConvRequantize Requantize(QConv(X, W, B)): QConv's inputs and window attributes + Requantize's
//                   attributes, the (u)int8/16 output of the Requantize (graph pass fuse_requantize)
//   QAddRequantize  Requantize(QAdd(A, B)): QAdd's + Requantize's attributes (fuse_requantize)
// The arithmetic (rounding, saturation) is graph/ops/quant_semantics.h.
#include "graph/ops/quant_ops.h"

#include "graph/op_registry.h"
#include "graph/ops/nn_ops.h"
#include "graph/ops/ops.h"
#include "graph/ops/window.h"

namespace n2d2::graph {

DType quant_storage_dtype(int64_t nbbits, bool is_signed) {
  if (nbbits < quant::kMinBits || nbbits > quant::kMaxBits)
    fail("nbbits must be in [", quant::kMinBits, ", ", quant::kMaxBits, "], got ", nbbits);
  if (nbbits <= 8) return is_signed ? DType::I8 : DType::U8;
  return is_signed ? DType::I16 : DType::U16;
}

quant::Rescaling parse_rescaling(const std::string& name) {
  if (name == "Floating-point") return quant::Rescaling::FloatingPoint;
  if (name == "Fixed-point" || name == "Fixed-point16" || name == "Fixed-point32") return quant::Rescaling::FixedPoint;
  if (name == "Single-shift") return quant::Rescaling::SingleShift;
  if (name == "Double-shift") return quant::Rescaling::DoubleShift;
  fail("unknown rescaling mode '", name,
       "' (expected Floating-point, Fixed-point16, Fixed-point32, Single-shift or Double-shift)");
}

RequantizeAttrs requantize_attrs(const Node& n) {
  RequantizeAttrs r;
  const Attributes& a = n.attrs;
  try {
    r.mode = parse_rescaling(a.s("mode"));
    (void)quant_storage_dtype(a.i("nbbits"), a.i("signed") != 0);
  } catch (const Error& e) {
    fail("node ", n.label(), ": ", e.what());
  }
  r.nbbits = static_cast<int>(a.i("nbbits"));
  r.is_signed = a.i("signed") != 0;
  std::vector<float> scale = a.floats_or("scale", {});
  std::vector<int64_t> mult = a.ints_or("multiplier", {}), shift = a.ints_or("shift", {}), left = a.ints_or("left_shift", {});
  std::size_t count = 0;
  auto need = [&](std::size_t size, const char* what) {
    if (size == 0) fail("node ", n.label(), ": mode ", a.s("mode"), " needs the '", what, "' attribute");
    if (count != 0 && size != count)
      fail("node ", n.label(), ": '", what, "' has ", size, " values, other parameters ", count);
    count = size;
  };
  switch (r.mode) {
    case quant::Rescaling::FloatingPoint: need(scale.size(), "scale"); break;
    case quant::Rescaling::FixedPoint: need(mult.size(), "multiplier"); need(shift.size(), "shift"); break;
    case quant::Rescaling::SingleShift: need(shift.size(), "shift"); break;
    case quant::Rescaling::DoubleShift: need(shift.size(), "shift"); need(left.size(), "left_shift"); break;
  }
  r.channels.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    quant::RescaleParams& p = r.channels[i];
    if (!scale.empty()) p.scale = scale[i];
    if (!mult.empty()) p.multiplier = mult[i];
    if (!shift.empty()) p.shift = static_cast<int>(shift[i]);
    if (!left.empty()) p.left = static_cast<int>(left[i]);
    if ((!shift.empty() && (shift[i] < 0 || shift[i] > 62)) || (!left.empty() && (left[i] < 0 || left[i] > 30)))
      fail("node ", n.label(), ": shift out of range at channel ", i);
    if (!mult.empty() && (mult[i] <= -(int64_t{1} << 31) || mult[i] >= (int64_t{1} << 31)))
      fail("node ", n.label(), ": multiplier ", mult[i], " does not fit 32 bits at channel ", i);
    if (!scale.empty() && !(scale[i] >= 0.f && scale[i] < 3e38f))
      fail("node ", n.label(), ": scale ", scale[i], " is not a finite non-negative number at channel ", i);
  }
  return r;
}

namespace {

using namespace detail;

constexpr std::initializer_list<DType> kActTypes = {DType::U8, DType::I8, DType::U16, DType::I16};
constexpr std::initializer_list<DType> kIntTypes = {DType::U8, DType::I8, DType::U16, DType::I16, DType::I32};

std::vector<TensorType> quantize(const InferContext& c) {
  require_dtype(c, 0, {DType::F32});
  if (!(c.attrs().f("scale") > 0.f)) c.fail("scale must be positive, got ", c.attrs().f("scale"));
  DType t;
  try {
    t = quant_storage_dtype(c.attrs().i("nbbits"), c.attrs().i("signed") != 0);
  } catch (const Error& e) {
    c.fail(e.what());
  }
  TensorType r = c.input_type(0);
  r.dtype = t;
  return {r};
}

std::vector<TensorType> dequantize(const InferContext& c) {
  require_dtype(c, 0, kIntTypes);
  TensorType r = c.input_type(0);
  r.dtype = DType::F32;
  return {r};
}

void require_bias(const InferContext& c, int64_t channels) {
  if (!c.has_input(2)) return;
  require_dtype(c, 2, {DType::I32});
  const TensorType& b = c.input_type(2);
  if (b.rank_known && (b.rank() != 1 || (b.dims[0] >= 0 && channels >= 0 && b.dims[0] != channels)))
    c.fail("B ", b.str(), " must hold one int32 per output channel (", channels, ")");
}

std::vector<TensorType> qconv(const InferContext& c) {
  require_dtype(c, 0, kActTypes);
  require_dtype(c, 1, {DType::I8, DType::I16});
  const TensorType &x = c.input_type(0), &w = c.input_type(1);
  if (!x.rank_known || !w.rank_known) return {TensorType::unknown_shape(DType::I32)};
  require_spatial_rank(c, x, "X");
  if (w.rank() != x.rank()) c.fail("W ", w.str(), " must have the rank of X ", x.str());
  int64_t group = c.attrs().i("group");
  if (group <= 0) c.fail("group must be positive, got ", group);
  if (x.dims[1] >= 0 && w.dims[1] >= 0 && x.dims[1] != w.dims[1] * group)
    c.fail("X ", x.str(), " has ", x.dims[1], " channels, W ", w.str(), " expects ", w.dims[1], " x group ", group);
  if (w.dims[0] >= 0 && w.dims[0] % group != 0) c.fail("output channels ", w.dims[0], " are not divisible by group ", group);
  require_bias(c, w.dims[0]);
  Window win = window_forward(c.node(), spatial_dims(x.dims), kernel_shape(c, spatial_dims(w.dims)), false);
  Shape out{x.dims[0], w.dims[0]};
  out.insert(out.end(), win.out.begin(), win.out.end());
  return {TensorType(DType::I32, out)};
}

int64_t qconv_macs(const InferContext& c, const std::vector<TensorType>& outs) {
  const TensorType& w = c.input_type(1);
  int64_t fan = 1;
  for (std::size_t i = 1; i < w.rank(); ++i) fan *= w.dims[i];
  return shape_numel(outs[0].dims) * fan;
}

std::vector<TensorType> qgemm(const InferContext& c) {
  require_dtype(c, 0, kActTypes);
  require_dtype(c, 1, {DType::I8, DType::I16});
  const TensorType &a = c.input_type(0), &w = c.input_type(1);
  if (!a.rank_known || !w.rank_known) return {TensorType(DType::I32, {kUnknownDim, kUnknownDim})};
  if (a.rank() != 2 || w.rank() != 2) c.fail("A ", a.str(), " and W ", w.str(), " must be 2-D");
  if (a.dims[1] >= 0 && w.dims[1] >= 0 && a.dims[1] != w.dims[1])
    c.fail("A ", a.str(), " and W ", w.str(), " (N x K) differ in K");
  require_bias(c, w.dims[0]);
  return {TensorType(DType::I32, {a.dims[0], w.dims[0]})};
}

int64_t qgemm_macs(const InferContext& c, const std::vector<TensorType>& outs) {
  return shape_numel(outs[0].dims) * c.input_type(1).dims[1];
}

std::vector<TensorType> requantize(const InferContext& c) {
  require_dtype(c, 0, kIntTypes);
  RequantizeAttrs r = requantize_attrs(c.node());
  const TensorType& x = c.input_type(0);
  if (r.channels.size() > 1) {
    if (x.rank_known && x.rank() < 2) c.fail("per-channel parameters need an input of rank >= 2, got ", x.str());
    if (x.rank_known && x.dims[1] >= 0 && x.dims[1] != static_cast<int64_t>(r.channels.size()))
      c.fail(r.channels.size(), " channel parameters for input ", x.str());
  }
  TensorType out = x;
  out.dtype = quant_storage_dtype(r.nbbits, r.is_signed);
  return {out};
}

std::vector<TensorType> qadd(const InferContext& c) {
  require_dtype(c, 0, kIntTypes);
  require_dtype(c, 1, kIntTypes);
  const TensorType &a = c.input_type(0), &b = c.input_type(1);
  if (a.rank_known && b.rank_known) {
    bool same = a.rank() == b.rank();
    for (std::size_t i = 0; same && i < a.rank(); ++i) same = a.dims[i] < 0 || b.dims[i] < 0 || a.dims[i] == b.dims[i];
    if (!same) c.fail("A ", a.str(), " and B ", b.str(), " must have the same shape");
  }
  TensorType out = a;
  out.dtype = DType::I32;
  return {out};
}

std::vector<TensorType> qglobal_sum_pool(const InferContext& c) {
  require_dtype(c, 0, kIntTypes);
  const TensorType& x = c.input_type(0);
  if (!x.rank_known) return {TensorType::unknown_shape(DType::I32)};
  require_spatial_rank(c, x, "X");
  Shape out(x.rank(), 1);
  out[0] = x.dims[0];
  out[1] = x.dims[1];
  return {TensorType(DType::I32, out)};
}

// The Requantize part of a fused node: output type and channel count for `channels` (or -1).
TensorType requantized(const InferContext& c, TensorType acc) {
  RequantizeAttrs r = requantize_attrs(c.node());
  if (r.channels.size() > 1 && acc.rank_known) {
    if (acc.rank() < 2) c.fail("per-channel parameters need an output of rank >= 2, got ", acc.str());
    if (acc.dims[1] >= 0 && acc.dims[1] != static_cast<int64_t>(r.channels.size()))
      c.fail(r.channels.size(), " channel parameters for output ", acc.str());
  }
  acc.dtype = quant_storage_dtype(r.nbbits, r.is_signed);
  return acc;
}

std::vector<TensorType> qconv_requantize(const InferContext& c) { return {requantized(c, qconv(c)[0])}; }
std::vector<TensorType> qadd_requantize(const InferContext& c) { return {requantized(c, qadd(c)[0])}; }

}  // namespace

void register_quant_ops(OpRegistry& r) {
  const std::string d = kN2D2Domain;
  r.add(OpSchema{"Quantize", d, 1, 1, 1, 1, 1,
                 {required_attr("scale", AttrType::Float), int_attr("nbbits", 8), int_attr("signed", 0)}, quantize, {}});
  r.add(OpSchema{"Dequantize", d, 1, 1, 1, 1, 1, {required_attr("scale", AttrType::Float)}, dequantize, {}});
  std::vector<AttrSpec> conv_attrs = {string_attr("auto_pad", "NOTSET"), optional_attr("dilations", AttrType::Ints),
                                      int_attr("group", 1), optional_attr("kernel_shape", AttrType::Ints),
                                      optional_attr("pads", AttrType::Ints), optional_attr("strides", AttrType::Ints)};
  r.add(OpSchema{"QConv", d, 1, 2, 3, 1, 1, conv_attrs, qconv, qconv_macs});
  r.add(OpSchema{"QGemm", d, 1, 2, 3, 1, 1, {}, qgemm, qgemm_macs});
  std::vector<AttrSpec> rq_attrs = {required_attr("mode", AttrType::String), int_attr("nbbits", 8), int_attr("signed", 0),
                                    optional_attr("scale", AttrType::Floats), optional_attr("multiplier", AttrType::Ints),
                                    optional_attr("shift", AttrType::Ints), optional_attr("left_shift", AttrType::Ints)};
  r.add(OpSchema{"Requantize", d, 1, 1, 1, 1, 1, rq_attrs, requantize, {}});
  std::vector<AttrSpec> add_attrs = {int_attr("a_multiplier", 1), int_attr("b_multiplier", 1)};
  r.add(OpSchema{"QAdd", d, 1, 2, 2, 1, 1, add_attrs, qadd, {}});
  std::vector<AttrSpec> conv_rq = conv_attrs, add_rq = add_attrs;
  conv_rq.insert(conv_rq.end(), rq_attrs.begin(), rq_attrs.end());
  add_rq.insert(add_rq.end(), rq_attrs.begin(), rq_attrs.end());
  r.add(OpSchema{"QConvRequantize", d, 1, 2, 3, 1, 1, conv_rq, qconv_requantize, qconv_macs});
  r.add(OpSchema{"QAddRequantize", d, 1, 2, 2, 1, 1, add_rq, qadd_requantize, {}});
  r.add(OpSchema{"QGlobalSumPool", d, 1, 1, 1, 1, 1, {}, qglobal_sum_pool, {}});
}

}  // namespace n2d2::graph
