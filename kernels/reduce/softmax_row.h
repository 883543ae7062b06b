// The vectorized float Softmax / LogSoftmax row (softmax.cpp dispatches; softmax_row_avx2.cpp):
// one contiguous row of n floats. Max and the sum of exponentials in 8 float lanes (fixed order),
// exp by a range-reduced polynomial (about 2 ulp), the sum's log in double: within 1e-6 of the
// double-precision reference on probabilities. Plain declarations only.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

void softmax_row_f32_avx2(const float* x, float* y, int64_t n, bool log_softmax);

}  // namespace n2d2::kernels::detail
