#include "kernels/nn_family.h"

namespace n2d2::kernels {

// Optimized variants first: the first kernel whose supports() accepts a node runs.
void register_nn_kernels(KernelRegistry& r) {
  register_depthwise_conv_kernels(r);
  register_packed_conv_kernels(r);
  register_conv_kernels(r);
  register_fused_conv_kernels(r);
  register_conv_transpose_kernels(r);
  register_gemm_prepacked_kernels(r);
  register_gemm_x86_kernels(r);
  register_gemm_kernels(r);
  register_fused_gemm_kernels(r);
  register_pool_row_kernels(r);
  register_pool_kernels(r);
  register_normalization_kernels(r);
}

}  // namespace n2d2::kernels
