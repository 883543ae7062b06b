#include "kernels/reduce/reduce_kernels.h"

namespace n2d2::kernels {

void register_reduce_kernels(KernelRegistry& r) {
  register_reduce_family_reductions(r);
  register_reduce_family_softmax(r);
  register_reduce_family_cumsum(r);
}

}  // namespace n2d2::kernels
