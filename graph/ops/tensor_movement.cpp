// Schemas of the data movement ops: Transpose, Concat, Split, Slice, Expand, Tile.
#include <algorithm>

#include "graph/ops/tensor_ops.h"
#include "graph/ops/tensor_schemas.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

std::vector<int64_t> transpose_perm(const Node& n, std::size_t rank) {
  std::vector<int64_t> perm = n.attrs.ints_or("perm", {});
  if (!n.attrs.has("perm"))
    for (std::size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  if (perm.size() != rank) fail("node ", n.label(), ": perm has ", perm.size(), " entries for rank ", rank);
  std::vector<bool> seen(rank, false);
  for (int64_t& p : perm) {
    if (!normalize_axis(p, static_cast<int64_t>(rank)) || seen[p])
      fail("node ", n.label(), ": perm [", shape_str(n.attrs.ints("perm")), "] is not a permutation of ", rank, " axes");
    seen[p] = true;
  }
  return perm;
}

namespace {

// Elements of a slice from `start` (already clamped) towards `end` (clamped) by `step`.
int64_t slice_count(int64_t start, int64_t end, int64_t step) {
  if (step > 0) return end > start ? (end - start - 1) / step + 1 : 0;
  return start > end ? (end - start + 1) / step + 1 : 0;  // written so that step = INT64_MIN cannot overflow
}

}  // namespace

std::vector<SliceAxis> slice_axes(const Node& n, const Shape& in, const SliceInputs& v) {
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.since_version < 10) {
    starts = n.attrs.ints("starts");
    ends = n.attrs.ints("ends");
    axes = n.attrs.ints_or("axes", {});
  } else {
    starts = v.starts->to_int64_vector();
    ends = v.ends->to_int64_vector();
    if (v.axes) axes = v.axes->to_int64_vector();
    if (v.steps) steps = v.steps->to_int64_vector();
  }
  if (axes.empty())
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    fail("node ", n.label(), ": starts, ends, axes and steps have different lengths (", starts.size(), ", ", ends.size(),
         ", ", axes.size(), ", ", steps.size(), ")");
  auto rank = static_cast<int64_t>(in.size());
  std::vector<SliceAxis> r(in.size());
  for (std::size_t d = 0; d < in.size(); ++d) r[d] = {0, 1, in[d]};
  std::vector<bool> seen(in.size(), false);
  for (std::size_t k = 0; k < starts.size(); ++k) {
    int64_t a = axes[k];
    if (!normalize_axis(a, rank)) fail("node ", n.label(), ": axis ", axes[k], " is out of range for rank ", rank);
    if (seen[a]) fail("node ", n.label(), ": axis ", axes[k], " is sliced twice");
    seen[a] = true;
    int64_t dim = in[a], step = steps[k], s = starts[k], e = ends[k];
    if (step == 0) fail("node ", n.label(), ": step 0 on axis ", axes[k]);
    if (dim < 0) {
      r[a] = {0, step, kUnknownDim};
      continue;
    }
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
    }
    r[a] = {s, step, slice_count(s, e, step)};
  }
  return r;
}

std::vector<int64_t> split_sizes(const Node& n, int64_t dim, std::size_t num_outputs, const n2d2::Tensor* split) {
  std::vector<int64_t> sizes;
  if (split) sizes = split->to_int64_vector();
  else if (n.since_version < 13) sizes = n.attrs.ints_or("split", {});
  auto parts = static_cast<int64_t>(num_outputs);
  if (sizes.empty()) {
    if (dim < 0) return std::vector<int64_t>(num_outputs, kUnknownDim);
    if (dim % parts != 0) fail("node ", n.label(), ": an axis of ", dim, " cannot be split into ", parts, " equal parts");
    return std::vector<int64_t>(num_outputs, dim / parts);
  }
  if (sizes.size() != num_outputs)
    fail("node ", n.label(), ": split has ", sizes.size(), " sizes for ", num_outputs, " outputs");
  int64_t sum = 0;
  for (int64_t s : sizes) {
    if (s < 0) fail("node ", n.label(), ": negative split size ", s);
    sum += s;
  }
  if (dim >= 0 && sum != dim) fail("node ", n.label(), ": split sizes sum to ", sum, " but the axis has ", dim);
  return sizes;
}

namespace tensor_schemas {
namespace {

std::vector<TensorType> transpose(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {in};
  Shape out;
  for (int64_t p : transpose_perm(c.node(), in.rank())) out.push_back(in.dims[p]);
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> concat(const InferContext& c) {
  DType dt = c.input_type(0).dtype;
  const TensorType* ranked = nullptr;  // the first input of known rank
  for (std::size_t i = 0; i < c.num_inputs(); ++i) {
    const TensorType& t = c.input_type(i);
    if (t.dtype != dt) c.fail("input ", i, " is ", dtype_name(t.dtype), ", input 0 is ", dtype_name(dt));
    if (t.rank_known && !ranked) ranked = &t;
  }
  if (!ranked) return {TensorType::unknown_shape(dt)};
  auto rank = static_cast<int64_t>(ranked->rank());
  if (rank == 0) c.fail("cannot concatenate scalars");
  int64_t axis = axis_attr(c, rank);
  Shape out = ranked->dims;
  out[axis] = 0;
  for (std::size_t i = 0; i < c.num_inputs(); ++i) {
    const TensorType& t = c.input_type(i);
    if (!t.rank_known) {
      out[axis] = kUnknownDim;
      continue;
    }
    if (static_cast<int64_t>(t.rank()) != rank) c.fail("input ", i, " is ", t.str(), ", input 0 is ", ranked->str());
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis) out[d] = out[d] < 0 || t.dims[d] < 0 ? kUnknownDim : out[d] + t.dims[d];
      else if (out[d] < 0) out[d] = t.dims[d];
      else if (t.dims[d] >= 0 && t.dims[d] != out[d]) c.fail("input ", i, " is ", t.str(), ": dimension ", d, " is not ", out[d]);
    }
  }
  return {TensorType(dt, out)};
}

std::vector<TensorType> split(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  std::size_t n = c.num_outputs();
  if (!in.rank_known) return std::vector<TensorType>(n, TensorType::unknown_shape(in.dtype));
  int64_t axis = axis_attr(c, static_cast<int64_t>(in.rank()));
  std::vector<int64_t> sizes(n, kUnknownDim);
  if (!c.has_input(1)) {
    sizes = split_sizes(c.node(), in.dims[axis], n, nullptr);
  } else if (int_values(c, 1, "split")) {
    sizes = split_sizes(c.node(), in.dims[axis], n, c.input_value(1));
  }
  std::vector<TensorType> r;
  for (int64_t s : sizes) {
    r.emplace_back(in.dtype, in.dims);
    r.back().dims[axis] = s;
  }
  return r;
}

std::vector<TensorType> slice(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  SliceInputs v;
  bool known = true;
  if (c.since_version() >= 10) {
    const char* names[] = {"starts", "ends", "axes", "steps"};
    for (std::size_t i = 1; i <= 4; ++i)
      if (c.has_input(i) && !int_values(c, i, names[i - 1])) known = false;
    v = {c.input_value(1), c.input_value(2), c.input_value(3), c.input_value(4)};
  }
  if (!in.rank_known) return {in};
  if (!known) return {unknown_dims(in.dtype, in.rank())};
  Shape out;
  for (const SliceAxis& a : slice_axes(c.node(), in.dims, v)) out.push_back(a.count);
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> expand(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  auto shape = int_values(c, 1, "shape");
  if (!shape) {
    auto n = known_length(c, 1);
    if (n && in.rank_known) return {unknown_dims(in.dtype, std::max(in.rank(), *n))};
    return {TensorType::unknown_shape(in.dtype)};
  }
  for (int64_t d : *shape)
    if (d < 0) c.fail("shape [", shape_str(*shape), "] has a negative dimension");
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  Shape out;
  if (!broadcast_shapes(in.dims, *shape, out)) c.fail("cannot expand ", in.str(), " to [", shape_str(*shape), "]");
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> tile(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  auto repeats = int_values(c, 1, "repeats");
  if (!in.rank_known) return {in};
  if (!repeats) return {unknown_dims(in.dtype, in.rank())};
  if (repeats->size() != in.rank()) c.fail("repeats has ", repeats->size(), " values for ", in.str());
  Shape out;
  for (std::size_t i = 0; i < in.rank(); ++i) {
    if ((*repeats)[i] < 0) c.fail("negative repeat ", (*repeats)[i]);
    out.push_back(in.dims[i] < 0 ? kUnknownDim : in.dims[i] * (*repeats)[i]);
  }
  return {TensorType(in.dtype, out)};
}

}  // namespace

void register_movement_ops(OpRegistry& r) {
  for (int v : {1, 13}) r.add(OpSchema{"Transpose", "", v, 1, 1, 1, 1, {optional_attr("perm", AttrType::Ints)}, transpose, {}});
  constexpr int kMany = 1 << 20;
  r.add(OpSchema{"Concat", "", 1, 1, kMany, 1, 1, {int_attr("axis", 1)}, concat, {}});
  for (int v : {4, 11, 13}) r.add(OpSchema{"Concat", "", v, 1, kMany, 1, 1, {required_attr("axis", AttrType::Int)}, concat, {}});
  std::vector<AttrSpec> split_attrs{int_attr("axis", 0), optional_attr("split", AttrType::Ints)};
  r.add(OpSchema{"Split", "", 1, 1, 2, 1, kMany, split_attrs, split, {}});  // sizes from the input or the attribute
  for (int v : {2, 11}) r.add(OpSchema{"Split", "", v, 1, 1, 1, kMany, split_attrs, split, {}});
  r.add(OpSchema{"Split", "", 13, 1, 2, 1, kMany, {int_attr("axis", 0)}, split, {}});
  r.add(OpSchema{"Slice", "", 1, 1, 1, 1, 1,
                 {required_attr("starts", AttrType::Ints), required_attr("ends", AttrType::Ints),
                  optional_attr("axes", AttrType::Ints)},
                 slice, {}});
  for (int v : {10, 11, 13}) r.add(OpSchema{"Slice", "", v, 3, 5, 1, 1, {}, slice, {}});
  for (int v : {8, 13}) r.add(OpSchema{"Expand", "", v, 2, 2, 1, 1, {}, expand, {}});
  for (int v : {6, 13}) r.add(OpSchema{"Tile", "", v, 2, 2, 1, 1, {}, tile, {}});
}

}  // namespace tensor_schemas
}  // namespace n2d2::graph
