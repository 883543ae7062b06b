// Runs frames through both the integer graph (the reference kernels, node by node) and the
// SystemC model of its mapping, and compares the outputs bit for bit.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"
#include "hw/allocator.h"
#include "hw/systemc/simulate.h"

namespace n2d2::hw {

struct Verification {
  SimResult sim;
  int64_t images = 0;
  int64_t mismatched_images = 0;
  std::string first_mismatch;  // "image 3, output 17: systemc 5 (0.25) vs reference 0.3"
  bool bit_exact() const { return images > 0 && mismatched_images == 0; }
};

// The graph's outputs for one input, by the reference kernels in topological order.
std::vector<Tensor> run_reference(const graph::Graph& g, const Tensor& input);

// `images`: float32 [N, C, H, W] (the graph input, before its Quantize). `progress` is called
// with a line now and then (may be empty).
Verification verify(const graph::Graph& g, const Network& net, const Mapping& map, const Tensor& images);

}  // namespace n2d2::hw
