// The output-row step of the float MaxPool kernels (rows.cpp): y[i] = the maximum, from the lowest
// float, over taps (a, b) < (kh, kw) of base[a dh ld + b dw + i stride], taken in (a, b) order as
// std::max(y[i], ...) (a NaN tap leaves y; a NaN in y stays). One definition per ISA: the
// portable loop in rows.cpp, AVX2 in max_row_avx2.cpp. Plain declarations only.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

using MaxWindowRowF32 = void (*)(const float* base, int64_t ld, int64_t stride, int64_t kh, int64_t kw, int64_t dh,
                                 int64_t dw, float* y, int64_t n);
void max_window_row_f32_avx2(const float* base, int64_t ld, int64_t stride, int64_t kh, int64_t kw, int64_t dh, int64_t dw,
                             float* y, int64_t n);

}  // namespace n2d2::kernels::detail
