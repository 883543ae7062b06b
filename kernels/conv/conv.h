// Shared by the Conv and ConvTranspose reference kernels.
#pragma once

#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace n2d2::kernels::detail {

// The spatial kernel dims: kernel_shape, or W's dims after the first two.
std::vector<int64_t> conv_kernel_shape(const KernelContext& c);

// The reference Conv kernel (reference.cpp), for the fused op's reference.
Status conv_reference(const KernelContext& c);

// supports(): float32/float64 with 1 to 3 spatial axes.
std::string conv_supports(const KernelQuery& q);

}  // namespace n2d2::kernels::detail
