// The ai.n2d2 integer kernels: reference ones (reference.cpp, the truth, every integer type) and
// the x86 QConv/QGemm ones (x86.cpp: uint8/int8 activations x int8 weights on the AVX2 or
// AVX-512 VNNI cores of quant_cores.h, bit-exact with the reference).
#pragma once

#include <string>

#include "kernels/cpu/isa.h"
#include "kernels/quant/quant_cores.h"
#include "kernels/registry.h"

namespace n2d2::kernels {

void register_qconv_panel_kernels(KernelRegistry& r);  // qconv_panel.cpp: QConv, QConvRequantize (before the reference)
void register_quant_eltwise_kernels(KernelRegistry& r);  // qeltwise.cpp: QAddRequantize (AVX-512, AVX2), Quantize (AVX-512)
void register_maxpool_int8_kernels(KernelRegistry& r);  // maxpool_int8.cpp (before the pool kernels)
void register_qglobal_sum_pool_kernels(KernelRegistry& r);  // qglobal_sum_pool.cpp: 8-bit planes (SSE2)
void register_quant_x86_kernels(KernelRegistry& r);  // x86.cpp: QGemm (before the reference)
void register_requantize_kernels(KernelRegistry& r);  // requantize.cpp: typed per-plane Requantize (before the reference)
void register_quant_ref_kernels(KernelRegistry& r);  // reference.cpp

namespace detail {
// AVX-512F/BW/VL with AVX512_VNNI (CPUID leaf 7 ecx bit 11), capped by N2D2_MAX_ISA like
// require_isa(Isa::Avx512): "" when allowed, else the reason.
std::string require_avx512_vnni();
// The best allowed core: VNNI, AVX2, else the reference core.
QDotCore best_qdot_core();
// supports() of the vector QAddRequantize kernels (requantize.cpp): `isa` allowed, 8-bit inputs
// and output of one shape, multipliers below 2^22 (int32 sums cannot saturate).
std::string qadd_requantize_fast_supports(const KernelQuery& q, Isa isa);
// The vector element-wise kernels (qeltwise_avx512.cpp, qeltwise_avx2.cpp; registered by qeltwise.cpp).
// quant_semantics.h's quantize of one value to 8-bit storage, out of line (requantize.cpp) for the
// ISA files' tails: an inline copy compiled there could be the one the linker keeps for all callers.
uint8_t quantize_one(float x, float scale, int nbbits, bool is_signed);
Status qadd_requantize_avx512(const KernelContext& c);
Status quantize_avx512(const KernelContext& c);
Status qadd_requantize_avx2(const KernelContext& c);
Status quantize_avx2(const KernelContext& c);
}  // namespace detail

}  // namespace n2d2::kernels
