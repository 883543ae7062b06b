// Schemas of the reductions: Reduce* (axes attribute; ReduceSum-13 axes input), ArgMax/ArgMin
// and CumSum. The Softmax family is in softmax_ops.cpp.
#include "graph/ops/reduce_ops.h"

#include <algorithm>
#include <string_view>

#include "graph/ops/ops.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

bool reduce_axes_from_input(const Node& n) { return n.op_type == "ReduceSum" && n.since_version >= 13; }

ReduceAxes reduce_axes(const Node& n, int64_t rank, const n2d2::Tensor* axes_input) {
  ReduceAxes r;
  if (reduce_axes_from_input(n)) {
    if (axes_input) r.axes = axes_input->to_int64_vector();
    r.noop = r.axes.empty() && n.attrs.i("noop_with_empty_axes") != 0;
  } else {
    r.axes = n.attrs.ints_or("axes", {});
  }
  for (int64_t& a : r.axes) {
    const int64_t given = a;
    if (!normalize_axis(a, rank)) fail("node ", n.label(), ": axis ", given, " is out of range for rank ", rank);
  }
  if (r.axes.empty() && !r.noop)
    for (int64_t i = 0; i < rank; ++i) r.axes.push_back(i);
  std::sort(r.axes.begin(), r.axes.end());
  r.axes.erase(std::unique(r.axes.begin(), r.axes.end()), r.axes.end());
  return r;
}

int64_t single_axis(const Node& n, int64_t rank) {
  int64_t axis = n.attrs.i("axis");
  if (!normalize_axis(axis, rank))
    fail("node ", n.label(), ": axis ", n.attrs.i("axis"), " is out of range for rank ", rank);
  return axis;
}

namespace {

AttrSpec int_attr(const char* name, int64_t v) { return AttrSpec{name, AttrType::Int, AttrValue{v}}; }

void require_numeric(const InferContext& c, const TensorType& t) {
  if (t.dtype == DType::Bool || t.dtype == DType::Undefined)
    c.fail("input 0 has type ", dtype_name(t.dtype), ", a numeric type is required");
}

// `in` with the sorted axes `axes` set to 1 (keepdims) or removed; symbolic names stay with
// the dims they name.
TensorType reduced_type(const TensorType& in, DType dtype, const std::vector<int64_t>& axes, bool keepdims) {
  TensorType out(dtype, {});
  const bool named = in.dim_names.size() == in.rank();
  for (std::size_t i = 0; i < in.rank(); ++i) {
    const bool reduced = std::binary_search(axes.begin(), axes.end(), static_cast<int64_t>(i));
    if (reduced && !keepdims) continue;
    out.dims.push_back(reduced ? 1 : in.dims[i]);
    if (named) out.dim_names.push_back(reduced ? "" : in.dim_names[i]);
  }
  return out;
}

std::vector<TensorType> infer_reduce(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  require_numeric(c, in);
  const bool axes_from_input = reduce_axes_from_input(c.node());
  if (axes_from_input && c.attrs().has("axes"))
    c.fail("axes is an input from ", c.node().op_type, "-", c.since_version(), " on, not an attribute");
  if (axes_from_input && c.has_input(1)) {
    const TensorType& at = c.input_type(1);
    if (at.dtype != DType::I64) c.fail("axes must be int64, got ", dtype_name(at.dtype));
    if (at.rank_known && at.rank() != 1) c.fail("axes must be 1-D, got ", at.str());
  }
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  const bool keepdims = c.attrs().i("keepdims") != 0;
  const n2d2::Tensor* axes_input = axes_from_input ? c.input_value(1) : nullptr;
  if (axes_from_input && c.has_input(1) && !axes_input) {
    // The axes are not known yet: keepdims (like the noop case) keeps the rank, nothing else is known.
    if (keepdims) return {TensorType(in.dtype, Shape(in.rank(), kUnknownDim))};
    return {TensorType::unknown_shape(in.dtype)};
  }
  const ReduceAxes ra = reduce_axes(c.node(), static_cast<int64_t>(in.rank()), axes_input);
  if (ra.noop) return {in};
  return {reduced_type(in, in.dtype, ra.axes, keepdims)};
}

std::vector<TensorType> infer_arg(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  require_numeric(c, in);
  if (!in.rank_known) return {TensorType::unknown_shape(DType::I64)};
  const int64_t axis = single_axis(c.node(), static_cast<int64_t>(in.rank()));
  if (in.dims[axis] == 0) c.fail("cannot take ", c.node().op_type, " over axis ", axis, " of size 0");
  return {reduced_type(in, DType::I64, {axis}, c.attrs().i("keepdims") != 0)};
}

std::vector<TensorType> infer_cumsum(const InferContext& c) {
  const TensorType& x = c.input_type(0);
  require_numeric(c, x);
  const TensorType& axis = c.input_type(1);
  if (axis.dtype != DType::I32 && axis.dtype != DType::I64) c.fail("axis must be int32 or int64, got ", dtype_name(axis.dtype));
  if (axis.rank_known && shape_numel(axis.dims) != 1 && shape_is_known(axis.dims))
    c.fail("axis must hold one value, got ", axis.str());
  if (x.rank_known && c.input_value(1)) {
    const int64_t given = c.input_value(1)->to_int64_vector().at(0);
    int64_t a = given;
    if (!normalize_axis(a, static_cast<int64_t>(x.rank()))) c.fail("axis ", given, " is out of range for rank ", x.rank());
  }
  return {x};
}

const char* const kReduceOps[] = {"ReduceMean", "ReduceSum", "ReduceMax",       "ReduceMin",    "ReduceProd",
                                  "ReduceL1",   "ReduceL2",  "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp"};

}  // namespace

void register_reduce_ops(OpRegistry& r) {
  // Versions 11 (negative axes) and 13 (more types) keep version 1's semantics; ReduceSum-13 takes
  // its axes as an input. (Opset 18 moves every Reduce* to an axes input.)
  const AttrSpec axes{"axes", AttrType::Ints, std::nullopt};
  for (const char* op : kReduceOps) {
    for (int v : {1, 11, 13}) {
      if (std::string_view(op) == "ReduceSum" && v == 13)
        r.add(OpSchema{op, "", 13, 1, 2, 1, 1, {int_attr("keepdims", 1), int_attr("noop_with_empty_axes", 0)}, infer_reduce, {}});
      else
        r.add(OpSchema{op, "", v, 1, 1, 1, 1, {axes, int_attr("keepdims", 1)}, infer_reduce, {}});
    }
  }
  for (const char* op : {"ArgMax", "ArgMin"}) {
    r.add(OpSchema{op, "", 1, 1, 1, 1, 1, {int_attr("axis", 0), int_attr("keepdims", 1)}, infer_arg, {}});
    r.add(OpSchema{op, "", 12, 1, 1, 1, 1, {int_attr("axis", 0), int_attr("keepdims", 1), int_attr("select_last_index", 0)},
                   infer_arg, {}});
  }
  r.add(OpSchema{"CumSum", "", 11, 2, 2, 1, 1, {int_attr("exclusive", 0), int_attr("reverse", 0)}, infer_cumsum, {}});
  register_softmax_ops(r);
}

}  // namespace n2d2::graph
