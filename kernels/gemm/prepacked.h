// The prepacked float GEMM (prepacked.cpp): B, the weights of a fully connected layer, packed
// once (KernelImpl::prepare, when a Plan is compiled) into the column panels the micro-kernels
// read, after transposition when transB; per run, Y = act(alpha * op(A) * B + beta * C) with the
// bias, alpha/beta and activation applied per task while it is in cache. A is read in place (no
// copy per call): register-blocked cores over chunks of rows and panels (prepacked_cores.h), a
// GEMV over the panels for batch-1 classifier heads. Used by Gemm, MatMul with a constant 2-D B
// and ai.n2d2 FusedGemm (gemm/prepacked_kernels.cpp).
#pragma once

#include <memory>
#include <vector>

#include "kernels/conv/epilogue.h"
#include "kernels/cpu/isa.h"

namespace n2d2::kernels::detail {

// B as K x N, in ceil(N / nr) panels of nr columns: panel q holds K groups of nr floats,
// B(k, q * nr + c) at panels[(q * K + k) * nr + c], zero past column N.
struct PrepackedB {
  int64_t K = 0, N = 0;
  int nr = 0;
  std::vector<float> panels;
};

// The panel width of `isa`'s cores (AVX2 16, AVX-512 32).
int prepacked_nr(Isa isa);

// Packs B ([K, N], or [N, K] when trans_b) into panels of nr columns.
std::shared_ptr<const PrepackedB> prepack_b(const float* B, int64_t K, int64_t N, bool trans_b, int nr);

// What follows the product, per element (i, j): y = act(alpha * y + beta * C(i, j)), C broadcast
// from [c_rows, c_cols] (each 1 or the full extent) when set.
struct GemmEpilogue {
  float alpha = 1.f, beta = 1.f;
  const float* c = nullptr;
  int64_t c_rows = 1, c_cols = 1;
  Activation act = Activation::None;
  float act_alpha = 0.f, act_beta = 0.f;  // Clip: min, max; LeakyRelu: slope
};

// Y [M, N] (row-major, every element written) = epilogue(op(A) * B), A [M, K] or [K, M] when
// trans_a, B packed for `isa` (Avx2 or Avx512). The work split depends only on the shapes: results
// are bit-identical for any number of threads.
void prepacked_gemm(Isa isa, int64_t M, int64_t N, int64_t K, const float* A, bool trans_a, const PrepackedB& b,
                    float* Y, const GemmEpilogue& e);

}  // namespace n2d2::kernels::detail
