// Reference Gemm and MatMul. Their bodies (detail::run_gemm, detail::run_matmul) take the matrix
// product as a parameter: the reference kernels pass detail::matmul<T>, the x86 variants
// (gemm/x86.cpp) a float core.
#include <algorithm>

#include "kernels/gemm/gemm_kernels.h"
#include "kernels/nn_family.h"

namespace n2d2::kernels {

namespace detail {

// Y = alpha * op(A) * op(B) + beta * C, C broadcast from a scalar, [N], [1,N], [M,1] or [M,N].
// Integer types: alpha and beta are truncated to integers.
template <class T>
Status run_gemm(const KernelContext& c, Product<T> product) {
  const Tensor &a = c.in(0), &b = c.in(1);
  Tensor& y = c.out(0);
  bool ta = c.attrs().i("transA") != 0, tb = c.attrs().i("transB") != 0;
  int64_t M = y.shape()[0], N = y.shape()[1], K = a.shape()[ta ? 0 : 1];
  T* yp = y.data_mut<T>();
  product(M, N, K, a.data<T>(), ta, b.data<T>(), tb, yp);
  auto alpha = static_cast<T>(c.attrs().f("alpha")), beta = static_cast<T>(c.attrs().f("beta"));
  const T* cp = c.has_input(2) ? c.in(2).data<T>() : nullptr;
  int64_t c_rows = 1, c_cols = 1;
  if (cp) {
    const Shape& cs = c.in(2).shape();
    if (cs.size() >= 1) c_cols = cs.back();
    if (cs.size() == 2) c_rows = cs[0];
  }
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      T v = alpha * yp[i * N + j];
      if (cp) v += beta * cp[(c_rows == 1 ? 0 : i) * c_cols + (c_cols == 1 ? 0 : j)];
      yp[i * N + j] = v;
    }
  return Status::ok();
}

// numpy matmul: 1-D operands promoted to [1,K] / [K,1], batch dims broadcast.
template <class T>
Status run_matmul(const KernelContext& c, Product<T> product) {
  const Tensor &a = c.in(0), &b = c.in(1);
  Shape sa = a.shape(), sb = b.shape();
  if (sa.size() == 1) sa.insert(sa.begin(), 1);
  if (sb.size() == 1) sb.push_back(1);
  int64_t M = sa[sa.size() - 2], K = sa.back(), N = sb.back();
  Shape ba(sa.begin(), sa.end() - 2), bb(sb.begin(), sb.end() - 2);
  std::size_t rank = std::max(ba.size(), bb.size());
  ba.insert(ba.begin(), rank - ba.size(), 1);
  bb.insert(bb.begin(), rank - bb.size(), 1);
  const T* ap = a.data<T>();
  const T* bp = b.data<T>();
  T* yp = c.out(0).data_mut<T>();
  // One B for every batch: the batches of A stack into one [batches * M, K] matrix.
  if (shape_numel(bb) == 1) {
    product(shape_numel(ba) * M, N, K, ap, false, bp, false, yp);
    return Status::ok();
  }
  Shape batch(rank);
  for (std::size_t i = 0; i < rank; ++i) batch[i] = std::max(ba[i], bb[i]);
  std::vector<int64_t> stride_a = shape_strides(ba), stride_b = shape_strides(bb);
  for (int64_t bi = 0, nb = shape_numel(batch); bi < nb; ++bi) {
    // The batch index of each operand: the broadcast index with size-1 dims pinned at 0.
    int64_t rem = bi, ia = 0, ib = 0;
    for (std::size_t d = rank; d-- > 0;) {
      int64_t idx = rem % batch[d];
      rem /= batch[d];
      ia += (ba[d] == 1 ? 0 : idx) * stride_a[d];
      ib += (bb[d] == 1 ? 0 : idx) * stride_b[d];
    }
    product(M, N, K, ap + ia * M * K, false, bp + ib * K * N, false, yp + bi * M * N);
  }
  return Status::ok();
}

template Status run_gemm<float>(const KernelContext&, Product<float>);
template Status run_matmul<float>(const KernelContext&, Product<float>);

}  // namespace detail

namespace {

// Calls f(T{}) for the element types detail::matmul is instantiated for.
template <class F>
Status by_product_type(DType t, F&& f) {
  switch (t) {
    case DType::F32: return f(float{});
    case DType::F64: return f(double{});
    case DType::I32: return f(int32_t{});
    case DType::I64: return f(int64_t{});
    case DType::U32: return f(uint32_t{});
    case DType::U64: return f(uint64_t{});
    default: return Status::error("unsupported type ", dtype_name(t));
  }
}

std::string product_types(const KernelQuery& q) {
  return require_input_dtypes(q, {DType::F32, DType::F64, DType::I32, DType::I64, DType::U32, DType::U64});
}

Status gemm_ref(const KernelContext& c) {
  return by_product_type(c.in(0).dtype(), [&](auto t) {
    using T = decltype(t);
    return detail::run_gemm<T>(c, detail::matmul<T>);
  });
}
Status matmul_ref(const KernelContext& c) {
  return by_product_type(c.in(0).dtype(), [&](auto t) {
    using T = decltype(t);
    return detail::run_matmul<T>(c, detail::matmul<T>);
  });
}

}  // namespace

void register_gemm_kernels(KernelRegistry& r) {
  r.add({"gemm_ref", "Gemm", "", product_types, gemm_ref});
  r.add({"matmul_ref", "MatMul", "", product_types, matmul_ref});
}

}  // namespace n2d2::kernels
