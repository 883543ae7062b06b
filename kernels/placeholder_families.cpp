// Empty kernel families, removed one by one as kernels/<family>/ folders define them.
#include "kernels/registry.h"

namespace n2d2::kernels {
void register_elementwise_kernels(KernelRegistry&) {}
void register_nn_kernels(KernelRegistry&) {}
void register_tensor_kernels(KernelRegistry&) {}
void register_reduce_kernels(KernelRegistry&) {}
}  // namespace n2d2::kernels
