// Schemas of the tensor family: shape manipulation, data movement and indexing ops.
#include "graph/ops/tensor_ops.h"

#include <algorithm>
#include <cmath>

#include "graph/ops/ops.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

Shape reshape_target(const Node& n, const Shape& in, const std::vector<int64_t>& req) {
  bool allowzero = n.attrs.i_or("allowzero", 0) != 0;
  Shape out(req.size());
  int infer_at = -1;
  for (std::size_t i = 0; i < req.size(); ++i) {
    if (req[i] == -1) {
      if (infer_at >= 0) fail("node ", n.label(), ": shape has more than one -1");
      infer_at = static_cast<int>(i);
    } else if (req[i] == 0 && !allowzero) {
      if (i >= in.size()) fail("node ", n.label(), ": shape copies dimension ", i, " that the input does not have");
      out[i] = in[i];
    } else if (req[i] < 0) {
      fail("node ", n.label(), ": invalid dimension ", req[i], " in shape");
    } else {
      out[i] = req[i];
    }
  }
  int64_t total = shape_numel(in);
  if (infer_at >= 0) {
    int64_t rest = 1;
    bool known = total >= 0;
    for (std::size_t i = 0; i < out.size(); ++i)
      if (static_cast<int>(i) != infer_at) {
        if (out[i] < 0) known = false;
        else rest *= out[i];
      }
    if (!known) {
      out[infer_at] = kUnknownDim;
    } else {
      if (rest == 0 || total % rest) fail("node ", n.label(), ": cannot reshape ", total, " elements into [", shape_str(req), "]");
      out[infer_at] = total / rest;
    }
  }
  if (total >= 0 && shape_is_known(out) && shape_numel(out) != total)
    fail("node ", n.label(), ": cannot reshape [", shape_str(in), "] (", total, " elements) into [", shape_str(out), "]");
  return out;
}

std::optional<std::vector<int64_t>> squeeze_axes(const Node& n, const n2d2::Tensor* axes_input, bool present, int64_t rank) {
  std::vector<int64_t> axes;
  if (n.since_version < 13) {
    axes = n.attrs.ints_or("axes", {});
  } else if (present) {
    if (!axes_input) return std::nullopt;
    axes = axes_input->to_int64_vector();
  }
  for (int64_t& a : axes) {
    int64_t orig = a;
    if (!normalize_axis(a, rank)) fail("node ", n.label(), ": axis ", orig, " is out of range for rank ", rank);
  }
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) fail("node ", n.label(), ": repeated axis");
  return axes;
}

std::optional<std::vector<SliceAxis>> slice_params(const Node& n, const Shape& in, const n2d2::Tensor* starts_t,
                                                   const n2d2::Tensor* ends_t, const n2d2::Tensor* axes_t,
                                                   const n2d2::Tensor* steps_t, bool known) {
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.since_version < 10) {
    starts = n.attrs.ints("starts");
    ends = n.attrs.ints("ends");
    axes = n.attrs.ints_or("axes", {});
  } else {
    if (!known) return std::nullopt;
    starts = starts_t->to_int64_vector();
    ends = ends_t->to_int64_vector();
    if (axes_t) axes = axes_t->to_int64_vector();
    if (steps_t) steps = steps_t->to_int64_vector();
  }
  auto rank = static_cast<int64_t>(in.size());
  if (axes.empty())
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    fail("node ", n.label(), ": starts, ends, axes and steps have different lengths");
  std::vector<SliceAxis> r(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) r[i] = {0, 1, in[i]};
  std::vector<bool> seen(in.size(), false);
  for (std::size_t k = 0; k < starts.size(); ++k) {
    int64_t a = axes[k];
    if (!normalize_axis(a, rank)) fail("node ", n.label(), ": axis ", axes[k], " is out of range");
    if (seen[a]) fail("node ", n.label(), ": axis ", a, " repeated");
    seen[a] = true;
    int64_t dim = in[a], step = steps[k];
    if (step == 0) fail("node ", n.label(), ": step 0");
    if (dim < 0) {
      r[a] = {0, step, kUnknownDim};
      continue;
    }
    int64_t s = starts[k], e = ends[k];
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
    }
    int64_t count = step > 0 ? (e - s + step - 1) / step : (s - e + (-step) - 1) / (-step);
    r[a] = {s, step, std::max<int64_t>(0, count)};
  }
  return r;
}

std::optional<std::vector<int64_t>> split_sizes(const Node& n, int64_t dim, std::size_t outs, const n2d2::Tensor* split_t,
                                                bool present) {
  std::vector<int64_t> sizes;
  if (n.since_version < 13) sizes = n.attrs.ints_or("split", {});
  else if (present) {
    if (!split_t) return std::nullopt;
    sizes = split_t->to_int64_vector();
  }
  if (sizes.empty()) {
    if (dim < 0) return std::vector<int64_t>(outs, kUnknownDim);
    if (dim % static_cast<int64_t>(outs)) fail("node ", n.label(), ": axis of ", dim, " cannot be split into ", outs, " equal parts");
    return std::vector<int64_t>(outs, dim / static_cast<int64_t>(outs));
  }
  if (sizes.size() != outs) fail("node ", n.label(), ": split has ", sizes.size(), " sizes for ", outs, " outputs");
  int64_t sum = 0;
  for (int64_t s : sizes) sum += s;
  if (dim >= 0 && sum != dim) fail("node ", n.label(), ": split sizes sum to ", sum, ", the axis has ", dim);
  return sizes;
}

namespace {

AttrSpec i_attr(const char* n, int64_t v) { return AttrSpec{n, AttrType::Int, AttrValue{v}}; }
AttrSpec opt(const char* n, AttrType t) { return AttrSpec{n, t, std::nullopt}; }
AttrSpec req(const char* n, AttrType t) { return AttrSpec{n, t, std::nullopt, true}; }

TensorType unknown_rank(DType t, std::size_t rank) { return TensorType(t, Shape(rank, kUnknownDim)); }

std::vector<TensorType> same(const InferContext& c) { return {c.input_type(0)}; }

std::vector<TensorType> reshape(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  std::vector<int64_t> req;
  if (c.since_version() < 5) {
    req = c.attrs().ints("shape");
  } else if (const n2d2::Tensor* s = c.input_value(1)) {
    req = s->to_int64_vector();
  } else {
    const TensorType& st = c.input_type(1);
    if (st.rank_known && st.rank() == 1 && st.dims[0] >= 0) return {unknown_rank(in.dtype, static_cast<std::size_t>(st.dims[0]))};
    return {TensorType::unknown_shape(in.dtype)};
  }
  Shape ins = in.rank_known ? in.dims : Shape{};
  if (!in.rank_known) {
    Shape out(req.size());
    for (std::size_t i = 0; i < req.size(); ++i) out[i] = req[i] > 0 ? req[i] : kUnknownDim;
    return {TensorType(in.dtype, out)};
  }
  return {TensorType(in.dtype, reshape_target(c.node(), ins, req))};
}

std::vector<TensorType> flatten(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {unknown_rank(in.dtype, 2)};
  auto rank = static_cast<int64_t>(in.rank());
  int64_t axis = c.attrs().i("axis");
  if (axis < 0) axis += rank;  // [-r, r]
  if (axis < 0 || axis > rank) c.fail("axis ", c.attrs().i("axis"), " out of range");
  auto prod = [&](std::size_t b, std::size_t e) {
    int64_t p = 1;
    for (std::size_t i = b; i < e; ++i) {
      if (in.dims[i] < 0) return kUnknownDim;
      p *= in.dims[i];
    }
    return p;
  };
  return {TensorType(in.dtype, {prod(0, static_cast<std::size_t>(axis)), prod(static_cast<std::size_t>(axis), in.rank())})};
}

std::vector<int64_t> transpose_perm(const InferContext& c, std::size_t rank) {
  std::vector<int64_t> perm = c.attrs().ints_or("perm", {});
  if (perm.empty())
    for (std::size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  if (perm.size() != rank) c.fail("perm has ", perm.size(), " entries for rank ", rank);
  std::vector<bool> seen(rank, false);
  for (int64_t& p : perm) {
    if (!normalize_axis(p, static_cast<int64_t>(rank)) || seen[p]) c.fail("perm is not a permutation");
    seen[p] = true;
  }
  return perm;
}

std::vector<TensorType> transpose(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {in};
  auto perm = transpose_perm(c, in.rank());
  Shape out;
  for (int64_t p : perm) out.push_back(in.dims[p]);
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> squeeze(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {in};
  auto rank = static_cast<int64_t>(in.rank());
  auto axes = squeeze_axes(c.node(), c.input_value(1), c.has_input(1), rank);
  if (!axes) return {TensorType::unknown_shape(in.dtype)};
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    bool listed = std::binary_search(axes->begin(), axes->end(), i);
    if (axes->empty()) {
      if (in.dims[i] < 0) return {TensorType::unknown_shape(in.dtype)};
      if (in.dims[i] != 1) out.push_back(in.dims[i]);
    } else if (listed) {
      if (in.dims[i] >= 0 && in.dims[i] != 1) c.fail("cannot squeeze axis ", i, " of size ", in.dims[i]);
    } else {
      out.push_back(in.dims[i]);
    }
  }
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> unsqueeze(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {in};
  std::vector<int64_t> raw = c.since_version() < 13 ? c.attrs().ints("axes")
                             : c.input_value(1)    ? c.input_value(1)->to_int64_vector()
                                                   : std::vector<int64_t>{};
  if (c.since_version() >= 13 && !c.input_value(1)) {
    const TensorType& at = c.input_type(1);
    if (at.rank_known && at.rank() == 1 && at.dims[0] >= 0) return {unknown_rank(in.dtype, in.rank() + at.dims[0])};
    return {TensorType::unknown_shape(in.dtype)};
  }
  auto out_rank = static_cast<int64_t>(in.rank() + raw.size());
  std::vector<bool> is_new(static_cast<std::size_t>(out_rank), false);
  for (int64_t a : raw) {
    int64_t orig = a;
    if (!normalize_axis(a, out_rank) || is_new[a]) c.fail("bad axis ", orig);
    is_new[a] = true;
  }
  Shape out;
  std::size_t k = 0;
  for (int64_t i = 0; i < out_rank; ++i) out.push_back(is_new[i] ? 1 : in.dims[k++]);
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> concat(const InferContext& c) {
  const TensorType& first = c.input_type(0);
  Shape out;
  bool known = false;
  int64_t axis = c.attrs().i("axis");
  for (std::size_t i = 0; i < c.num_inputs(); ++i) {
    const TensorType& t = c.input_type(i);
    if (t.dtype != first.dtype) c.fail("inputs have different types");
    if (!t.rank_known) continue;
    if (!known) {
      out = t.dims;
      known = true;
      if (!normalize_axis(axis, static_cast<int64_t>(out.size()))) c.fail("axis ", c.attrs().i("axis"), " out of range");
      continue;
    }
    if (t.rank() != out.size()) c.fail("inputs have different ranks");
    for (std::size_t d = 0; d < out.size(); ++d) {
      if (static_cast<int64_t>(d) == axis) out[d] = out[d] < 0 || t.dims[d] < 0 ? kUnknownDim : out[d] + t.dims[d];
      else if (out[d] < 0) out[d] = t.dims[d];
      else if (t.dims[d] >= 0 && t.dims[d] != out[d]) c.fail("dimension ", d, " differs: ", out[d], " vs ", t.dims[d]);
    }
  }
  if (known)
    for (std::size_t i = 0; i < c.num_inputs(); ++i)
      if (!c.input_type(i).rank_known) out[axis] = kUnknownDim;
  return {known ? TensorType(first.dtype, out) : TensorType::unknown_shape(first.dtype)};
}

std::vector<TensorType> split(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  std::size_t outs = c.num_outputs();
  if (!in.rank_known) return std::vector<TensorType>(outs, TensorType::unknown_shape(in.dtype));
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, static_cast<int64_t>(in.rank()))) c.fail("axis out of range");
  auto sizes = split_sizes(c.node(), in.dims[axis], outs, c.input_value(1), c.has_input(1));
  std::vector<TensorType> r;
  for (std::size_t i = 0; i < outs; ++i) {
    Shape s = in.dims;
    s[axis] = sizes ? (*sizes)[i] : kUnknownDim;
    r.emplace_back(in.dtype, s);
  }
  return r;
}

std::vector<TensorType> slice(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {in};
  bool known = c.since_version() < 10 ||
               (c.input_value(1) && c.input_value(2) && (!c.has_input(3) || c.input_value(3)) && (!c.has_input(4) || c.input_value(4)));
  auto p = slice_params(c.node(), in.dims, c.input_value(1), c.input_value(2), c.input_value(3), c.input_value(4), known);
  if (!p) return {unknown_rank(in.dtype, in.rank())};
  Shape out;
  for (const auto& a : *p) out.push_back(a.count);
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> gather(const InferContext& c) {
  const TensorType &d = c.input_type(0), &idx = c.input_type(1);
  if (idx.dtype != DType::I32 && idx.dtype != DType::I64) c.fail("indices must be int32 or int64");
  if (!d.rank_known || !idx.rank_known) return {TensorType::unknown_shape(d.dtype)};
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, static_cast<int64_t>(d.rank()))) c.fail("axis out of range");
  Shape out(d.dims.begin(), d.dims.begin() + axis);
  out.insert(out.end(), idx.dims.begin(), idx.dims.end());
  out.insert(out.end(), d.dims.begin() + axis + 1, d.dims.end());
  return {TensorType(d.dtype, out)};
}

std::vector<TensorType> gather_elements(const InferContext& c) {
  const TensorType &d = c.input_type(0), &idx = c.input_type(1);
  if (d.rank_known && idx.rank_known && d.rank() != idx.rank()) c.fail("data and indices ranks differ");
  TensorType t = idx;
  t.dtype = d.dtype;
  return {t};
}

std::vector<TensorType> gather_nd(const InferContext& c) {
  const TensorType &d = c.input_type(0), &idx = c.input_type(1);
  if (!d.rank_known || !idx.rank_known || idx.rank() == 0 || idx.dims.back() < 0) return {TensorType::unknown_shape(d.dtype)};
  int64_t b = c.attrs().i("batch_dims"), last = idx.dims.back();
  if (b + last > static_cast<int64_t>(d.rank())) c.fail("indices last dimension too large");
  Shape out(idx.dims.begin(), idx.dims.end() - 1);
  out.insert(out.end(), d.dims.begin() + b + last, d.dims.end());
  return {TensorType(d.dtype, out)};
}

std::vector<TensorType> expand(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  const n2d2::Tensor* s = c.input_value(1);
  if (!s) {
    const TensorType& st = c.input_type(1);
    if (st.rank_known && st.rank() == 1 && st.dims[0] >= 0)
      return {unknown_rank(in.dtype, std::max<std::size_t>(in.rank(), static_cast<std::size_t>(st.dims[0])))};
    return {TensorType::unknown_shape(in.dtype)};
  }
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  Shape out;
  if (!broadcast_shapes(in.dims, s->to_int64_vector(), out)) c.fail("cannot expand ", in.str(), " to [", shape_str(s->to_int64_vector()), "]");
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> tile(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  const n2d2::Tensor* r = c.input_value(1);
  if (!in.rank_known) return {in};
  if (!r) return {unknown_rank(in.dtype, in.rank())};
  auto reps = r->to_int64_vector();
  if (reps.size() != in.rank()) c.fail("repeats has ", reps.size(), " values for rank ", in.rank());
  Shape out;
  for (std::size_t i = 0; i < reps.size(); ++i) {
    if (reps[i] < 0) c.fail("negative repeat");
    out.push_back(in.dims[i] < 0 ? kUnknownDim : in.dims[i] * reps[i]);
  }
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> shape_op(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {unknown_rank(DType::I64, 1)};
  auto rank = static_cast<int64_t>(in.rank());
  int64_t s = c.attrs().i_or("start", 0), e = c.attrs().i_or("end", rank);
  if (s < 0) s += rank;
  if (e < 0) e += rank;
  s = std::clamp<int64_t>(s, 0, rank);
  e = std::clamp<int64_t>(e, s, rank);
  return {TensorType(DType::I64, {e - s})};
}

std::vector<TensorType> size_op(const InferContext&) { return {TensorType(DType::I64, {})}; }

std::vector<TensorType> constant_of_shape(const InferContext& c) {
  DType dt = c.attrs().has("value") ? c.attrs().t("value").dtype() : DType::F32;
  if (const n2d2::Tensor* s = c.input_value(0)) {
    auto dims = s->to_int64_vector();
    for (int64_t d : dims)
      if (d < 0) c.fail("negative dimension in shape");
    return {TensorType(dt, dims)};
  }
  const TensorType& st = c.input_type(0);
  if (st.rank_known && st.rank() == 1 && st.dims[0] >= 0) return {unknown_rank(dt, static_cast<std::size_t>(st.dims[0]))};
  return {TensorType::unknown_shape(dt)};
}

std::vector<TensorType> range(const InferContext& c) {
  DType dt = c.input_type(0).dtype;
  const n2d2::Tensor *s = c.input_value(0), *l = c.input_value(1), *d = c.input_value(2);
  if (!s || !l || !d) return {unknown_rank(dt, 1)};
  double start = s->to_double_vector().at(0), limit = l->to_double_vector().at(0), delta = d->to_double_vector().at(0);
  if (delta == 0) c.fail("delta is 0");
  auto n = static_cast<int64_t>(std::max(0.0, std::ceil((limit - start) / delta)));
  return {TensorType(dt, {n})};
}

std::vector<TensorType> dropout(const InferContext& c) {
  TensorType x = c.input_type(0), mask = x;
  mask.dtype = c.since_version() >= 10 ? DType::Bool : x.dtype;
  return {x, mask};
}

std::vector<TensorType> eye_like(const InferContext& c) {
  TensorType t = c.input_type(0);
  if (t.rank_known && t.rank() != 2) c.fail("input must be 2-D");
  if (c.attrs().has("dtype")) {
    t.dtype = dtype_from_onnx_code(c.attrs().i("dtype"));
    if (t.dtype == DType::Undefined) c.fail_unsupported("dtype ", c.attrs().i("dtype"));
  }
  return {t};
}

std::vector<TensorType> one_hot(const InferContext& c) {
  const TensorType& idx = c.input_type(0);
  DType dt = c.input_type(2).dtype;
  if (!idx.rank_known) return {TensorType::unknown_shape(dt)};
  auto rank = static_cast<int64_t>(idx.rank()) + 1;
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, rank)) c.fail("axis out of range");
  int64_t depth = kUnknownDim;
  if (const n2d2::Tensor* d = c.input_value(1)) depth = static_cast<int64_t>(d->to_double_vector().at(0));
  Shape out = idx.dims;
  out.insert(out.begin() + axis, depth);
  return {TensorType(dt, out)};
}

int64_t count_nonzero(const n2d2::Tensor& t) {
  int64_t n = 0;
  for (double v : t.to_double_vector()) n += v != 0;
  return n;
}

std::vector<TensorType> non_zero(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  int64_t rank = in.rank_known ? static_cast<int64_t>(in.rank()) : kUnknownDim;
  const n2d2::Tensor* v = c.input_value(0);
  return {TensorType(DType::I64, {rank, v ? count_nonzero(*v) : kUnknownDim})};
}

std::vector<TensorType> compress(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  const n2d2::Tensor* cond = c.input_value(1);
  int64_t kept = cond ? count_nonzero(*cond) : kUnknownDim;
  if (!c.attrs().has("axis")) return {TensorType(in.dtype, {kept})};
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, static_cast<int64_t>(in.rank()))) c.fail("axis out of range");
  Shape out = in.dims;
  out[axis] = kept;
  return {TensorType(in.dtype, out)};
}

std::vector<TensorType> top_k(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype), TensorType::unknown_shape(DType::I64)};
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, static_cast<int64_t>(in.rank()))) c.fail("axis out of range");
  int64_t k = kUnknownDim;
  if (c.since_version() < 10) k = c.attrs().i("k");
  else if (const n2d2::Tensor* kt = c.input_value(1)) k = kt->to_int64_vector().at(0);
  if (k >= 0 && in.dims[axis] >= 0 && k > in.dims[axis]) c.fail("k = ", k, " is larger than the axis (", in.dims[axis], ")");
  Shape out = in.dims;
  out[axis] = k;
  return {TensorType(in.dtype, out), TensorType(DType::I64, out)};
}

std::vector<TensorType> trilu(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (in.rank_known && in.rank() < 2) c.fail("input must have rank >= 2");
  return {in};
}

std::vector<TensorType> constant(const InferContext& c) {
  const Attributes& a = c.attrs();
  if (a.has("value")) return {a.t("value").type()};
  if (a.has("value_float")) return {TensorType(DType::F32, {})};
  if (a.has("value_int")) return {TensorType(DType::I64, {})};
  if (a.has("value_floats")) return {TensorType(DType::F32, {static_cast<int64_t>(a.floats("value_floats").size())})};
  if (a.has("value_ints")) return {TensorType(DType::I64, {static_cast<int64_t>(a.ints("value_ints").size())})};
  c.fail_unsupported("Constant without a numeric value attribute");
}

}  // namespace

void register_tensor_ops(OpRegistry& r) {
  r.add(OpSchema{"Reshape", "", 1, 1, 1, 1, 1, {req("shape", AttrType::Ints)}, reshape, {}});
  for (int v : {5, 13}) r.add(OpSchema{"Reshape", "", v, 2, 2, 1, 1, {}, reshape, {}});
  r.add(OpSchema{"Reshape", "", 14, 2, 2, 1, 1, {i_attr("allowzero", 0)}, reshape, {}});
  for (int v : {1, 9, 11, 13}) r.add(OpSchema{"Flatten", "", v, 1, 1, 1, 1, {i_attr("axis", 1)}, flatten, {}});
  for (int v : {1, 13}) r.add(OpSchema{"Transpose", "", v, 1, 1, 1, 1, {opt("perm", AttrType::Ints)}, transpose, {}});
  for (int v : {1, 11}) r.add(OpSchema{"Squeeze", "", v, 1, 1, 1, 1, {opt("axes", AttrType::Ints)}, squeeze, {}});
  r.add(OpSchema{"Squeeze", "", 13, 1, 2, 1, 1, {}, squeeze, {}});
  for (int v : {1, 11}) r.add(OpSchema{"Unsqueeze", "", v, 1, 1, 1, 1, {req("axes", AttrType::Ints)}, unsqueeze, {}});
  r.add(OpSchema{"Unsqueeze", "", 13, 2, 2, 1, 1, {}, unsqueeze, {}});
  r.add(OpSchema{"Concat", "", 1, 1, 1 << 20, 1, 1, {i_attr("axis", 1)}, concat, {}});
  for (int v : {4, 11, 13}) r.add(OpSchema{"Concat", "", v, 1, 1 << 20, 1, 1, {req("axis", AttrType::Int)}, concat, {}});
  r.add(OpSchema{"Split", "", 1, 1, 2, 1, 1 << 20, {i_attr("axis", 0), opt("split", AttrType::Ints)}, split, {}});
  for (int v : {2, 11}) r.add(OpSchema{"Split", "", v, 1, 1, 1, 1 << 20, {i_attr("axis", 0), opt("split", AttrType::Ints)}, split, {}});
  r.add(OpSchema{"Split", "", 13, 1, 2, 1, 1 << 20, {i_attr("axis", 0)}, split, {}});
  r.add(OpSchema{"Slice", "", 1, 1, 1, 1, 1, {req("starts", AttrType::Ints), req("ends", AttrType::Ints), opt("axes", AttrType::Ints)}, slice, {}});
  for (int v : {10, 11, 13}) r.add(OpSchema{"Slice", "", v, 3, 5, 1, 1, {}, slice, {}});
  for (int v : {1, 11, 13}) r.add(OpSchema{"Gather", "", v, 2, 2, 1, 1, {i_attr("axis", 0)}, gather, {}});
  for (int v : {11, 13}) r.add(OpSchema{"GatherElements", "", v, 2, 2, 1, 1, {i_attr("axis", 0)}, gather_elements, {}});
  r.add(OpSchema{"GatherND", "", 11, 2, 2, 1, 1, {}, gather_nd, {}});
  for (int v : {12, 13}) r.add(OpSchema{"GatherND", "", v, 2, 2, 1, 1, {i_attr("batch_dims", 0)}, gather_nd, {}});
  for (int v : {11, 13}) r.add(OpSchema{"ScatterElements", "", v, 3, 3, 1, 1, {i_attr("axis", 0)}, same, {}});
  r.add(OpSchema{"ScatterElements", "", 16, 3, 3, 1, 1, {i_attr("axis", 0), AttrSpec{"reduction", AttrType::String, std::string("none")}}, same, {}});
  for (int v : {11, 13}) r.add(OpSchema{"ScatterND", "", v, 3, 3, 1, 1, {}, same, {}});
  r.add(OpSchema{"ScatterND", "", 16, 3, 3, 1, 1, {AttrSpec{"reduction", AttrType::String, std::string("none")}}, same, {}});
  for (int v : {8, 13}) r.add(OpSchema{"Expand", "", v, 2, 2, 1, 1, {}, expand, {}});
  for (int v : {6, 13}) r.add(OpSchema{"Tile", "", v, 2, 2, 1, 1, {}, tile, {}});
  for (int v : {1, 13}) r.add(OpSchema{"Shape", "", v, 1, 1, 1, 1, {}, shape_op, {}});
  r.add(OpSchema{"Shape", "", 15, 1, 1, 1, 1, {i_attr("start", 0), opt("end", AttrType::Int)}, shape_op, {}});
  for (int v : {1, 13}) r.add(OpSchema{"Size", "", v, 1, 1, 1, 1, {}, size_op, {}});
  r.add(OpSchema{"ConstantOfShape", "", 9, 1, 1, 1, 1, {opt("value", AttrType::Tensor)}, constant_of_shape, {}});
  r.add(OpSchema{"Range", "", 11, 3, 3, 1, 1, {}, range, {}});
  for (int v : {1, 13, 14, 16}) r.add(OpSchema{"Identity", "", v, 1, 1, 1, 1, {}, same, {}});
  for (int v : {1, 6})
    r.add(OpSchema{"Dropout", "", v, 1, 1, 1, 2, {AttrSpec{"ratio", AttrType::Float, 0.5f}, i_attr("is_test", 0)}, dropout, {}});
  for (int v : {7, 10}) r.add(OpSchema{"Dropout", "", v, 1, 1, 1, 2, {AttrSpec{"ratio", AttrType::Float, 0.5f}}, dropout, {}});
  for (int v : {12, 13}) r.add(OpSchema{"Dropout", "", v, 1, 3, 1, 2, {opt("seed", AttrType::Int)}, dropout, {}});
  r.add(OpSchema{"Trilu", "", 14, 1, 2, 1, 1, {i_attr("upper", 1)}, trilu, {}});
  r.add(OpSchema{"EyeLike", "", 9, 1, 1, 1, 1, {opt("dtype", AttrType::Int), i_attr("k", 0)}, eye_like, {}});
  for (int v : {9, 11}) r.add(OpSchema{"OneHot", "", v, 3, 3, 1, 1, {i_attr("axis", -1)}, one_hot, {}});
  for (int v : {9, 13}) r.add(OpSchema{"NonZero", "", v, 1, 1, 1, 1, {}, non_zero, {}});
  for (int v : {9, 11}) r.add(OpSchema{"Compress", "", v, 2, 2, 1, 1, {opt("axis", AttrType::Int)}, compress, {}});
  r.add(OpSchema{"TopK", "", 1, 1, 1, 2, 2, {i_attr("axis", -1), req("k", AttrType::Int)}, top_k, {}});
  r.add(OpSchema{"TopK", "", 10, 2, 2, 2, 2, {i_attr("axis", -1)}, top_k, {}});
  r.add(OpSchema{"TopK", "", 11, 2, 2, 2, 2, {i_attr("axis", -1), i_attr("largest", 1), i_attr("sorted", 1)}, top_k, {}});
  r.add(OpSchema{"Constant", "", 1, 0, 0, 1, 1,
                 {opt("value", AttrType::Tensor), opt("value_float", AttrType::Float), opt("value_floats", AttrType::Floats),
                  opt("value_int", AttrType::Int), opt("value_ints", AttrType::Ints)},
                 constant, {}});
}

}  // namespace n2d2::graph
