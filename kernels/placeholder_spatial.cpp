// Placeholder: the spatial kernel family is empty until kernels/ defines register_spatial_kernels(); delete this file then.
#include "kernels/registry.h"

namespace n2d2::kernels {
void register_spatial_kernels(KernelRegistry&) {}
}  // namespace n2d2::kernels
