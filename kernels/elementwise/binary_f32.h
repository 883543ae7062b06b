// Float Add / Sub / Mul / Div on same-shape operands or with one scalar operand, vectorized
// (binary_f32.cpp: dispatch; binary_f32_avx2.cpp, binary_f32_avx512.cpp: the loops). One IEEE
// operation per element, as the reference: the same bits. Plain declarations only.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

enum class BinaryF32 { Add, Sub, Mul, Div };

// y[i] = a[i or 0] op b[i or 0] for i < n; a_step / b_step 1 (a tensor) or 0 (a scalar).
using BinaryF32Fn = void (*)(BinaryF32 op, const float* a, int64_t a_step, const float* b, int64_t b_step, float* y,
                             int64_t n);
void binary_f32_avx2(BinaryF32 op, const float* a, int64_t a_step, const float* b, int64_t b_step, float* y, int64_t n);
void binary_f32_avx512(BinaryF32 op, const float* a, int64_t a_step, const float* b, int64_t b_step, float* y,
                       int64_t n);

}  // namespace n2d2::kernels::detail
