#pragma once
// The formal (rate) network a spiking Network stands for, replayed in float: Conv/Fc compute
// W x + bias, Add sum_i input_scale[i] x_i, then ReLU (the IF neuron's non-linearity); MaxPool
// the window's max; Concat stacks channels. The output layer (Network::output) stays linear (its
// value is what a spike count, or the potential of a non-spiking output, approximates).
// Maps are HWC as in spike/network.h. Reference code, written for clarity with a sparse inner
// loop (zero inputs skipped), used for calibration, formal accuracy and tests.
#include "spike/network.h"

#include <span>
#include <vector>

namespace n2d2::spike {

// Every layer's output for one input (pixels in the network's HWC order).
std::vector<std::vector<float>> formal_eval_layers(const Network& net, std::span<const float> pixels);

// The output layer's values for one input.
std::vector<float> formal_eval(const Network& net, std::span<const float> pixels);

// The output layer's values for `images` (images x net.input.size(), HWC), in parallel over
// oneTBB (`threads` = 0: default); row i belongs to image i whatever the thread count.
std::vector<std::vector<float>> formal_eval_batch(const Network& net, std::span<const float> images,
                                                  int threads = 0);

}  // namespace n2d2::spike
