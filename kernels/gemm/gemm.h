// The matrix product shared by Gemm and MatMul: the reference core (every
// element type, transposed operands) and the float cores of the x86 variants (avx2.cpp,
// avx512.cpp), called only when kernels/cpu/isa.h allows them.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

// Reference: C[M,N] = op(A) * op(B), all row-major and contiguous; C is overwritten. A is
// [M,K], or [K,M] when trans_a; B is [K,N], or [N,K] when trans_b. Every element of C sums its K
// products in a fixed order. Instantiated for float, double, int32_t, int64_t, uint32_t, uint64_t.
template <class T>
void matmul(int64_t M, int64_t N, int64_t K, const T* A, bool trans_a, const T* B, bool trans_b, T* C);

// The reference on row-major A [M,K] and B [K,N].
template <class T>
void matmul_rowmajor(int64_t M, int64_t N, int64_t K, const T* A, const T* B, T* C) {
  matmul<T>(M, N, K, A, false, B, false, C);
}

// Float cores on row-major A [M,K] and B [K,N] (C overwritten, same tiles as the reference,
// kernels/gemm/tiles.h); their per-tile bodies are in avx2.cpp / avx512.cpp (tile_cores.h).
using MatmulF32 = void (*)(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);
void matmul_f32_avx2(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);
void matmul_f32_avx512(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);
// Packed GEMM (packed.cpp): A and B packed into panels, 12x32 (AVX-512) or 6x16 (AVX2) register
// micro-kernels; for products large enough to repay the packing.
void matmul_f32_packed_avx2(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);
void matmul_f32_packed_avx512(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);
// The packed core for products large enough to repay the packing, else the plain tiles
// (matrix_product.cpp): the cores of the x86 Gemm / MatMul kernels (x86.cpp).
void matmul_f32_best_avx2(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);
void matmul_f32_best_avx512(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);

}  // namespace n2d2::kernels::detail
