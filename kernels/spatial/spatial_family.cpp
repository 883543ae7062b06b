#include "kernels/spatial/spatial_kernels.h"

namespace n2d2::kernels {

void register_spatial_kernels(KernelRegistry& r) {
  register_spatial_pad(r);
  register_spatial_resize(r);
  register_spatial_depth_space(r);
}

}  // namespace n2d2::kernels
