// The matrix product shared by Gemm, MatMul and pointwise Conv.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

// C[M,N] = op(A) * op(B), all row-major and contiguous; C is overwritten. A is [M,K], or [K,M]
// when trans_a; B is [K,N], or [N,K] when trans_b. Work is split into fixed tiles of C and every
// element of C sums its K products in a fixed order: results do not depend on the thread count.
// Instantiated for float, double, int32_t, int64_t, uint32_t and uint64_t.
template <class T>
void matmul(int64_t M, int64_t N, int64_t K, const T* A, bool trans_a, const T* B, bool trans_b, T* C);

}  // namespace n2d2::kernels::detail
