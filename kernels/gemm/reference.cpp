// Gemm and MatMul glue (transposes, alpha/beta/C, batch broadcasting) over the matrix-product
// cores of gemm.h: the reference core (i-k-j order) and the AVX2/AVX-512 ones, listed fastest first.
#include <algorithm>
#include <vector>

#include "kernels/cpu/isa.h"
#include "kernels/gemm/gemm.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"

namespace n2d2::kernels {

namespace detail {

template <class T>
void matmul_rowmajor(int64_t M, int64_t N, int64_t K, const T* A, const T* B, T* C) {
  for_each_tile(M, N, [&](int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
    for (int64_t i = i0; i < i1; ++i) {
      T* c = C + i * N;
      for (int64_t j = j0; j < j1; ++j) c[j] = T(0);
      for (int64_t k = 0; k < K; ++k) {
        T a = A[i * K + k];
        const T* brow = B + k * N;
        for (int64_t j = j0; j < j1; ++j) c[j] += a * brow[j];
      }
    }
  });
}

template void matmul_rowmajor<float>(int64_t, int64_t, int64_t, const float*, const float*, float*);
template void matmul_rowmajor<double>(int64_t, int64_t, int64_t, const double*, const double*, double*);

MatmulF32 best_matmul_f32() {
  if (require_isa(Isa::Avx512).empty()) return matmul_f32_avx512;
  if (require_isa(Isa::Avx2).empty()) return matmul_f32_avx2;
  return matmul_rowmajor<float>;
}

}  // namespace detail

namespace {

template <class T>
using Core = void (*)(int64_t, int64_t, int64_t, const T*, const T*, T*);

// Row-major copy of a [rows, cols] matrix, transposed when `trans`.
template <class T>
std::vector<T> as_rowmajor(const T* p, int64_t rows, int64_t cols, bool trans) {
  std::vector<T> r(static_cast<std::size_t>(rows * cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) r[i * cols + j] = trans ? p[j * rows + i] : p[i * cols + j];
  return r;
}

template <class T>
Status gemm_typed(const KernelContext& c, Core<T> core) {
  const Tensor &a = c.in(0), &b = c.in(1);
  Tensor& y = c.out(0);
  bool ta = c.attrs().i("transA") != 0, tb = c.attrs().i("transB") != 0;
  int64_t M = y.shape()[0], N = y.shape()[1], K = ta ? a.shape()[0] : a.shape()[1];
  T alpha = static_cast<T>(c.attrs().f("alpha")), beta = static_cast<T>(c.attrs().f("beta"));
  const T* ap = a.data<T>();
  const T* bp = b.data<T>();
  std::vector<T> at, bt;
  if (ta) ap = (at = as_rowmajor(ap, M, K, true)).data();
  if (tb) bp = (bt = as_rowmajor(bp, K, N, true)).data();
  T* yp = y.data_mut<T>();
  core(M, N, K, ap, bp, yp);
  // y = alpha * AB + beta * C, C broadcast (scalar, [N], [1,N], [M,1] or [M,N]).
  const Tensor* cm = c.has_input(2) ? &c.in(2) : nullptr;
  int64_t cr = 1, cc = 1;
  if (cm && cm->rank() == 2) {
    cr = cm->shape()[0];
    cc = cm->shape()[1];
  } else if (cm && cm->rank() == 1) {
    cc = cm->shape()[0];
  }
  const T* cp = cm ? cm->data<T>() : nullptr;
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      T v = alpha * yp[i * N + j];
      if (cp) v += beta * cp[(cr == 1 ? 0 : i) * cc + (cc == 1 ? 0 : j)];
      yp[i * N + j] = v;
    }
  return Status::ok();
}

template <class T>
Status matmul_typed(const KernelContext& c, Core<T> core) {
  const Tensor &a = c.in(0), &b = c.in(1);
  Tensor& y = c.out(0);
  Shape sa = a.shape(), sb = b.shape();
  if (sa.size() == 1) sa.insert(sa.begin(), 1);
  if (sb.size() == 1) sb.push_back(1);
  int64_t M = sa[sa.size() - 2], K = sa.back(), N = sb.back();
  // Batch broadcasting: walk the broadcast batch shape, mapping to each input's batch index.
  Shape ba(sa.begin(), sa.end() - 2), bb(sb.begin(), sb.end() - 2);
  std::size_t rank = std::max(ba.size(), bb.size());
  ba.insert(ba.begin(), rank - ba.size(), 1);
  bb.insert(bb.begin(), rank - bb.size(), 1);
  Shape batch(rank);
  for (std::size_t i = 0; i < rank; ++i) batch[i] = std::max(ba[i], bb[i]);
  std::vector<int64_t> sta = shape_strides(ba), stb = shape_strides(bb);
  int64_t nb = shape_numel(batch);
  const T* ap = a.data<T>();
  const T* bp = b.data<T>();
  T* yp = y.data_mut<T>();
  for (int64_t bi = 0; bi < nb; ++bi) {
    int64_t rem = bi, ia = 0, ib = 0;
    for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
      int64_t idx = rem % batch[d];
      rem /= batch[d];
      ia += (ba[d] == 1 ? 0 : idx) * sta[d];
      ib += (bb[d] == 1 ? 0 : idx) * stb[d];
    }
    core(M, N, K, ap + ia * M * K, bp + ib * K * N, yp + bi * M * N);
  }
  return Status::ok();
}

Status gemm_ref(const KernelContext& c) {
  return c.in(0).dtype() == DType::F64 ? gemm_typed<double>(c, detail::matmul_rowmajor<double>)
                                       : gemm_typed<float>(c, detail::matmul_rowmajor<float>);
}
Status matmul_ref(const KernelContext& c) {
  return c.in(0).dtype() == DType::F64 ? matmul_typed<double>(c, detail::matmul_rowmajor<double>)
                                       : matmul_typed<float>(c, detail::matmul_rowmajor<float>);
}
Status gemm_f32_avx2(const KernelContext& c) { return gemm_typed<float>(c, detail::matmul_f32_avx2); }
Status gemm_f32_avx512(const KernelContext& c) { return gemm_typed<float>(c, detail::matmul_f32_avx512); }
Status matmul_f32_avx2(const KernelContext& c) { return matmul_typed<float>(c, detail::matmul_f32_avx2); }
Status matmul_f32_avx512(const KernelContext& c) { return matmul_typed<float>(c, detail::matmul_f32_avx512); }

std::string floats(const KernelQuery& q) { return require_input_dtypes(q, {DType::F32, DType::F64}); }
template <Isa isa>
std::string f32_with(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  return r.empty() ? require_isa(isa) : r;
}

}  // namespace

void register_gemm_kernels(KernelRegistry& r) {
  r.add({"gemm_f32_avx512", "Gemm", "", f32_with<Isa::Avx512>, gemm_f32_avx512});
  r.add({"gemm_f32_avx2", "Gemm", "", f32_with<Isa::Avx2>, gemm_f32_avx2});
  r.add({"gemm_ref", "Gemm", "", floats, gemm_ref});
  r.add({"matmul_f32_avx512", "MatMul", "", f32_with<Isa::Avx512>, matmul_f32_avx512});
  r.add({"matmul_f32_avx2", "MatMul", "", f32_with<Isa::Avx2>, matmul_f32_avx2});
  r.add({"matmul_ref", "MatMul", "", floats, matmul_ref});
}

}  // namespace n2d2::kernels
