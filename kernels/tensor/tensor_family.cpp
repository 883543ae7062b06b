#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

void register_tensor_kernels(KernelRegistry& r) {
  register_tensor_views(r);
  register_tensor_makers(r);
  register_tensor_movement(r);
  register_tensor_indexing(r);
}

}  // namespace n2d2::kernels
