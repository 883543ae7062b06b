// Micro-kernels of the packed float GEMM (packed.cpp), one ISA each (packed_avx2.cpp,
// packed_avx512.cpp). Plain declarations only: the files defining them include nothing else of
// the project's, so no TBB or standard-library inline code is emitted under AVX flags.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

// C[0:rows, 0:cols] (row stride ldc) = (accumulate ? C : 0) + Ap * Bp over k < K, where Ap holds
// K groups of MR floats (one per row, zero-padded) and Bp K groups of NR floats (one per column,
// zero-padded). Every element sums its K products in k order, then adds C: a fixed order.
constexpr int kPackedMrAvx512 = 12, kPackedNrAvx512 = 32;
constexpr int kPackedMrAvx2 = 6, kPackedNrAvx2 = 16;
void packed_micro_f32_avx512(int64_t K, const float* Ap, const float* Bp, float* C, int64_t ldc, int64_t rows,
                             int64_t cols, bool accumulate);
void packed_micro_f32_avx2(int64_t K, const float* Ap, const float* Bp, float* C, int64_t ldc, int64_t rows,
                           int64_t cols, bool accumulate);

}  // namespace n2d2::kernels::detail
