// Approximation of an activation scaling factor alpha (accumulator scale / output scale) by
// N2D2's -act-rescaling-mode, with its fallbacks: Single-shift and Double-shift allow only right
// shifts, so alpha >= 1 falls back to Fixed-point16 for that layer (channel), reported.
#pragma once

#include <string>

#include "graph/ops/quant_semantics.h"

namespace n2d2::quant {

enum class RescalingMode { FloatingPoint, FixedPoint16, FixedPoint32, SingleShift, DoubleShift };
// "Floating-point", "Fixed-point16", "Fixed-point32", "Single-shift", "Double-shift".
RescalingMode parse_rescaling_mode(const std::string& name);
const char* rescaling_mode_name(RescalingMode m);

struct ScaleApprox {
  RescalingMode mode;      // the mode used (the fallback when `fallback`)
  Rescaling op_mode;       // the Requantize mode it maps to
  RescaleParams params;
  double value = 0;        // the factor the integer arithmetic applies
  double rel_error = 0;    // |value - alpha| / alpha
  bool fallback = false;   // alpha >= 1 with a shift-only mode
};

// Throws n2d2::Error for alpha not finite and positive.
ScaleApprox approximate_scale(double alpha, RescalingMode mode);

// For Single-shift / Double-shift and 0 < alpha < 1: the smallest factor >= alpha the mode
// represents exactly (2^-s, or (2^l + 1) 2^-s); alpha itself otherwise. The quantizer enlarges a
// channel's weight step to it, so per-channel shifts carry no approximation error.
double shift_ceiling(double alpha, RescalingMode mode);

}  // namespace n2d2::quant
