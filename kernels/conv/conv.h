// Shared by the Conv and ConvTranspose reference kernels.
#pragma once

#include <string>
#include <vector>

#include "kernels/kernel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels::detail {

// The spatial kernel dims: kernel_shape, or W's dims after the first two.
std::vector<int64_t> conv_kernel_shape(const KernelContext& c);

// A forward convolution's sizes: window over 3 spatial axes, batch, channels, groups.
struct ConvGeometry {
  Spatial3 s;
  int64_t N = 0, C = 0, M = 0, G = 1, cin_g = 0, cout_g = 0;
};
// False for more than 3 spatial axes.
bool conv_geometry(const KernelContext& c, ConvGeometry& g);

// supports(): float32/float64 with 1 to 3 spatial axes.
std::string conv_supports(const KernelQuery& q);

}  // namespace n2d2::kernels::detail
