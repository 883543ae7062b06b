// The matrix-product cores shared by Gemm, MatMul and the 1x1 convolution:
// C[M,N] = A[M,K] * B[K,N], all row-major and contiguous (C is overwritten). Every core splits C
// into the same fixed tiles (kTileRows x kTileCols), one task each, and sums over k in increasing
// order for each element: results do not depend on the thread count.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

constexpr int64_t kTileRows = 8, kTileCols = 256;

template <class T>
void matmul_rowmajor(int64_t M, int64_t N, int64_t K, const T* A, const T* B, T* C);  // reference

void matmul_f32_avx2(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);    // avx2.cpp
void matmul_f32_avx512(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);  // avx512.cpp

// The fastest float core allowed by max_isa().
using MatmulF32 = void (*)(int64_t, int64_t, int64_t, const float*, const float*, float*);
MatmulF32 best_matmul_f32();

// Calls f(i0, i1, j0, j1) for each tile of C, in parallel.
template <class F>
void for_each_tile(int64_t M, int64_t N, F&& f);

}  // namespace n2d2::kernels::detail

#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

template <class F>
void for_each_tile(int64_t M, int64_t N, F&& f) {
  int64_t row_tiles = (M + kTileRows - 1) / kTileRows, col_tiles = (N + kTileCols - 1) / kTileCols;
  parallel_for(row_tiles * col_tiles, 1, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      int64_t i0 = (t / col_tiles) * kTileRows, j0 = (t % col_tiles) * kTileCols;
      f(i0, i0 + kTileRows < M ? i0 + kTileRows : M, j0, j0 + kTileCols < N ? j0 + kTileCols : N);
    }
  });
}

}  // namespace n2d2::kernels::detail
