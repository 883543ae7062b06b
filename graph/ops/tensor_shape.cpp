// Schemas of the ops that change or report a shape: Reshape, Flatten, Squeeze, Unsqueeze,
// Identity and inference Dropout (their kernels return views of the input), Shape and Size.
#include <algorithm>

#include "graph/ops/tensor_ops.h"
#include "graph/ops/tensor_schemas.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

std::pair<int64_t, int64_t> shape_range(const Node& n, int64_t rank) {
  int64_t start = n.attrs.i_or("start", 0), end = n.attrs.i_or("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  return {start, end};
}

namespace tensor_schemas {
namespace {

std::vector<TensorType> same(const InferContext& c) { return {c.input_type(0)}; }

// Product of dims [b, e), unknown when one of them is.
int64_t dims_product(const Shape& s, std::size_t b, std::size_t e) {
  int64_t p = 1;
  for (std::size_t i = b; i < e; ++i) {
    if (s[i] < 0) return kUnknownDim;
    p *= s[i];
  }
  return p;
}

// Reshape's requested shape resolved against the input: 0 copies the input dim (a literal 0
// with allowzero), -1 takes the remaining elements.
Shape reshape_target(const InferContext& c, const TensorType& in, const std::vector<int64_t>& req) {
  bool allowzero = c.attrs().i_or("allowzero", 0) != 0;
  if (allowzero && std::count(req.begin(), req.end(), 0) && std::count(req.begin(), req.end(), -1))
    c.fail("shape [", shape_str(req), "] has both 0 and -1, which allowzero=1 forbids");
  Shape out(req.size());
  std::size_t infer_at = req.size();
  for (std::size_t i = 0; i < req.size(); ++i) {
    if (req[i] == -1) {
      if (infer_at != req.size()) c.fail("shape [", shape_str(req), "] has more than one -1");
      infer_at = i;
      out[i] = kUnknownDim;
    } else if (req[i] == 0 && !allowzero) {
      if (in.rank_known && i >= in.rank())
        c.fail("shape [", shape_str(req), "] copies dimension ", i, " of the rank-", in.rank(), " input");
      out[i] = in.rank_known ? in.dims[i] : kUnknownDim;
    } else if (req[i] < 0) {
      c.fail("shape [", shape_str(req), "] has the invalid dimension ", req[i]);
    } else {
      out[i] = req[i];
    }
  }
  int64_t total = in.rank_known ? shape_numel(in.dims) : kUnknownDim;
  if (total < 0) return out;
  if (infer_at != req.size()) {
    int64_t rest = 1;
    for (std::size_t i = 0; i < out.size(); ++i)
      if (i != infer_at) {
        if (out[i] < 0) return out;
        rest *= out[i];
      }
    if (rest == 0 || total % rest != 0)
      c.fail("cannot reshape ", in.str(), " into [", shape_str(req), "]: -1 has no integer value");
    out[infer_at] = total / rest;
  }
  if (shape_is_known(out) && shape_numel(out) != total)
    c.fail("cannot reshape ", in.str(), " (", total, " elements) into [", shape_str(out), "]");
  return out;
}

std::vector<TensorType> reshape(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (c.since_version() < 5) return {TensorType(in.dtype, reshape_target(c, in, c.attrs().ints("shape")))};
  auto req = int_values(c, 1, "shape");
  if (req) return {TensorType(in.dtype, reshape_target(c, in, *req))};
  if (auto rank = known_length(c, 1)) return {unknown_dims(in.dtype, *rank)};
  return {TensorType::unknown_shape(in.dtype)};
}

std::vector<TensorType> flatten(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {unknown_dims(in.dtype, 2)};
  auto rank = static_cast<int64_t>(in.rank());
  int64_t axis = c.attrs().i("axis");
  if (axis < 0) axis += rank;  // [-r, r]: -1 leaves the last dim alone in the second output dim
  if (axis < 0 || axis > rank) c.fail("axis ", c.attrs().i("axis"), " is out of range for rank ", rank);
  auto split = static_cast<std::size_t>(axis);
  return {TensorType(in.dtype, {dims_product(in.dims, 0, split), dims_product(in.dims, split, in.rank())})};
}

// Sorted, normalized axes of `raw` against `rank`; fails on an axis out of range or repeated.
std::vector<int64_t> unique_axes(const InferContext& c, std::vector<int64_t> raw, int64_t rank) {
  for (int64_t& a : raw) {
    int64_t given = a;
    if (!normalize_axis(a, rank)) c.fail("axis ", given, " is out of range for rank ", rank);
  }
  std::sort(raw.begin(), raw.end());
  if (std::adjacent_find(raw.begin(), raw.end()) != raw.end()) c.fail("an axis is repeated");
  return raw;
}

std::vector<TensorType> squeeze(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  std::vector<int64_t> axes;
  if (c.since_version() < 13) {
    axes = c.attrs().ints_or("axes", {});
  } else if (c.has_input(1)) {
    auto v = int_values(c, 1, "axes");
    if (!v) return {TensorType::unknown_shape(in.dtype)};
    axes = *v;
  }
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  auto rank = static_cast<int64_t>(in.rank());
  Shape out;
  if (axes.empty()) {  // every dim of size 1
    for (int64_t d : in.dims) {
      if (d < 0) return {TensorType::unknown_shape(in.dtype)};
      if (d != 1) out.push_back(d);
    }
    return {TensorType(in.dtype, out)};
  }
  axes = unique_axes(c, axes, rank);
  for (int64_t i = 0; i < rank; ++i) {
    if (!std::binary_search(axes.begin(), axes.end(), i)) out.push_back(in.dims[i]);
    else if (in.dims[i] >= 0 && in.dims[i] != 1) c.fail("cannot squeeze axis ", i, " of ", in.str(), ": its size is not 1");
  }
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> unsqueeze(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  std::vector<int64_t> axes;
  if (c.since_version() < 13) {
    axes = c.attrs().ints("axes");
  } else if (auto v = int_values(c, 1, "axes")) {
    axes = *v;
  } else {
    auto n = known_length(c, 1);
    if (n && in.rank_known) return {unknown_dims(in.dtype, in.rank() + *n)};
    return {TensorType::unknown_shape(in.dtype)};
  }
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  auto out_rank = static_cast<int64_t>(in.rank() + axes.size());
  axes = unique_axes(c, axes, out_rank);
  Shape out;
  auto next = in.dims.begin();
  for (int64_t i = 0; i < out_rank; ++i) out.push_back(std::binary_search(axes.begin(), axes.end(), i) ? 1 : *next++);
  return {TensorType(in.dtype, out)};
}

// Dropout-12+ runs in inference mode only: a known true training_mode is declined.
std::vector<TensorType> dropout(const InferContext& c) {
  const TensorType& x = c.input_type(0);
  if (c.has_input(2)) {
    if (c.input_type(2).dtype != DType::Bool) c.fail("training_mode must be bool, got ", dtype_name(c.input_type(2).dtype));
    const n2d2::Tensor* mode = c.input_value(2);
    if (mode && mode->numel() == 1 && mode->to_double_vector()[0] != 0)
      c.fail_unsupported("training_mode=1 is not supported (inference only)");
  }
  TensorType mask = x;
  mask.dtype = c.since_version() >= 10 ? DType::Bool : x.dtype;  // before opset 10 the mask has the input's type
  return {x, mask};
}

std::vector<TensorType> shape_of(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {unknown_dims(DType::I64, 1)};
  auto [start, end] = shape_range(c.node(), static_cast<int64_t>(in.rank()));
  return {TensorType(DType::I64, {end - start})};
}

std::vector<TensorType> size_of(const InferContext&) { return {TensorType(DType::I64, {})}; }

}  // namespace

void register_shape_ops(OpRegistry& r) {
  r.add(OpSchema{"Reshape", "", 1, 1, 1, 1, 1, {required_attr("shape", AttrType::Ints)}, reshape, {}});
  for (int v : {5, 13}) r.add(OpSchema{"Reshape", "", v, 2, 2, 1, 1, {}, reshape, {}});
  r.add(OpSchema{"Reshape", "", 14, 2, 2, 1, 1, {int_attr("allowzero", 0)}, reshape, {}});
  for (int v : {1, 9, 11, 13}) r.add(OpSchema{"Flatten", "", v, 1, 1, 1, 1, {int_attr("axis", 1)}, flatten, {}});
  for (int v : {1, 11}) r.add(OpSchema{"Squeeze", "", v, 1, 1, 1, 1, {optional_attr("axes", AttrType::Ints)}, squeeze, {}});
  r.add(OpSchema{"Squeeze", "", 13, 1, 2, 1, 1, {}, squeeze, {}});
  for (int v : {1, 11})
    r.add(OpSchema{"Unsqueeze", "", v, 1, 1, 1, 1, {required_attr("axes", AttrType::Ints)}, unsqueeze, {}});
  r.add(OpSchema{"Unsqueeze", "", 13, 2, 2, 1, 1, {}, unsqueeze, {}});
  for (int v : {1, 13, 14, 16}) r.add(OpSchema{"Identity", "", v, 1, 1, 1, 1, {}, same, {}});
  AttrSpec ratio{"ratio", AttrType::Float, AttrValue{0.5f}};
  for (int v : {1, 6}) r.add(OpSchema{"Dropout", "", v, 1, 1, 1, 2, {ratio, int_attr("is_test", 0)}, dropout, {}});
  for (int v : {7, 10}) r.add(OpSchema{"Dropout", "", v, 1, 1, 1, 2, {ratio}, dropout, {}});
  for (int v : {12, 13}) r.add(OpSchema{"Dropout", "", v, 1, 3, 1, 2, {optional_attr("seed", AttrType::Int)}, dropout, {}});
  for (int v : {1, 13}) r.add(OpSchema{"Shape", "", v, 1, 1, 1, 1, {}, shape_of, {}});
  r.add(OpSchema{"Shape", "", 15, 1, 1, 1, 1, {int_attr("start", 0), optional_attr("end", AttrType::Int)}, shape_of, {}});
  for (int v : {1, 13}) r.add(OpSchema{"Size", "", v, 1, 1, 1, 1, {}, size_of, {}});
}

}  // namespace tensor_schemas
}  // namespace n2d2::graph
