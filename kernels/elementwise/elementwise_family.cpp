#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

void register_elementwise_kernels(KernelRegistry& r) {
  register_elementwise_binary(r);
  register_elementwise_unary(r);
  register_elementwise_cast(r);
}

}  // namespace n2d2::kernels
