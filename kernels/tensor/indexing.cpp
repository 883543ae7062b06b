// Indexing: Gather, GatherElements and GatherND, and the scatters that invert them
// (ScatterElements, the deprecated Scatter, ScatterND) without reduction. Indices are int32 or
// int64, negative ones count from the end, and one out of range fails the run.
#include <algorithm>
#include <cstring>

#include "kernels/parallel.h"
#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

using tensor::bytes;
using tensor::index_at;
using tensor::wrap_index;

Status out_of_range(int64_t index, int64_t axis, const Tensor& data) {
  return Status::error("index ", index, " is out of range for axis ", axis, " of data [", shape_str(data.shape()), "]");
}

// output[outer, k, inner] = data[outer, indices[k], inner]
Status gather_ref(const KernelContext& c) {
  const Tensor &data = c.in(0), &idx = c.in(1);
  int64_t axis = tensor::node_axis(c, data.rank());
  tensor::AxisLayout l = tensor::axis_layout(data.shape(), axis);
  for (int64_t k = 0; k < idx.numel(); ++k)
    if (wrap_index(index_at(idx, k), l.dim) < 0) return out_of_range(index_at(idx, k), axis, data);
  auto block = static_cast<int64_t>(dtype_size(data.dtype())) * l.inner;
  int64_t n = idx.numel();
  parallel_for(l.outer * n, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, l.inner)), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t o = r / n, at = wrap_index(index_at(idx, r % n), l.dim);
      std::memcpy(bytes(c.out(0)) + r * block, bytes(data) + (o * l.dim + at) * block, static_cast<std::size_t>(block));
    }
  });
  return Status::ok();
}

// GatherElements: output[p] = data[p with its `axis` coordinate replaced by indices[p]].
// ScatterElements: output = data, then output[that same position] = updates[p].
Status elements_ref(const KernelContext& c) {
  const Tensor &data = c.in(0), &idx = c.in(1);
  bool scatter = c.num_inputs() == 3;
  Tensor& y = c.out(0);
  auto axis = static_cast<std::size_t>(tensor::node_axis(c, data.rank()));
  auto esz = static_cast<int64_t>(dtype_size(data.dtype()));
  std::vector<int64_t> strides = shape_strides(data.shape());
  const Shape& positions = idx.shape();
  if (scatter) std::memcpy(bytes(y), bytes(data), data.nbytes());
  for (int64_t p = 0; p < idx.numel(); ++p) {
    int64_t at = wrap_index(index_at(idx, p), data.shape()[axis]);
    if (at < 0) return out_of_range(index_at(idx, p), static_cast<int64_t>(axis), data);
    int64_t off = 0, rem = p;
    for (std::size_t d = positions.size(); d-- > 0;) {
      off += (d == axis ? at : rem % positions[d]) * strides[d];
      rem /= positions[d];
    }
    if (scatter) std::memcpy(bytes(y) + off * esz, bytes(c.in(2)) + p * esz, static_cast<std::size_t>(esz));
    else std::memcpy(bytes(y) + p * esz, bytes(data) + off * esz, static_cast<std::size_t>(esz));
  }
  return Status::ok();
}

// GatherND: each index tuple (the last axis of `indices`) addresses a slice of the data after
// `batch_dims` leading dims; the slices are copied out in tuple order. ScatterND writes them.
Status nd_ref(const KernelContext& c) {
  const Tensor &data = c.in(0), &idx = c.in(1);
  bool scatter = c.num_inputs() == 3;
  Tensor& y = c.out(0);
  const Shape& dims = data.shape();
  auto b = static_cast<std::size_t>(c.attrs().i_or("batch_dims", 0));
  int64_t last = idx.shape().back(), tuples = idx.numel() / last, batches = 1, slice = 1;
  for (std::size_t d = 0; d < b; ++d) batches *= dims[d];
  for (std::size_t d = b + static_cast<std::size_t>(last); d < dims.size(); ++d) slice *= dims[d];
  std::vector<int64_t> strides = shape_strides(dims);
  int64_t batch_stride = b > 0 ? strides[b - 1] : 0;
  auto esz = static_cast<int64_t>(dtype_size(data.dtype()));
  int64_t block = slice * esz;
  if (scatter) std::memcpy(bytes(y), bytes(data), data.nbytes());
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t off = t / (tuples / batches) * batch_stride;
    for (int64_t j = 0; j < last; ++j) {
      int64_t given = index_at(idx, t * last + j), axis = static_cast<int64_t>(b) + j;
      int64_t at = wrap_index(given, dims[axis]);
      if (at < 0) return out_of_range(given, axis, data);
      off += at * strides[axis];
    }
    if (scatter) std::memcpy(bytes(y) + off * esz, bytes(c.in(2)) + t * block, static_cast<std::size_t>(block));
    else std::memcpy(bytes(y) + t * block, bytes(data) + off * esz, static_cast<std::size_t>(block));
  }
  return Status::ok();
}

std::string no_reduction(const KernelQuery& q) {
  std::string r = q.node.attrs.s_or("reduction", "none");
  return r == "none" ? "" : "reduction '" + r + "' is not supported";
}

}  // namespace

void register_tensor_indexing(KernelRegistry& r) {
  r.add({"gather_ref", "Gather", "", nullptr, gather_ref});
  r.add({"gather_elements_ref", "GatherElements", "", nullptr, elements_ref});
  r.add({"scatter_elements_ref", "ScatterElements", "", no_reduction, elements_ref});
  r.add({"scatter_ref", "Scatter", "", nullptr, elements_ref});
  r.add({"gather_nd_ref", "GatherND", "", nullptr, nd_ref});
  r.add({"scatter_nd_ref", "ScatterND", "", no_reduction, nd_ref});
}

}  // namespace n2d2::kernels
