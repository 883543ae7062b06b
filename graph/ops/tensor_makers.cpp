// Schemas of the ops that make tensors from attributes, shapes and scalars: Constant,
// ConstantOfShape, Range, EyeLike, OneHot, and Trilu (a triangular mask of its input).
#include <cmath>
#include <optional>
#include <type_traits>

#include "graph/ops/tensor_ops.h"
#include "graph/ops/tensor_schemas.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

n2d2::Tensor constant_value(const Node& n) {
  const Attributes& a = n.attrs;
  for (const char* unsupported : {"sparse_value", "value_string", "value_strings"})
    if (a.has(unsupported)) fail_unsupported("node ", n.label(), ": Constant with ", unsupported, " is not supported");
  int set = 0;
  for (const char* name : {"value", "value_float", "value_floats", "value_int", "value_ints"}) set += a.has(name);
  if (set != 1) fail("node ", n.label(), ": Constant needs exactly one value attribute, it has ", set);
  auto length = [](const auto& v) { return Shape{static_cast<int64_t>(v.size())}; };
  if (a.has("value")) return a.t("value");
  if (a.has("value_float")) return n2d2::Tensor::scalar<float>(a.f("value_float"));
  if (a.has("value_int")) return n2d2::Tensor::scalar<int64_t>(a.i("value_int"));
  if (a.has("value_floats")) return n2d2::Tensor::from_vector<float>(length(a.floats("value_floats")), a.floats("value_floats"));
  return n2d2::Tensor::from_vector<int64_t>(length(a.ints("value_ints")), a.ints("value_ints"));
}

namespace tensor_schemas {
namespace {

std::vector<TensorType> constant(const InferContext& c) { return {constant_value(c.node()).type()}; }

std::vector<TensorType> constant_of_shape(const InferContext& c) {
  DType dt = DType::F32;
  if (c.attrs().has("value")) {
    const n2d2::Tensor& v = c.attrs().t("value");
    if (v.numel() != 1) c.fail("value must hold one element, it has ", v.numel());
    dt = v.dtype();
  }
  auto dims = int_values(c, 0, "shape");
  if (!dims) {
    if (auto rank = known_length(c, 0)) return {unknown_dims(dt, *rank)};
    return {TensorType::unknown_shape(dt)};
  }
  for (int64_t d : *dims)
    if (d < 0) c.fail("shape [", shape_str(*dims), "] has a negative dimension");
  return {TensorType(dt, *dims)};
}

// max(ceil((limit - start) / delta), 0): exact for integers, in the inputs' type for floats as
// in the ONNX reference. Nullopt when the count is not a representable number (NaN, inf, 2^62+).
template <class T>
std::optional<int64_t> range_count(T start, T limit, T delta) {
  if constexpr (std::is_integral_v<T>) {
    __int128 diff = static_cast<__int128>(limit) - start, q = diff / delta;
    if (diff % delta != 0 && (diff < 0) == (delta < 0)) ++q;  // round the quotient up
    if (q > (int64_t{1} << 62)) return std::nullopt;
    return std::max<int64_t>(static_cast<int64_t>(q), 0);
  } else {
    T q = std::ceil((limit - start) / delta);
    if (!(q < static_cast<T>(int64_t{1} << 62))) return std::nullopt;
    return q > T(0) ? static_cast<int64_t>(q) : 0;
  }
}

std::vector<TensorType> range(const InferContext& c) {
  DType dt = c.input_type(0).dtype;
  if (dt != DType::F32 && dt != DType::F64 && dt != DType::I16 && dt != DType::I32 && dt != DType::I64)
    c.fail("Range takes float, double, int16, int32 or int64, got ", dtype_name(dt));
  const n2d2::Tensor* v[3];
  for (std::size_t i = 0; i < 3; ++i) {
    const TensorType& t = c.input_type(i);
    if (t.dtype != dt) c.fail("input ", i, " is ", dtype_name(t.dtype), ", input 0 is ", dtype_name(dt));
    if (t.rank_known && shape_numel(t.dims) >= 0 && shape_numel(t.dims) != 1) c.fail("input ", i, " must be a scalar, got ", t.str());
    v[i] = c.input_value(i);
  }
  if (!v[0] || !v[1] || !v[2]) return {unknown_dims(dt, 1)};
  std::optional<int64_t> n;
  visit_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      T delta = v[2]->data<T>()[0];
      if (delta == T(0)) c.fail("delta is 0");
      n = range_count<T>(v[0]->data<T>()[0], v[1]->data<T>()[0], delta);
    }
  });
  if (!n) c.fail("the number of elements is not finite or too large");
  return {TensorType(dt, {*n})};
}

std::vector<TensorType> eye_like(const InferContext& c) {
  TensorType t = c.input_type(0);
  if (t.rank_known && t.rank() != 2) c.fail("the input must be 2-D, got ", t.str());
  if (c.attrs().has("dtype")) {
    t.dtype = dtype_from_onnx_code(c.attrs().i("dtype"));
    if (t.dtype == DType::Undefined) c.fail_unsupported("dtype ", c.attrs().i("dtype"), " is not supported");
  }
  return {t};
}

std::vector<TensorType> one_hot(const InferContext& c) {
  const TensorType& idx = c.input_type(0);
  const TensorType& depth_t = c.input_type(1);
  const TensorType& values = c.input_type(2);
  if (values.rank_known && (values.rank() != 1 || (values.dims[0] >= 0 && values.dims[0] != 2)))
    c.fail("values must be [off, on], got ", values.str());
  if (depth_t.rank_known && shape_numel(depth_t.dims) >= 0 && shape_numel(depth_t.dims) != 1)
    c.fail("depth must hold one value, got ", depth_t.str());
  int64_t depth = kUnknownDim;
  if (const n2d2::Tensor* d = c.input_value(1)) {
    if (!visit_dtype(d->dtype(), [&](auto tag) { depth = static_cast<int64_t>(d->data<decltype(tag)>()[0]); }))
      c.fail_unsupported("depth of type ", dtype_name(d->dtype()));
    if (depth < 0) c.fail("depth ", depth, " is negative");
  }
  if (!idx.rank_known) return {TensorType::unknown_shape(values.dtype)};
  auto rank = static_cast<int64_t>(idx.rank()) + 1;
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, rank)) c.fail("axis ", c.attrs().i("axis"), " is out of range for rank ", rank);
  Shape out = idx.dims;
  out.insert(out.begin() + axis, depth);
  return {TensorType(values.dtype, out)};
}

std::vector<TensorType> trilu(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (in.rank_known && in.rank() < 2) c.fail("the input must have rank >= 2, got ", in.str());
  if (c.has_input(1)) int_scalar(c, 1, "k");
  return {in};
}

}  // namespace

void register_maker_ops(OpRegistry& r) {
  r.add(OpSchema{"Constant", "", 1, 0, 0, 1, 1, {required_attr("value", AttrType::Tensor)}, constant, {}});
  r.add(OpSchema{"Constant", "", 12, 0, 0, 1, 1,
                 {optional_attr("value", AttrType::Tensor), optional_attr("value_float", AttrType::Float),
                  optional_attr("value_floats", AttrType::Floats), optional_attr("value_int", AttrType::Int),
                  optional_attr("value_ints", AttrType::Ints)},
                 constant, {}});
  r.add(OpSchema{"ConstantOfShape", "", 9, 1, 1, 1, 1, {optional_attr("value", AttrType::Tensor)}, constant_of_shape, {}});
  r.add(OpSchema{"Range", "", 11, 3, 3, 1, 1, {}, range, {}});
  r.add(OpSchema{"EyeLike", "", 9, 1, 1, 1, 1, {optional_attr("dtype", AttrType::Int), int_attr("k", 0)}, eye_like, {}});
  for (int v : {9, 11}) r.add(OpSchema{"OneHot", "", v, 3, 3, 1, 1, {int_attr("axis", -1)}, one_hot, {}});
  r.add(OpSchema{"Trilu", "", 14, 1, 2, 1, 1, {int_attr("upper", 1)}, trilu, {}});
}

}  // namespace tensor_schemas
}  // namespace n2d2::graph
