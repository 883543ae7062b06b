// What the vector QAddRequantize kernels (qeltwise_avx2.cpp, qeltwise_avx512.cpp) share: the
// planes of the inputs' shape, the per-channel Requantize parameters as a PanelEpilogue, the
// multipliers, and the reference arithmetic for the tail of a plane.
#pragma once

#include <cstdint>

#include "kernels/kernel.h"
#include "kernels/quant/panel.h"

namespace n2d2::kernels::detail {

struct QAddPlanes {
  int64_t channels = 1, planes = 1, inner = 1;  // N * C planes of `inner` values
  int64_t per = 1;                              // 0: per-tensor parameters (channel 0 everywhere)
  int64_t ma = 0, mb = 0;                       // a_multiplier, b_multiplier
  PanelEpilogueData d;
  int64_t channel(int64_t plane) const { return per * (plane % channels); }
  // The reference result of a * ma + b * mb for channel m (the tail of a plane). Out of line, in a
  // file compiled without ISA flags: an inline copy emitted by an AVX-512 file could be the one
  // the linker keeps for every caller.
  uint8_t scalar(int64_t a, int64_t b, int64_t m) const;
};

// Fills p from the node and input 0's shape (requantize.cpp).
void qadd_planes(const KernelContext& c, QAddPlanes& p);

}  // namespace n2d2::kernels::detail
