// The layer list of an integer graph (the ai.n2d2 ops written by `n2d2-flow quantize`):
//   Quantize                       the network input (its bits and sign)
//   QConv / QGemm -> Requantize    a conv / dense block (weights, bias, rescaling)
//   QAdd -> Requantize             a residual add block
//   MaxPool, Concat (axis 1)       pooling / concat blocks
//   Flatten, Reshape, Identity     no block (the dense block reads the stream in C,H,W order)
//   Dequantize                     the host side: its input is the network output
// Throws n2d2::Error naming the node for an op no block implements, a float network, a
// Floating-point rescaling, batch > 1 or several inputs/outputs.
#pragma once

#include "graph/graph.h"
#include "hw/layer.h"

namespace n2d2::hw {

Network network_from_graph(const graph::Graph& g);

// The float -> integer input conversion the network's Quantize node applies (scale, bits, sign).
struct InputQuantization {
  float scale = 1.f;
  int nbbits = 8;
  bool is_signed = false;
  std::string graph_input;  // name of the float graph input
};
InputQuantization input_quantization(const graph::Graph& g);

}  // namespace n2d2::hw
