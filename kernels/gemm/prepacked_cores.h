// Cores of the prepacked float GEMM (prepacked.cpp), one ISA each (prepacked_avx2.cpp,
// prepacked_avx512.cpp). Plain declarations only: the files defining them include nothing else of
// the project's, so no TBB or standard-library inline code is emitted under AVX flags.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

// Y[r * ldy + c] = sum_k A(r, k) * B(k, c) for r < rows, c < cols, with A(r, k) = A[r * a_rs +
// k * a_cs] read in place and B packed in panels of nr columns (kPackedNrAvx2 / kPackedNrAvx512,
// packed_cores.h): panel q at Bp + q * K * nr holds K groups of nr floats, zero-padded past the
// last column. Rows go in chunks of up to 6, each over 1 to 4 panels at once (a GEMV over 4
// panels when rows == 1); every element sums its K products in k order in one accumulator, so
// results do not depend on how rows and panels are grouped into chunks or tasks.
void prepacked_rows_f32_avx2(int64_t K, const float* A, int64_t a_rs, int64_t a_cs, int64_t rows, const float* Bp,
                             int64_t cols, float* Y, int64_t ldy);
void prepacked_rows_f32_avx512(int64_t K, const float* A, int64_t a_rs, int64_t a_cs, int64_t rows, const float* Bp,
                               int64_t cols, float* Y, int64_t ldy);

}  // namespace n2d2::kernels::detail
