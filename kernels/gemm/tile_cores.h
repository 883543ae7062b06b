// Per-tile float matrix-product bodies compiled for one ISA each (avx2.cpp, avx512.cpp). Plain
// declarations only: the files defining them include nothing else of the project's.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

// C[i0:i1, j0:j1] = A[i0:i1, :] * B[:, j0:j1] for row-major A [M,K], B [K,N], C [M,N].
void matmul_tile_f32_avx2(int64_t i0, int64_t i1, int64_t j0, int64_t j1, int64_t N, int64_t K, const float* A,
                          const float* B, float* C);
void matmul_tile_f32_avx512(int64_t i0, int64_t i1, int64_t j0, int64_t j1, int64_t N, int64_t K, const float* A,
                            const float* B, float* C);

}  // namespace n2d2::kernels::detail
