// The row step of the float MaxPool kernels (rows.cpp): y[i] = max(y[i], row[i * stride]) for
// i < n, as std::max(y[i], row[...]) (a NaN in row leaves y; a NaN in y stays). One definition per
// ISA: the portable loop in rows.cpp, AVX2 in max_row_avx2.cpp. Plain declarations only.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

using MaxRowF32 = void (*)(const float* row, int64_t stride, float* y, int64_t n);
void max_row_f32_avx2(const float* row, int64_t stride, float* y, int64_t n);

}  // namespace n2d2::kernels::detail
