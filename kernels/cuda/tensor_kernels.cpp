// Data-movement ops on CUDA: views (no copy), Concat, Transpose, Expand, Pad and Resize/Upsample
// over our kernels in tensor_ops.cu.
#include <numeric>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/cuda_registry.h"
#include "kernels/cuda/glue.h"

namespace n2d2::cuda {

namespace {

std::string supports_view(const kernels::KernelQuery& q) {
  for (const TensorType& t : q.output_types)
    if (t.dtype != DType::Undefined && !t.fully_known()) return "output " + t.str() + " (static shapes only)";
  if (q.node.op_type == "Dropout" && q.node.has_output(1)) return "the mask output is used";
  return "";
}

std::string supports_movement(const kernels::KernelQuery& q) {
  for (const TensorType& t : q.output_types) {
    if (!t.fully_known()) return "output " + t.str() + " (static shapes only)";
    std::size_t b = dtype_size(t.dtype);
    if (b != 1 && b != 2 && b != 4 && b != 8) return std::string("element type ") + dtype_name(t.dtype);
  }
  return max_rank(q);
}

int64_t norm_axis(int64_t axis, std::size_t rank) { return axis < 0 ? axis + static_cast<int64_t>(rank) : axis; }

void run_concat(const CudaKernelContext& c) {
  const DeviceTensor& y = c.out(0);
  int64_t axis = norm_axis(c.node.attrs.i("axis"), y.shape.size());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= y.shape[d];
  for (std::size_t d = axis + 1; d < y.shape.size(); ++d) inner *= y.shape[d];
  int64_t offset = 0;
  int bytes = static_cast<int>(dtype_size(y.dtype));
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    if (!c.has_input(i)) continue;
    int64_t len = c.in(i).shape[axis] * inner;
    launch::concat_piece(c.in(i).ptr, y.ptr, outer, len, y.shape[axis] * inner, offset, bytes, c.s.stream);
    offset += len;
  }
  N2D2_CUDA(cudaGetLastError());
}

struct GatherState : Prepared {
  launch::Gather g;
};

// Row-major strides of `shape`.
std::vector<int64_t> strides_of(const Shape& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int d = static_cast<int>(shape.size()) - 2; d >= 0; --d) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

std::unique_ptr<Prepared> prepare_transpose(const PrepareContext& p) {
  const Shape& in = p.query.input_types[0].dims;
  const Shape& out = p.query.output_types[0].dims;
  std::vector<int64_t> perm = p.node.attrs.ints_or("perm", {});
  if (perm.empty()) {
    perm.resize(in.size());
    std::iota(perm.rbegin(), perm.rend(), 0);
  }
  auto st = std::make_unique<GatherState>();
  std::vector<int64_t> is = strides_of(in);
  st->g.rank = static_cast<int>(out.size());
  for (std::size_t d = 0; d < out.size(); ++d) st->g.dims[d] = out[d], st->g.src_strides[d] = is[perm[d]];
  return st;
}

std::unique_ptr<Prepared> prepare_expand(const PrepareContext& p) {
  const Shape& in = p.query.input_types[0].dims;
  const Shape& out = p.query.output_types[0].dims;
  launch::Broadcast bc;
  make_broadcast(out, in, in, bc);
  auto st = std::make_unique<GatherState>();
  st->g.rank = bc.rank;
  for (int d = 0; d < bc.rank; ++d) st->g.dims[d] = bc.dims[d], st->g.src_strides[d] = bc.a_strides[d];
  return st;
}

void run_gather(const CudaKernelContext& c) {
  const DeviceTensor& y = c.out(0);
  launch::gather(c.in(0).ptr, y.ptr, y.numel(), static_cast<int>(dtype_size(y.dtype)), c.prepared<GatherState>().g,
                 c.s.stream);
  N2D2_CUDA(cudaGetLastError());
}

struct PadState : Prepared {
  launch::PadParams p;
};

std::string supports_pad(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  if (q.node.since_version >= 11) {
    for (std::size_t i = 1; i < q.input_types.size(); ++i)
      if (q.input_types[i].dtype != DType::Undefined && !q.input_is_constant(i)) return "pads and value must be constants";
    if (q.input_types.size() > 3 && q.input_types[3].dtype != DType::Undefined) return "the axes input";
  }
  std::string mode = q.node.attrs.s_or("mode", "constant");
  if (mode != "constant" && mode != "edge" && mode != "reflect") return "mode " + mode;
  return max_rank(q);
}

std::unique_ptr<Prepared> prepare_pad(const PrepareContext& p) {
  auto st = std::make_unique<PadState>();
  const Shape& in = p.query.input_types[0].dims;
  const Shape& out = p.query.output_types[0].dims;
  std::vector<int64_t> pads;
  if (p.node.since_version >= 11) {
    const Tensor* t = constant_input(p, 1);
    for (int64_t i = 0; t && i < t->numel(); ++i) pads.push_back(t->data<int64_t>()[i]);
    st->p.value = constant_scalar(p, 2, 0.f);
  } else {
    pads = p.node.attrs.ints("pads");
    st->p.value = p.node.attrs.f_or("value", 0.f);
  }
  if (pads.size() != 2 * in.size()) fail(p.node.label(), ": ", pads.size(), " pads for rank ", in.size());
  std::string mode = p.node.attrs.s_or("mode", "constant");
  st->p.mode = mode == "edge" ? 1 : mode == "reflect" ? 2 : 0;
  st->p.rank = static_cast<int>(in.size());
  for (std::size_t d = 0; d < in.size(); ++d)
    st->p.in_dims[d] = in[d], st->p.out_dims[d] = out[d], st->p.pads_begin[d] = pads[d];
  return st;
}

void run_pad(const CudaKernelContext& c) {
  launch::pad(c.in(0).as<float>(), c.out(0).as<float>(), c.out(0).numel(), c.prepared<PadState>().p, c.s.stream);
  N2D2_CUDA(cudaGetLastError());
}

struct ResizeState : Prepared {
  launch::ResizeParams p;
};

// Index of the scales input: Upsample-9 and Resize-10 have (X, scales), Resize-11+ (X, roi, scales, sizes).
std::size_t scales_input(const graph::Node& n) { return n.op_type == "Resize" && n.since_version >= 11 ? 2 : 1; }

std::string supports_resize(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  const TensorType& in = q.input_types[0];
  const TensorType& out = q.output_types[0];
  if (in.rank() < 2) return "rank below 2";
  for (std::size_t d = 0; d + 2 < in.rank(); ++d)
    if (in.dims[d] != out.dims[d]) return "only the last two axes may be resized";
  std::string mode = q.node.attrs.s_or("mode", "nearest");
  if (mode != "nearest" && mode != "linear") return "mode " + mode;
  std::string coord = q.node.attrs.s_or("coordinate_transformation_mode", "half_pixel");
  if (q.node.op_type == "Resize" && q.node.since_version >= 11 && coord != "half_pixel" && coord != "asymmetric" &&
      coord != "align_corners" && coord != "pytorch_half_pixel")
    return "coordinate_transformation_mode " + coord;
  if (q.node.attrs.has("antialias") && q.node.attrs.i("antialias") != 0) return "antialias";
  if (q.node.attrs.has("axes")) return "the axes attribute";
  std::size_t si = scales_input(q.node);
  if (si < q.input_types.size() && q.input_types[si].dtype != DType::Undefined && !q.input_is_constant(si))
    return "scales must be a constant";
  return "";
}

std::unique_ptr<Prepared> prepare_resize(const PrepareContext& p) {
  auto st = std::make_unique<ResizeState>();
  const Shape& in = p.query.input_types[0].dims;
  const Shape& out = p.query.output_types[0].dims;
  std::size_t r = in.size();
  launch::ResizeParams& rp = st->p;
  rp.outer = 1;
  for (std::size_t d = 0; d + 2 < r; ++d) rp.outer *= in[d];
  rp.in_h = in[r - 2], rp.in_w = in[r - 1], rp.out_h = out[r - 2], rp.out_w = out[r - 1];
  rp.scale_h = static_cast<float>(rp.out_h) / rp.in_h, rp.scale_w = static_cast<float>(rp.out_w) / rp.in_w;
  const Tensor* scales = constant_input(p, scales_input(p.node));
  if (scales && scales->numel() == static_cast<int64_t>(r) && scales->dtype() == DType::F32)
    rp.scale_h = scales->data<float>()[r - 2], rp.scale_w = scales->data<float>()[r - 1];
  else if (p.node.op_type == "Upsample" && p.node.attrs.has("scales"))
    rp.scale_h = p.node.attrs.floats("scales")[r - 2], rp.scale_w = p.node.attrs.floats("scales")[r - 1];
  rp.linear = p.node.attrs.s_or("mode", "nearest") == "linear";
  bool legacy = p.node.op_type == "Upsample" || p.node.since_version < 11;  // asymmetric, floor
  std::string coord = legacy ? "asymmetric" : p.node.attrs.s_or("coordinate_transformation_mode", "half_pixel");
  rp.coord = coord == "asymmetric" ? 1 : coord == "align_corners" ? 2 : coord == "pytorch_half_pixel" ? 3 : 0;
  std::string nearest = legacy ? "floor" : p.node.attrs.s_or("nearest_mode", "round_prefer_floor");
  rp.nearest = nearest == "round_prefer_ceil" ? 1 : nearest == "floor" ? 2 : nearest == "ceil" ? 3 : 0;
  return st;
}

void run_resize(const CudaKernelContext& c) {
  launch::resize(c.in(0).as<float>(), c.out(0).as<float>(), c.prepared<ResizeState>().p, c.s.stream);
  N2D2_CUDA(cudaGetLastError());
}

}  // namespace

void register_cuda_tensor_kernels(CudaRegistry& r) {
  for (const char* op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"})
    r.add({"view_cuda", op, "", supports_view, nullptr, nullptr, 0});
  r.add({"concat_cuda", "Concat", "", supports_movement, nullptr, run_concat});
  r.add({"transpose_cuda", "Transpose", "", supports_movement, prepare_transpose, run_gather});
  r.add({"expand_cuda", "Expand", "", supports_movement, prepare_expand, run_gather});
  r.add({"pad_f32_cuda", "Pad", "", supports_pad, prepare_pad, run_pad});
  r.add({"resize_f32_cuda", "Resize", "", supports_resize, prepare_resize, run_resize});
  r.add({"resize_f32_cuda", "Upsample", "", supports_resize, prepare_resize, run_resize});
}

}  // namespace n2d2::cuda
