// Schemas of the elementwise family: unary math and activations, binary arithmetic with numpy
// broadcasting, comparisons and logic, variadic Min/Max/Sum/Mean, Where, Clip, Cast, CastLike.
#include <cfloat>

#include "graph/ops/elementwise_ops.h"
#include "graph/ops/ops.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

Shape legacy_broadcast_b(const Node& n, const Shape& a, const Shape& b) {
  if (n.since_version >= 7) return b;
  // PRelu-1/6: a slope of several values holds one per channel (axis 1).
  bool prelu_channels = n.op_type == "PRelu" && b.size() == 1 && b[0] != 1 && a.size() >= 2;
  if (!prelu_channels && (n.attrs.i_or("broadcast", 0) == 0 || !n.attrs.has("axis"))) return b;
  int64_t axis = prelu_channels ? 1 : n.attrs.i("axis");
  auto rank = static_cast<int64_t>(a.size());
  if (axis < 0) axis += rank;
  Shape r = b;
  int64_t trailing = rank - axis - static_cast<int64_t>(b.size());
  if (axis < 0 || trailing < 0)
    fail("node ", n.label(), ": legacy broadcast axis ", n.attrs.i("axis"), " does not fit");
  r.insert(r.end(), static_cast<std::size_t>(trailing), 1);
  return r;
}

namespace {

AttrSpec f_attr(const char* n, float v) { return AttrSpec{n, AttrType::Float, AttrValue{v}}; }
AttrSpec i_attr(const char* n, int64_t v) { return AttrSpec{n, AttrType::Int, AttrValue{v}}; }

// Broadcast shape of the present inputs from `first` on, with dtype `out` (the first input's when
// Undefined); with `same_types`, the inputs must share one dtype.
std::vector<TensorType> infer_broadcast(const InferContext& c, std::size_t first, DType out, bool same_types) {
  Shape shape;
  bool known = true;
  DType ref = DType::Undefined;
  for (std::size_t i = first; i < c.num_inputs(); ++i) {
    if (!c.has_input(i)) continue;
    const TensorType& t = c.input_type(i);
    if (same_types) {
      if (ref == DType::Undefined) ref = t.dtype;
      else if (t.dtype != ref && t.dtype != DType::Undefined)
        c.fail("inputs have different types (", dtype_name(ref), " and ", dtype_name(t.dtype), ")");
    }
    if (!t.rank_known) {
      known = false;
      continue;
    }
    const bool legacy_b = i == 1 && c.num_inputs() == 2 && c.input_type(0).rank_known;
    Shape dims = legacy_b ? legacy_broadcast_b(c.node(), c.input_type(0).dims, t.dims) : t.dims;
    if (known && !broadcast_shapes(shape, dims, shape))
      c.fail("shapes cannot be broadcast: ", TensorType(DType::F32, shape).str(), " and ", t.str());
  }
  DType dt = out != DType::Undefined ? out : c.input_type(first).dtype;
  return {known ? TensorType(dt, shape) : TensorType::unknown_shape(dt)};
}

std::vector<TensorType> same_as_input(const InferContext& c) { return {c.input_type(0)}; }
std::vector<TensorType> bool_like_input(const InferContext& c) {
  TensorType t = c.input_type(0);
  t.dtype = DType::Bool;
  return {t};
}
std::vector<TensorType> binary_same(const InferContext& c) { return infer_broadcast(c, 0, DType::Undefined, true); }
std::vector<TensorType> binary_first(const InferContext& c) { return infer_broadcast(c, 0, DType::Undefined, false); }
std::vector<TensorType> binary_bool(const InferContext& c) {
  infer_broadcast(c, 0, DType::Undefined, true);  // checks types
  return infer_broadcast(c, 0, DType::Bool, false);
}
std::vector<TensorType> where(const InferContext& c) {
  if (c.input_type(0).dtype != DType::Bool) c.fail("condition must be bool, got ", dtype_name(c.input_type(0).dtype));
  if (c.input_type(1).dtype != c.input_type(2).dtype) c.fail("X and Y have different types");
  return infer_broadcast(c, 0, c.input_type(1).dtype, false);
}
std::vector<TensorType> prelu(const InferContext& c) {
  std::vector<TensorType> r = binary_same(c);
  const TensorType& x = c.input_type(0);
  if (r[0].rank_known && x.rank_known && r[0].dims != x.dims && shape_is_known(x.dims))
    c.fail("slope ", c.input_type(1).str(), " does not broadcast to X ", x.str());
  return {x};
}
std::vector<TensorType> cast(const InferContext& c) {
  DType to = dtype_from_onnx_code(c.attrs().i("to"));
  if (to == DType::Undefined) c.fail_unsupported("cast to ONNX type ", c.attrs().i("to"), " is not supported");
  TensorType t = c.input_type(0);
  t.dtype = to;
  return {t};
}
std::vector<TensorType> cast_like(const InferContext& c) {
  TensorType t = c.input_type(0);
  t.dtype = c.input_type(1).dtype;
  return {t};
}
std::vector<TensorType> clip(const InferContext& c) {
  for (std::size_t i = 1; i < 3; ++i) {
    if (!c.has_input(i)) continue;
    const TensorType& t = c.input_type(i);
    if (t.dtype != c.input_type(0).dtype) c.fail("min/max type differs from input type");
    if (t.rank_known && shape_numel(t.dims) > 1) c.fail("min/max must be scalars, got ", t.str());
  }
  return {c.input_type(0)};
}

void unary(OpRegistry& r, const char* op, std::initializer_list<int> versions, std::vector<AttrSpec> attrs = {},
           InferFn f = same_as_input) {
  for (int v : versions) r.add(OpSchema{op, "", v, 1, 1, 1, 1, attrs, f, {}});
}
void binary(OpRegistry& r, const char* op, std::initializer_list<int> versions, InferFn f,
            std::vector<AttrSpec> attrs = {}) {
  for (int v : versions) r.add(OpSchema{op, "", v, 2, 2, 1, 1, attrs, f, {}});
}

}  // namespace

void register_elementwise_ops(OpRegistry& r) {
  // Versions 1 and 6 carry the legacy `broadcast`/`axis` attributes (see legacy_broadcast_b).
  std::vector<AttrSpec> legacy = {i_attr("broadcast", 0), AttrSpec{"axis", AttrType::Int, std::nullopt}};
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) {
    binary(r, op, {1, 6}, binary_same, legacy);
    binary(r, op, {7, 13, 14}, binary_same);
  }
  binary(r, "Pow", {1}, binary_first, legacy);
  binary(r, "Pow", {7, 12, 13, 15}, binary_first);
  binary(r, "Mod", {10, 13}, binary_same, {i_attr("fmod", 0)});
  binary(r, "BitShift", {11}, binary_same, {AttrSpec{"direction", AttrType::String, std::nullopt, true}});
  binary(r, "Equal", {7, 11, 13}, binary_bool);
  for (const char* op : {"Less", "Greater"}) binary(r, op, {7, 9, 13}, binary_bool);
  for (const char* op : {"LessOrEqual", "GreaterOrEqual"}) binary(r, op, {12, 16}, binary_bool);
  for (const char* op : {"And", "Or", "Xor"}) binary(r, op, {7}, binary_bool);
  unary(r, "Not", {1});
  for (const char* op : {"Min", "Max"})
    for (int v : {1, 6, 8, 12, 13}) r.add(OpSchema{op, "", v, 1, 1 << 20, 1, 1, {}, binary_same, {}});
  for (const char* op : {"Sum", "Mean"})
    for (int v : {1, 6, 8, 13}) r.add(OpSchema{op, "", v, 1, 1 << 20, 1, 1, {}, binary_same, {}});

  for (const char* op : {"Sqrt", "Exp", "Log", "Neg", "Abs", "Reciprocal", "Floor", "Ceil", "Relu", "Sigmoid", "Tanh"})
    unary(r, op, {1, 6, 13});  // version 1 only adds the ignored consumed_inputs attribute
  unary(r, "Relu", {14});
  for (const char* op : {"Sin", "Cos", "Tan", "Asin", "Acos", "Atan"}) unary(r, op, {7});
  for (const char* op : {"Sinh", "Cosh", "Asinh", "Acosh", "Atanh"}) unary(r, op, {9});
  unary(r, "Erf", {9, 13});
  unary(r, "Sign", {9, 13});
  unary(r, "Round", {11});
  unary(r, "Softplus", {1});
  unary(r, "Softsign", {1});
  unary(r, "HardSwish", {14});
  unary(r, "IsNaN", {9, 13}, {}, bool_like_input);
  unary(r, "IsInf", {10}, {i_attr("detect_negative", 1), i_attr("detect_positive", 1)}, bool_like_input);
  unary(r, "Elu", {1, 6}, {f_attr("alpha", 1.f)});
  unary(r, "Selu", {1, 6}, {f_attr("alpha", 1.67326319217681884765625f), f_attr("gamma", 1.05070102214813232421875f)});
  unary(r, "Celu", {12}, {f_attr("alpha", 1.f)});
  unary(r, "LeakyRelu", {1, 6, 16}, {f_attr("alpha", 0.01f)});
  unary(r, "ThresholdedRelu", {10}, {f_attr("alpha", 1.f)});
  unary(r, "HardSigmoid", {1, 6}, {f_attr("alpha", 0.2f), f_attr("beta", 0.5f)});
  unary(r, "Shrink", {9}, {f_attr("bias", 0.f), f_attr("lambd", 0.5f)});
  for (int v : {1, 6, 7, 9, 16}) r.add(OpSchema{"PRelu", "", v, 2, 2, 1, 1, {}, prelu, {}});
  r.add(OpSchema{"Clip", "", 1, 1, 1, 1, 1, {f_attr("min", -FLT_MAX), f_attr("max", FLT_MAX)}, same_as_input, {}});
  r.add(OpSchema{"Clip", "", 6, 1, 1, 1, 1, {f_attr("min", -FLT_MAX), f_attr("max", FLT_MAX)}, same_as_input, {}});
  for (int v : {11, 12, 13}) r.add(OpSchema{"Clip", "", v, 1, 3, 1, 1, {}, clip, {}});
  for (int v : {9, 16}) r.add(OpSchema{"Where", "", v, 3, 3, 1, 1, {}, where, {}});
  const AttrSpec to{"to", AttrType::Int, std::nullopt, true};
  for (int v : {6, 9, 13}) r.add(OpSchema{"Cast", "", v, 1, 1, 1, 1, {to}, cast, {}});
  r.add(OpSchema{"CastLike", "", 15, 2, 2, 1, 1, {}, cast_like, {}});
}

}  // namespace n2d2::graph
