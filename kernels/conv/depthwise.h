// The depthwise float convolution (depthwise.cpp): one input channel per group (any channel
// multiplier), 1 or 2 spatial axes. Output planes are split into tasks of about 32 Ki
// multiply-adds; each input plane is copied once per task into a zero-padded buffer split by
// column stride phase (unit-stride reads for any stride), then every output row sums its taps
// with one ISA row kernel (micro.h).
#pragma once

#include "kernels/conv/epilogue.h"
#include "kernels/cpu/isa.h"
#include "kernels/kernel.h"

namespace n2d2::kernels::detail {

// "" when the node is a depthwise convolution this kernel runs, else why not.
std::string depthwise_conv_supports(const KernelQuery& q);

// Runs Conv (X, W[, B]) with the epilogue's residual/activation (bias from input 2).
Status run_depthwise_conv(const KernelContext& c, Isa isa, ConvEpilogue epilogue);

}  // namespace n2d2::kernels::detail
