// Pictures of a spiking run, drawn with OpenCV and written atomically as PNG: accuracy versus
// simulated time, and a raster plot (spike times per neuron, layer by layer) of one pattern.
#pragma once

#include <string>
#include <vector>

#include "spike/dense_sim.h"  // SpikeEvent

namespace n2d2::cli {

struct CurvePoint {
  double time_fs = 0;
  double accuracy = 0;  // percent
  double read_events_per_virtual_synapse = 0;
};

// Accuracy (left axis, %) versus simulated time (µs), with the formal accuracy as a dashed line.
void write_accuracy_curve_png(const std::vector<CurvePoint>& curve, double formal_accuracy, const std::string& path);

struct RasterBand {
  std::string name;     // layer alias ("input", "conv1", ...)
  uint64_t neurons = 0;
  std::vector<spike::SpikeEvent> spikes;  // neuron < neurons
};

// One horizontal band per layer (height by log of its size), a dot per spike (red: negative).
void write_raster_png(const std::vector<RasterBand>& bands, double duration_fs, const std::string& path);

}  // namespace n2d2::cli
