// Integer dot-product cores of the ai.n2d2 QConv/QGemm kernels. Included by the ISA-specific
// files (avx2.cpp, vnni.cpp): nothing here but <cstdint>.
//
// Contract of every core: for m in [0, M), p in [0, P)
//   C[m * ldm + p * ldp] = sum_{k < Kp} A[m * Kp + k] * B[p * Kp + k]
// with A int8, B uint8, Kp a multiple of kCoreKStep, and no partial sum leaving int32 (callers
// guarantee Kp * 255 * 128 < 2^31). Integer sums are exact, so every core gives the same bits.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

constexpr int64_t kCoreKStep = 64;
// The largest K for which K * 255 * 128 stays below 2^31.
constexpr int64_t kCoreMaxK = 65792;

using QDotCore = void (*)(int64_t M, int64_t P, int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm,
                          int64_t ldp);

void qdot_u8s8_ref(int64_t M, int64_t P, int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm, int64_t ldp);
void qdot_u8s8_avx2(int64_t M, int64_t P, int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm, int64_t ldp);
void qdot_u8s8_vnni(int64_t M, int64_t P, int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm, int64_t ldp);

}  // namespace n2d2::kernels::detail
