// Schemas of the indexing ops: Gather, GatherElements, GatherND, their Scatter counterparts
// (and the deprecated Scatter), and the selections NonZero, Compress and TopK.
#include "graph/ops/tensor_schemas.h"
#include "graph/shape_utils.h"

namespace n2d2::graph::tensor_schemas {
namespace {

const TensorType& indices_type(const InferContext& c, std::size_t i) {
  const TensorType& t = c.input_type(i);
  if (t.dtype != DType::I32 && t.dtype != DType::I64) c.fail("indices must be int32 or int64, got ", dtype_name(t.dtype));
  return t;
}

// Fails unless known dims a[d] and b[d] are equal for d in [from, to).
void check_same_dims(const InferContext& c, const TensorType& a, const TensorType& b, std::size_t from, std::size_t to,
                     const char* what) {
  for (std::size_t d = from; d < to; ++d)
    if (a.dims[d] >= 0 && b.dims[d] >= 0 && a.dims[d] != b.dims[d])
      c.fail(what, ": ", a.str(), " and ", b.str(), " differ in dimension ", d);
}

std::vector<TensorType> gather(const InferContext& c) {
  const TensorType& data = c.input_type(0);
  const TensorType& idx = indices_type(c, 1);
  if (!data.rank_known || !idx.rank_known) return {TensorType::unknown_shape(data.dtype)};
  int64_t axis = axis_attr(c, static_cast<int64_t>(data.rank()));
  Shape out(data.dims.begin(), data.dims.begin() + axis);
  out.insert(out.end(), idx.dims.begin(), idx.dims.end());
  out.insert(out.end(), data.dims.begin() + axis + 1, data.dims.end());
  return {TensorType(data.dtype, out)};
}

// GatherElements and ScatterElements: indices of the data's rank, no larger than the data
// except along the axis; ScatterElements' updates have the shape of the indices.
std::vector<TensorType> elements(const InferContext& c) {
  const TensorType& data = c.input_type(0);
  const TensorType& idx = indices_type(c, 1);
  bool scatter = c.num_inputs() == 3;
  if (scatter) {
    const TensorType& upd = c.input_type(2);
    if (upd.dtype != data.dtype) c.fail("updates are ", dtype_name(upd.dtype), ", data is ", dtype_name(data.dtype));
    if (upd.rank_known && idx.rank_known) {
      if (upd.rank() != idx.rank()) c.fail("updates ", upd.str(), " and indices ", idx.str(), " differ in rank");
      check_same_dims(c, upd, idx, 0, idx.rank(), "updates and indices");
    }
  }
  if (data.rank_known && idx.rank_known) {
    if (data.rank() != idx.rank()) c.fail("data ", data.str(), " and indices ", idx.str(), " differ in rank");
    int64_t axis = axis_attr(c, static_cast<int64_t>(data.rank()));
    for (std::size_t d = 0; d < data.rank(); ++d)
      if (static_cast<int64_t>(d) != axis && data.dims[d] >= 0 && idx.dims[d] > data.dims[d])
        c.fail("indices ", idx.str(), " exceed data ", data.str(), " in dimension ", d);
  }
  if (scatter) return {data};
  TensorType out = idx;
  out.dtype = data.dtype;
  return {out};
}

// GatherND and ScatterND: the last axis of the indices addresses slices of the data after
// `batch_dims` leading dims that data and indices share.
std::vector<TensorType> nd(const InferContext& c) {
  const TensorType& data = c.input_type(0);
  const TensorType& idx = indices_type(c, 1);
  bool scatter = c.num_inputs() == 3;
  DType dt = data.dtype;
  if (!data.rank_known || !idx.rank_known) return {scatter ? data : TensorType::unknown_shape(dt)};
  auto r = static_cast<int64_t>(data.rank()), q = static_cast<int64_t>(idx.rank());
  int64_t b = c.attrs().i_or("batch_dims", 0);
  if (r < 1 || q < 1) c.fail("data ", data.str(), " and indices ", idx.str(), " must have rank >= 1");
  if (b < 0 || b >= std::min(r, q)) c.fail("batch_dims ", b, " must be in [0, ", std::min(r, q), ")");
  check_same_dims(c, data, idx, 0, static_cast<std::size_t>(b), "batch dimensions of data and indices");
  int64_t last = idx.dims.back();
  if (last < 0) return {scatter ? data : TensorType::unknown_shape(dt)};
  if (last < 1 || last > r - b) c.fail("the last dimension of indices ", idx.str(), " must be in [1, ", r - b, "]");
  Shape slices(idx.dims.begin(), idx.dims.end() - 1);
  slices.insert(slices.end(), data.dims.begin() + b + last, data.dims.end());
  if (!scatter) return {TensorType(dt, slices)};
  const TensorType& upd = c.input_type(2);
  if (upd.dtype != dt) c.fail("updates are ", dtype_name(upd.dtype), ", data is ", dtype_name(dt));
  if (upd.rank_known) {
    if (upd.rank() != slices.size()) c.fail("updates ", upd.str(), " must have shape [", shape_str(slices), "]");
    check_same_dims(c, upd, TensorType(dt, slices), 0, slices.size(), "updates and indices");
  }
  return {data};
}

// Non-zero elements of `t`; unknown for a type without C++ values (float16), which no kernel runs.
int64_t count_nonzero(const n2d2::Tensor& t) {
  int64_t n = 0;
  bool ok = visit_dtype(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (T v : t.span<T>()) n += v != T(0);
  });
  return ok ? n : kUnknownDim;
}

// NonZero: [rank, count of non-zero elements], the count known only with the value.
std::vector<TensorType> non_zero(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  const n2d2::Tensor* v = c.input_value(0);
  return {TensorType(DType::I64, {in.rank_known ? static_cast<int64_t>(in.rank()) : kUnknownDim,
                                  v ? count_nonzero(*v) : kUnknownDim})};
}

std::vector<TensorType> compress(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  const TensorType& cond = c.input_type(1);
  if (cond.dtype != DType::Bool) c.fail("condition must be bool, got ", dtype_name(cond.dtype));
  if (cond.rank_known && cond.rank() != 1) c.fail("condition must be 1-D, got ", cond.str());
  const n2d2::Tensor* v = c.input_value(1);
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  bool flat = !c.attrs().has("axis");
  int64_t axis = flat ? 0 : axis_attr(c, static_cast<int64_t>(in.rank()));
  int64_t length = flat ? shape_numel(in.dims) : in.dims[axis];
  if (v && length >= 0 && v->numel() > length)
    c.fail("condition has ", v->numel(), " values, more than the ", length, " ", flat ? "elements" : "slices");
  int64_t kept = v ? count_nonzero(*v) : kUnknownDim;
  if (flat) return {TensorType(in.dtype, {kept})};
  Shape out = in.dims;
  out[axis] = kept;
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> top_k(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  std::optional<int64_t> k;
  if (c.since_version() < 10) k = c.attrs().i("k");
  else k = int_scalar(c, 1, "K");
  if (k && *k < 0) c.fail("k = ", *k, " is negative");
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype), TensorType::unknown_shape(DType::I64)};
  int64_t axis = axis_attr(c, static_cast<int64_t>(in.rank()));
  if (k && in.dims[axis] >= 0 && *k > in.dims[axis]) c.fail("k = ", *k, " is larger than axis ", axis, " of ", in.str());
  Shape out = in.dims;
  out[axis] = k.value_or(kUnknownDim);
  return {TensorType(in.dtype, out), TensorType(DType::I64, out)};
}

}  // namespace

void register_indexing_ops(OpRegistry& r) {
  for (int v : {1, 11, 13}) r.add(OpSchema{"Gather", "", v, 2, 2, 1, 1, {int_attr("axis", 0)}, gather, {}});
  for (int v : {11, 13}) r.add(OpSchema{"GatherElements", "", v, 2, 2, 1, 1, {int_attr("axis", 0)}, elements, {}});
  r.add(OpSchema{"GatherND", "", 11, 2, 2, 1, 1, {}, nd, {}});
  for (int v : {12, 13}) r.add(OpSchema{"GatherND", "", v, 2, 2, 1, 1, {int_attr("batch_dims", 0)}, nd, {}});
  for (int v : {9, 11}) r.add(OpSchema{"Scatter", "", v, 3, 3, 1, 1, {int_attr("axis", 0)}, elements, {}});
  for (int v : {11, 13}) r.add(OpSchema{"ScatterElements", "", v, 3, 3, 1, 1, {int_attr("axis", 0)}, elements, {}});
  AttrSpec reduction{"reduction", AttrType::String, AttrValue{std::string("none")}};
  r.add(OpSchema{"ScatterElements", "", 16, 3, 3, 1, 1, {int_attr("axis", 0), reduction}, elements, {}});
  for (int v : {11, 13}) r.add(OpSchema{"ScatterND", "", v, 3, 3, 1, 1, {}, nd, {}});
  r.add(OpSchema{"ScatterND", "", 16, 3, 3, 1, 1, {reduction}, nd, {}});
  for (int v : {9, 13}) r.add(OpSchema{"NonZero", "", v, 1, 1, 1, 1, {}, non_zero, {}});
  for (int v : {9, 11}) r.add(OpSchema{"Compress", "", v, 2, 2, 1, 1, {optional_attr("axis", AttrType::Int)}, compress, {}});
  r.add(OpSchema{"TopK", "", 1, 1, 1, 2, 2, {int_attr("axis", -1), required_attr("k", AttrType::Int)}, top_k, {}});
  r.add(OpSchema{"TopK", "", 10, 2, 2, 2, 2, {int_attr("axis", -1)}, top_k, {}});
  r.add(OpSchema{"TopK", "", 11, 2, 2, 2, 2, {int_attr("axis", -1), int_attr("largest", 1), int_attr("sorted", 1)}, top_k, {}});
}

}  // namespace n2d2::graph::tensor_schemas
