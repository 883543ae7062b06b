// The Gemm and MatMul kernel bodies (gemm/reference.cpp), run over a matrix product: the
// reference kernels pass detail::matmul<T>, the x86 variants (gemm/x86.cpp) a float core. Kept
// apart from gemm.h, which the ISA-specific files include.
#pragma once

#include "kernels/gemm/gemm.h"
#include "kernels/kernel.h"

namespace n2d2::kernels::detail {

// A product with matmul's contract (gemm.h).
template <class T>
using Product = void (*)(int64_t M, int64_t N, int64_t K, const T* A, bool trans_a, const T* B, bool trans_b, T* C);

// Gemm: Y = alpha * op(A) * op(B) + beta * C. Both bodies are explicitly instantiated for float in
// gemm/reference.cpp, for the x86 variants.
template <class T>
Status run_gemm(const KernelContext& c, Product<T> product);
// MatMul: numpy matmul (1-D promotion, batch broadcasting).
template <class T>
Status run_matmul(const KernelContext& c, Product<T> product);

}  // namespace n2d2::kernels::detail
