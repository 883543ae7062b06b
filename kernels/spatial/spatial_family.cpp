#include "kernels/spatial/spatial_kernels.h"

namespace n2d2::kernels {

void register_spatial_kernels(KernelRegistry& r) {
  register_spatial_family_pad(r);
  register_spatial_family_resize(r);
  register_spatial_family_depth_space(r);
}

}  // namespace n2d2::kernels
