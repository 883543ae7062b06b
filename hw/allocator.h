// The allocator and analytic estimator. Given a layer list, a device and budgets, it picks per
// layer the parallelism (output channels x input channels x taps) that meets a target initiation
// interval T with the fewest DSPs, widens producers whose consumers would otherwise wait for
// input beats, aligns the two inputs of each residual Add, and searches the smallest T whose
// total fits the DSP, BRAM and LUT budgets: a balanced pipeline whose FPS is clock / slowest
// layer's cycles per frame. It then sizes the FIFOs (residual and concat skew) and estimates the
// latency.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/block.h"
#include "hw/device.h"
#include "hw/layer.h"

namespace n2d2::hw {

struct Budget {
  int dsp = 0, bram = 0, lut = 0;  // 0: the device's
};

struct MapOptions {
  double clock_mhz = 200;
  Budget budget;
  BlockOptions block;
};

struct LayerMap {
  Parallelism par;
  std::vector<Segmentation> in_segs;  // per input
  Segmentation out_seg;
  BlockCost cost;
  std::vector<int> fifo_depth;        // per input FIFO (beats)
  int64_t first_out = 0;              // estimated cycle of its first output beat (frame start = 0)
};

struct Mapping {
  Device device;
  MapOptions options;
  std::vector<LayerMap> layers;
  int64_t cycles_per_frame = 0;  // slowest layer's initiation interval
  int bottleneck = -1;
  int dsp = 0, bram = 0, lut = 0, ff = 0;
  int64_t latency_cycles = 0;    // first input beat to last output beat of a frame
  int64_t macs = 0;
  double fps() const { return options.clock_mhz * 1e6 / static_cast<double>(cycles_per_frame); }
  double latency_us() const { return static_cast<double>(latency_cycles) / options.clock_mhz; }
  double mac_per_dsp_cycle() const;  // MACs / (DSP x cycles per frame)
};

// The network input's stream: one beat per pixel carrying all its channels.
Segmentation input_segmentation(const Network& net);

// Costs, FIFOs and latency of a given per-layer parallelism (no budget check).
Mapping evaluate(const Network& net, const Device& dev, const std::vector<Parallelism>& par, const MapOptions& opt);

// The fastest mapping within the budgets. Throws n2d2::Error when no mapping fits, naming the
// resource and the least the network needs.
Mapping allocate(const Network& net, const Device& dev, const MapOptions& opt);

}  // namespace n2d2::hw
