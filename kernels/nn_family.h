// Registration of the nn family's kernels: one function per folder.
#pragma once

#include "kernels/registry.h"

namespace n2d2::kernels {

void register_pointwise_conv_kernels(KernelRegistry& r); // conv/pointwise.cpp: 1x1 Conv as GEMM (before the reference)
void register_conv_kernels(KernelRegistry& r);           // conv/reference.cpp: Conv, ConvTranspose
void register_gemm_kernels(KernelRegistry& r);           // gemm/: Gemm, MatMul
void register_pool_kernels(KernelRegistry& r);           // pool/: Max/Average/Lp pooling, global pooling
void register_normalization_kernels(KernelRegistry& r);  // normalization/: BN, Instance/Layer norm, LRN, MVN

}  // namespace n2d2::kernels
