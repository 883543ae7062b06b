// Registration of the nn family's kernels: one function per kernel file, all called by
// register_nn_kernels (nn_family.cpp) with optimized variants before the reference.
#pragma once

#include "kernels/registry.h"

namespace n2d2::kernels {

void register_depthwise_conv_kernels(KernelRegistry& r); // conv/depthwise.cpp: depthwise Conv per ISA
void register_packed_conv_kernels(KernelRegistry& r);    // conv/packed.cpp: Conv on packed weights per ISA
void register_fused_conv_kernels(KernelRegistry& r);     // conv/fused.cpp: ai.n2d2 FusedConv (optimized, then reference)
void register_conv_kernels(KernelRegistry& r);           // conv/reference.cpp: Conv
void register_conv_transpose_kernels(KernelRegistry& r); // conv/transpose_reference.cpp: ConvTranspose
void register_gemm_prepacked_kernels(KernelRegistry& r); // gemm/prepacked_kernels.cpp: Gemm, MatMul, FusedGemm on B packed once
void register_gemm_x86_kernels(KernelRegistry& r);       // gemm/x86.cpp: Gemm, MatMul on the AVX2/AVX-512 cores
void register_gemm_kernels(KernelRegistry& r);           // gemm/reference.cpp: Gemm, MatMul
void register_fused_gemm_kernels(KernelRegistry& r);     // gemm/fused_reference.cpp: ai.n2d2 FusedGemm (after the prepacked ones)
void register_pool_row_kernels(KernelRegistry& r);       // pool/rows.cpp: float MaxPool, GlobalAveragePool (before the reference)
void register_pool_kernels(KernelRegistry& r);           // pool/: Max/Average/Lp pooling, global pooling
void register_normalization_kernels(KernelRegistry& r);  // normalization/: BN, Instance/Layer norm, LRN, MVN

}  // namespace n2d2::kernels
