// cuBLAS-backed Gemm and MatMul. Row-major products run as the column-major product of the
// transposes: C^T = op(B)^T op(A)^T, so no data is moved. FP32 math (cuBLAS default, no TF32).
#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/cuda_registry.h"
#include "kernels/cuda/glue.h"

namespace n2d2::cuda {

namespace {

// --- Gemm: Y = alpha * op(A) op(B) + beta * C (C broadcast to [M, N])
std::string supports_gemm(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  if (q.input_types[0].rank() != 2 || q.input_types[1].rank() != 2) return "A and B must be matrices";
  return "";
}

struct GemmState : Prepared {
  int m = 0, n = 0, k = 0;
  bool ta = false, tb = false;
  float alpha = 1, beta = 1;
  launch::Broadcast c;  // C onto [M, N]
};

std::unique_ptr<Prepared> prepare_gemm(const PrepareContext& p) {
  auto st = std::make_unique<GemmState>();
  const Shape& a = p.query.input_types[0].dims;
  const Shape& b = p.query.input_types[1].dims;
  st->ta = p.node.attrs.i_or("transA", 0) != 0, st->tb = p.node.attrs.i_or("transB", 0) != 0;
  st->m = static_cast<int>(st->ta ? a[1] : a[0]);
  st->k = static_cast<int>(st->ta ? a[0] : a[1]);
  st->n = static_cast<int>(st->tb ? b[0] : b[1]);
  st->alpha = p.node.attrs.f_or("alpha", 1.f), st->beta = p.node.attrs.f_or("beta", 1.f);
  if (p.node.has_input(2)) {
    const Shape& c = p.query.input_types[2].dims;
    make_broadcast({st->m, st->n}, {st->m, st->n}, c, st->c);
  }
  return st;
}

void run_gemm(const CudaKernelContext& c) {
  const auto& st = c.prepared<GemmState>();
  const float zero = 0.f;
  float* y = c.out(0).as<float>();
  cublasOperation_t opa = st.ta ? CUBLAS_OP_T : CUBLAS_OP_N, opb = st.tb ? CUBLAS_OP_T : CUBLAS_OP_N;
  int lda = st.ta ? st.m : st.k, ldb = st.tb ? st.k : st.n;
  N2D2_CUDA(cublasSgemm(c.s.cublas, opb, opa, st.n, st.m, st.k, &st.alpha, c.in(1).as<float>(), ldb, c.in(0).as<float>(),
                        lda, &zero, y, st.n));
  if (c.has_input(2) && st.beta != 0.f) {
    launch::binary(launch::Binary::AddScaled, y, c.in(2).as<float>(), y, int64_t{st.m} * st.n, st.c, st.beta, c.s.stream);
    N2D2_CUDA(cudaGetLastError());
  }
}

// --- MatMul: [.., M, K] x [.., K, N] with equal batch dims, or one side a plain matrix.
struct MatMulState : Prepared {
  int m = 0, n = 0, k = 0, batch = 1;
  long long stride_a = 0, stride_b = 0;
};

int64_t batch_of(const Shape& s) {
  int64_t b = 1;
  for (std::size_t d = 0; d + 2 < s.size(); ++d) b *= s[d];
  return b;
}

std::string supports_matmul(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  const Shape& a = q.input_types[0].dims;
  const Shape& b = q.input_types[1].dims;
  if (a.size() < 2 || b.size() < 2) return "vector operands";
  if (a.size() == 2 || b.size() == 2) return "";
  if (Shape(a.begin(), a.end() - 2) != Shape(b.begin(), b.end() - 2)) return "batch dimensions broadcast";
  return "";
}

std::unique_ptr<Prepared> prepare_matmul(const PrepareContext& p) {
  auto st = std::make_unique<MatMulState>();
  const Shape& a = p.query.input_types[0].dims;
  const Shape& b = p.query.input_types[1].dims;
  st->k = static_cast<int>(a.back());
  st->n = static_cast<int>(b.back());
  if (b.size() == 2) {  // [.., M, K] x [K, N]: one GEMM over all rows of A
    st->m = static_cast<int>(batch_of(a) * a[a.size() - 2]);
  } else {
    st->m = static_cast<int>(a[a.size() - 2]);
    st->batch = static_cast<int>(batch_of(b));
    st->stride_a = a.size() == 2 ? 0 : static_cast<long long>(st->m) * st->k;
    st->stride_b = static_cast<long long>(st->k) * st->n;
  }
  return st;
}

void run_matmul(const CudaKernelContext& c) {
  const auto& st = c.prepared<MatMulState>();
  const float one = 1.f, zero = 0.f;
  N2D2_CUDA(cublasSgemmStridedBatched(c.s.cublas, CUBLAS_OP_N, CUBLAS_OP_N, st.n, st.m, st.k, &one, c.in(1).as<float>(),
                                      st.n, st.stride_b, c.in(0).as<float>(), st.k, st.stride_a, &zero,
                                      c.out(0).as<float>(), st.n, static_cast<long long>(st.m) * st.n, st.batch));
}

}  // namespace

void register_cuda_blas_kernels(CudaRegistry& r) {
  r.add({"gemm_f32_cublas", "Gemm", "", supports_gemm, prepare_gemm, run_gemm});
  r.add({"matmul_f32_cublas", "MatMul", "", supports_matmul, prepare_matmul, run_matmul});
}

}  // namespace n2d2::cuda
