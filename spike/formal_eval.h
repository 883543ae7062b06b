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

// A time-to-first-spike network (spike/ttfs.h) replayed in float with its rounding: the pixels
// become round(K v) / K, every non-output neuron layer passes on level / K, level =
// min(K, floor(K v / Threshold + 0.5)), 0 under the layer's cutoff level (K - k_last). Layers
// that are not TTFS are replayed as formal_eval_layers does.
std::vector<std::vector<float>> ttfs_eval_layers(const Network& net, std::span<const float> pixels);

// TtfsBiasCorrection: for each TTFS Conv / Fc layer in order, adds to its bias (per output
// channel, averaged over positions) the layer's response to the mean difference, over
// `images` (calibration images, images x net.input.size()), between its input in the formal
// network (as given, before any correction) and in the TTFS replay with the corrections so
// far: what the rounding and the cutoff take away on average is given back as a constant
// current. Returns the number of layers corrected.
std::size_t ttfs_correct_biases(Network& net, std::span<const float> images);

// The output layer's values for `images` (images x net.input.size(), HWC), in parallel over
// oneTBB (`threads` = 0: default); row i belongs to image i whatever the thread count.
std::vector<std::vector<float>> formal_eval_batch(const Network& net, std::span<const float> images,
                                                  int threads = 0);

}  // namespace n2d2::spike
