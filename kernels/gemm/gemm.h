// The matrix-product core shared by Gemm and MatMul.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

// C[M,N] = A[M,K] * B[K,N], all row-major and contiguous (C is overwritten). Work is split into
// fixed tiles of C; each element sums over k in increasing order.
template <class T>
void matmul_rowmajor(int64_t M, int64_t N, int64_t K, const T* A, const T* B, T* C);

}  // namespace n2d2::kernels::detail
