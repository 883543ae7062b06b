// Shared by the Conv and ConvTranspose reference kernels.
#pragma once

#include <string>
#include <vector>

#include "kernels/gemm/gemm.h"
#include "kernels/kernel.h"

namespace n2d2::kernels::detail {

// The spatial kernel dims: kernel_shape, or W's dims after the first two.
std::vector<int64_t> conv_kernel_shape(const KernelContext& c);

// supports(): float32/float64 with 1 to 3 spatial axes.
std::string conv_supports(const KernelQuery& q);

// The im2col float convolution (conv/im2col.cpp) on a given GEMM core, for the ISA tests.
Status conv_f32_im2col_with(const KernelContext& c, MatmulF32 core);

}  // namespace n2d2::kernels::detail
