// Schemas of the reduce family: Reduce*, ArgMax/ArgMin, Softmax/LogSoftmax/Hardmax, CumSum.
#include <algorithm>

#include "graph/ops/ops.h"
#include "graph/ops/reduce_ops.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

namespace {

const char* kReduceOps[] = {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
                            "ReduceL1",   "ReduceL2",  "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp"};

std::vector<TensorType> infer_reduce(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  auto rank = static_cast<int64_t>(in.rank());
  bool keep = c.attrs().i("keepdims") != 0;
  bool has_axes_input = c.has_input(1);
  std::optional<ReduceAxes> ra = reduce_axes(c.node(), rank, !has_axes_input || c.input_value(1), c.input_value(1));
  if (!ra) {
    if (keep) return {TensorType(in.dtype, Shape(in.rank(), kUnknownDim))};
    return {TensorType::unknown_shape(in.dtype)};
  }
  if (ra->noop) return {in};
  const std::vector<int64_t>& axes = ra->axes;
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = std::binary_search(axes.begin(), axes.end(), i);
    if (!reduced) out.push_back(in.dims[i]);
    else if (keep) out.push_back(1);
  }
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> infer_arg(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {TensorType::unknown_shape(DType::I64)};
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, static_cast<int64_t>(in.rank()))) c.fail("axis ", c.attrs().i("axis"), " is out of range");
  Shape out = in.dims;
  if (c.attrs().i("keepdims")) out[axis] = 1;
  else out.erase(out.begin() + axis);
  return {TensorType(DType::I64, out)};
}

std::vector<TensorType> infer_same_with_axis(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (in.rank_known) {
    int64_t axis = c.attrs().i("axis");
    if (!normalize_axis(axis, std::max<int64_t>(1, static_cast<int64_t>(in.rank())))) c.fail("axis ", c.attrs().i("axis"), " is out of range");
  }
  return {in};
}

std::vector<TensorType> infer_cumsum(const InferContext& c) {
  const TensorType& axis = c.input_type(1);
  if (axis.rank_known && axis.rank() > 1) c.fail("axis must be a scalar or 1-element tensor");
  if (axis.dtype != DType::I32 && axis.dtype != DType::I64) c.fail("axis must be int32 or int64");
  return {c.input_type(0)};
}

AttrSpec int_attr(const char* name, int64_t v) { return AttrSpec{name, AttrType::Int, AttrValue{v}}; }

}  // namespace

std::optional<ReduceAxes> reduce_axes(const Node& n, int64_t rank, bool axes_known, const n2d2::Tensor* axes_value) {
  ReduceAxes r;
  if (n.op_type == "ReduceSum" && n.since_version >= 13) {
    if (!axes_known) return std::nullopt;
    if (axes_value) r.axes = axes_value->to_int64_vector();
    r.noop = r.axes.empty() && n.attrs.i("noop_with_empty_axes") != 0;
  } else {
    r.axes = n.attrs.ints_or("axes", {});
  }
  for (int64_t& a : r.axes) {
    int64_t orig = a;
    if (!normalize_axis(a, rank)) fail("node ", n.label(), ": axis ", orig, " is out of range for rank ", rank);
  }
  if (r.axes.empty() && !r.noop)
    for (int64_t i = 0; i < rank; ++i) r.axes.push_back(i);
  std::sort(r.axes.begin(), r.axes.end());
  r.axes.erase(std::unique(r.axes.begin(), r.axes.end()), r.axes.end());
  return r;
}

void register_reduce_ops(OpRegistry& r) {
  for (const char* op : kReduceOps) {
    for (int v : {1, 11, 13}) {
      if (std::string(op) == "ReduceSum" && v == 13) {
        r.add(OpSchema{op, "", 13, 1, 2, 1, 1, {int_attr("keepdims", 1), int_attr("noop_with_empty_axes", 0)}, infer_reduce, {}});
        continue;
      }
      r.add(OpSchema{op, "", v, 1, 1, 1, 1, {AttrSpec{"axes", AttrType::Ints, std::nullopt}, int_attr("keepdims", 1)},
                     infer_reduce, {}});
    }
  }
  for (const char* op : {"ArgMax", "ArgMin"}) {
    r.add(OpSchema{op, "", 1, 1, 1, 1, 1, {int_attr("axis", 0), int_attr("keepdims", 1)}, infer_arg, {}});
    r.add(OpSchema{op, "", 12, 1, 1, 1, 1, {int_attr("axis", 0), int_attr("keepdims", 1), int_attr("select_last_index", 0)},
                   infer_arg, {}});
  }
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax"}) {
    r.add(OpSchema{op, "", 1, 1, 1, 1, 1, {int_attr("axis", 1)}, infer_same_with_axis, {}});
    r.add(OpSchema{op, "", 13, 1, 1, 1, 1, {int_attr("axis", -1)}, infer_same_with_axis, {}});
  }
  r.add(OpSchema{"CumSum", "", 11, 2, 2, 1, 1, {int_attr("exclusive", 0), int_attr("reverse", 0)}, infer_cumsum, {}});
}

}  // namespace n2d2::graph
