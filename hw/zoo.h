// Shape-only layer lists of reference networks for the estimator (no weights): the LeNet-style
// Fashion-MNIST network and a MobileNet-style 640x480 network like N2D2's MobileNet_DEMO.
#pragma once

#include <cstdint>

#include "hw/layer.h"

namespace n2d2::hw::zoo {

// conv5x5(6) -> maxpool2 -> conv5x5(16) -> maxpool2 -> dense(120) -> dense(84) -> dense(10), 8-bit.
Network lenet();
// MobileNet v1 with width multiplier `alpha` (x16 channels at the stem), 640x480x3, 8-bit,
// Single-shift rescaling, no classifier (a detector backbone).
Network mobilenet(int height = 480, int width = 640, double alpha = 0.5);

// Seeded random integer weights, biases and Single-shift rescaling for a shape-only network
// (for simulating the zoo networks).
void randomize(Network& net, uint64_t seed);

// Builders used by the above and by tests.
Layer conv(const Network& net, int input, int cout, int k, int stride, int pad, int group = 1);
Layer dense(const Network& net, int input, int n);
Layer maxpool(const Network& net, int input, int k, int stride);
int add(Network& net, Layer l);  // appends, returns its index, makes it the output

}  // namespace n2d2::hw::zoo
