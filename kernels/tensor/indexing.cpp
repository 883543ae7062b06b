// Indexing ops: Gather, GatherElements, GatherND, ScatterElements, ScatterND, OneHot, NonZero,
// Compress, TopK. Indices may be negative (counted from the end); out-of-range ones are errors.
#include <algorithm>
#include <cstring>
#include <numeric>

#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

const unsigned char* bytes(const Tensor& t) { return static_cast<const unsigned char*>(t.raw()); }
unsigned char* bytes(Tensor& t) { return static_cast<unsigned char*>(t.raw_mut()); }

// Index `i` checked against an axis of `n`, negative counted from the end; -1 if out of range.
int64_t wrap(int64_t i, int64_t n) {
  if (i < -n || i >= n) return -1;
  return i < 0 ? i + n : i;
}

int64_t norm_axis(int64_t axis, std::size_t rank) { return axis < 0 ? axis + static_cast<int64_t>(rank) : axis; }

Status gather_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  std::vector<int64_t> idx = c.in(1).to_int64_vector();
  int64_t axis = norm_axis(c.attrs().i("axis"), x.rank());
  int64_t outer = 1, inner = 1, n = x.shape()[axis];
  for (int64_t i = 0; i < axis; ++i) outer *= x.shape()[i];
  for (std::size_t i = axis + 1; i < x.rank(); ++i) inner *= x.shape()[i];
  std::size_t esz = dtype_size(x.dtype()), block = static_cast<std::size_t>(inner) * esz;
  for (int64_t& i : idx)
    if ((i = wrap(i, n)) < 0) return Status::error("index out of range for axis of ", n);
  unsigned char* y = bytes(c.out(0));
  for (int64_t o = 0; o < outer; ++o)
    for (std::size_t k = 0; k < idx.size(); ++k)
      std::memcpy(y + (o * static_cast<int64_t>(idx.size()) + static_cast<int64_t>(k)) * block, bytes(x) + (o * n + idx[k]) * block, block);
  return Status::ok();
}

// GatherElements and ScatterElements: position p of `indices` addresses the data element with
// p's coordinates except along `axis`, where the index value is used.
Status elements_ref(const KernelContext& c) {
  bool scatter = c.node.op_type == "ScatterElements";
  if (scatter && c.attrs().s_or("reduction", "none") != "none") return Status::error("reduction is not supported");
  const Tensor& x = c.in(0);
  const Tensor& ind = c.in(1);
  std::vector<int64_t> idx = ind.to_int64_vector();
  int64_t axis = norm_axis(c.attrs().i("axis"), x.rank());
  std::size_t esz = dtype_size(x.dtype());
  std::vector<int64_t> xs = shape_strides(x.shape());
  const Shape& is = ind.shape();
  unsigned char* y = bytes(c.out(0));
  if (scatter) std::memcpy(y, x.raw(), x.nbytes());
  for (int64_t p = 0; p < ind.numel(); ++p) {
    int64_t rem = p, off = 0;
    for (int d = static_cast<int>(is.size()) - 1; d >= 0; --d) {
      int64_t coord = rem % is[d];
      rem /= is[d];
      if (d == axis) {
        coord = wrap(idx[p], x.shape()[d]);
        if (coord < 0) return Status::error("index ", idx[p], " out of range for axis of ", x.shape()[d]);
      }
      off += coord * xs[d];
    }
    if (scatter) std::memcpy(y + off * esz, bytes(c.in(2)) + p * esz, esz);
    else std::memcpy(y + p * esz, bytes(x) + off * esz, esz);
  }
  return Status::ok();
}

// GatherND and ScatterND: the last axis of `indices` addresses a slice of data.
Status nd_ref(const KernelContext& c) {
  bool scatter = c.node.op_type == "ScatterND";
  if (scatter && c.attrs().s_or("reduction", "none") != "none") return Status::error("reduction is not supported");
  const Tensor& x = c.in(0);
  const Tensor& ind = c.in(1);
  std::vector<int64_t> idx = ind.to_int64_vector();
  int64_t b = scatter ? 0 : c.attrs().i_or("batch_dims", 0);
  int64_t last = ind.shape().back();
  std::vector<int64_t> xs = shape_strides(x.shape());
  int64_t batch = 1;
  for (int64_t i = 0; i < b; ++i) batch *= x.shape()[i];
  int64_t slice = 1;
  for (std::size_t i = b + last; i < x.rank(); ++i) slice *= x.shape()[i];
  int64_t per_batch = ind.numel() / std::max<int64_t>(1, last) / batch;
  std::size_t esz = dtype_size(x.dtype()), block = static_cast<std::size_t>(slice) * esz;
  unsigned char* y = bytes(c.out(0));
  if (scatter) std::memcpy(y, x.raw(), x.nbytes());
  for (int64_t bi = 0; bi < batch; ++bi)
    for (int64_t k = 0; k < per_batch; ++k) {
      int64_t row = bi * per_batch + k, off = bi * (b ? xs[b - 1] : 0);
      for (int64_t j = 0; j < last; ++j) {
        int64_t v = wrap(idx[row * last + j], x.shape()[b + j]);
        if (v < 0) return Status::error("index ", idx[row * last + j], " out of range");
        off += v * xs[b + j];
      }
      if (scatter) std::memcpy(y + off * esz, bytes(c.in(2)) + row * block, block);
      else std::memcpy(y + row * block, bytes(x) + off * esz, block);
    }
  return Status::ok();
}

Status one_hot_ref(const KernelContext& c) {
  std::vector<double> idx = c.in(0).to_double_vector();
  auto depth = static_cast<int64_t>(c.in(1).to_double_vector().at(0));
  const Tensor& values = c.in(2);
  Tensor& y = c.out(0);
  int64_t axis = norm_axis(c.attrs().i("axis"), y.rank());
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= y.shape()[i];
  for (std::size_t i = axis + 1; i < y.rank(); ++i) inner *= y.shape()[i];
  std::size_t esz = dtype_size(y.dtype());
  unsigned char* p = bytes(y);
  for (int64_t i = 0; i < y.numel(); ++i) std::memcpy(p + i * esz, bytes(values), esz);  // off value
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      auto v = static_cast<int64_t>(idx[o * inner + in]);
      if (v < 0) v += depth;
      if (v < 0 || v >= depth) continue;
      std::memcpy(p + ((o * depth + v) * inner + in) * esz, bytes(values) + esz, esz);  // on value
    }
  return Status::ok();
}

Status non_zero_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  std::vector<double> v = x.to_double_vector();
  Tensor& y = c.out(0);
  int64_t nnz = y.shape()[1], k = 0;
  auto rank = static_cast<int64_t>(x.rank());
  int64_t* p = y.data_mut<int64_t>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    if (v[i] == 0) continue;
    int64_t rem = i;
    for (int64_t d = rank - 1; d >= 0; --d) {
      p[d * nnz + k] = rem % x.shape()[d];
      rem /= x.shape()[d];
    }
    ++k;
  }
  return Status::ok();
}

Status compress_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  std::vector<double> cond = c.in(1).to_double_vector();
  std::size_t esz = dtype_size(x.dtype());
  unsigned char* y = bytes(c.out(0));
  if (!c.attrs().has("axis")) {
    int64_t k = 0;
    for (int64_t i = 0; i < x.numel() && i < static_cast<int64_t>(cond.size()); ++i)
      if (cond[i] != 0) std::memcpy(y + (k++) * esz, bytes(x) + i * esz, esz);
    return Status::ok();
  }
  int64_t axis = norm_axis(c.attrs().i("axis"), x.rank());
  int64_t outer = 1, inner = 1, n = x.shape()[axis], kept = c.out(0).shape()[axis];
  for (int64_t i = 0; i < axis; ++i) outer *= x.shape()[i];
  for (std::size_t i = axis + 1; i < x.rank(); ++i) inner *= x.shape()[i];
  std::size_t block = static_cast<std::size_t>(inner) * esz;
  for (int64_t o = 0; o < outer; ++o) {
    int64_t k = 0;
    for (int64_t i = 0; i < n && i < static_cast<int64_t>(cond.size()); ++i)
      if (cond[i] != 0) std::memcpy(y + (o * kept + k++) * block, bytes(x) + (o * n + i) * block, block);
  }
  return Status::ok();
}

Status top_k_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  int64_t axis = norm_axis(c.attrs().i("axis"), x.rank());
  int64_t k = c.out(0).shape()[axis], n = x.shape()[axis];
  bool largest = c.attrs().i_or("largest", 1) != 0;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= x.shape()[i];
  for (std::size_t i = axis + 1; i < x.rank(); ++i) inner *= x.shape()[i];
  bool ok = visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* xp = x.data<T>();
    T* vp = c.out(0).data_mut<T>();
    int64_t* ip = c.out(1).data_mut<int64_t>();
    std::vector<int64_t> order(static_cast<std::size_t>(n));
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t in = 0; in < inner; ++in) {
        auto at = [&](int64_t i) { return xp[(o * n + i) * inner + in]; };
        std::iota(order.begin(), order.end(), 0);
        // Ties keep the lower index first, as ONNX specifies.
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return largest ? at(a) > at(b) : at(a) < at(b); });
        for (int64_t j = 0; j < k; ++j) {
          vp[(o * k + j) * inner + in] = at(order[j]);
          ip[(o * k + j) * inner + in] = order[j];
        }
      }
  });
  return ok ? Status::ok() : Status::error("unsupported type");
}

std::string int_indices(const KernelQuery& q) {
  if (q.input_types.size() > 1 && q.input_types[1].dtype != DType::I32 && q.input_types[1].dtype != DType::I64)
    return "indices must be int32 or int64";
  return "";
}
std::string scatter_supports(const KernelQuery& q) {
  if (q.node.attrs.s_or("reduction", "none") != "none") return "reduction '" + q.node.attrs.s("reduction") + "' is not supported";
  return int_indices(q);
}
std::string computable(const KernelQuery& q) {
  for (const auto& t : q.input_types)
    if (t.dtype == DType::F16 || t.dtype == DType::BF16) return std::string("input type ") + dtype_name(t.dtype);
  return "";
}

}  // namespace

void register_tensor_indexing(KernelRegistry& r) {
  r.add({"gather_ref", "Gather", "", int_indices, gather_ref});
  r.add({"gather_elements_ref", "GatherElements", "", int_indices, elements_ref});
  r.add({"scatter_elements_ref", "ScatterElements", "", scatter_supports, elements_ref});
  r.add({"gather_nd_ref", "GatherND", "", int_indices, nd_ref});
  r.add({"scatter_nd_ref", "ScatterND", "", scatter_supports, nd_ref});
  r.add({"one_hot_ref", "OneHot", "", computable, one_hot_ref});
  r.add({"non_zero_ref", "NonZero", "", computable, non_zero_ref});
  r.add({"compress_ref", "Compress", "", computable, compress_ref});
  r.add({"top_k_ref", "TopK", "", computable, top_k_ref});
}

}  // namespace n2d2::kernels
