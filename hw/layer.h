// The layer list the hardware model works on: one entry per hardware block (convolution,
// depthwise/grouped convolution, fully connected, max pooling, residual add, concat), each
// with its shapes, bit widths, rescaling and (for simulation) its integer parameters.
// It is derived from the integer graph (hw/from_graph.h); tests build it directly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace n2d2::hw {

enum class LayerKind { Conv, Dense, MaxPool, Add, Concat };
const char* kind_name(LayerKind k);

// The rescaling applied between a block's accumulator and its output (the Requantize modes
// of the quantization; Floating-point has no hardware block).
enum class Rescale { None, SingleShift, DoubleShift, FixedPoint };
const char* rescale_name(Rescale r);

struct Shape3 {
  int c = 0, h = 1, w = 1;
  int64_t size() const { return int64_t{c} * h * w; }
  bool operator==(const Shape3&) const = default;
};

constexpr int kNetworkInput = -1;

struct Layer {
  std::string name;  // the graph node it comes from
  LayerKind kind = LayerKind::Conv;
  std::vector<int> inputs;  // producer layer indices, kNetworkInput for the network input
  Shape3 in, out;           // in: first input's shape
  int kh = 1, kw = 1, sh = 1, sw = 1, pad_t = 0, pad_l = 0, pad_b = 0, pad_r = 0, group = 1;
  int in_bits = 8, w_bits = 8, out_bits = 8;
  bool in_signed = false, out_signed = false;
  Rescale rescale = Rescale::SingleShift;
  // Integer parameters (used by simulation and VHDL; the estimator needs only the shapes).
  std::vector<int32_t> weights;  // Conv: [out.c][in.c/group][kh][kw]; Dense: [out.c][in.size()] (C,H,W order)
  std::vector<int32_t> bias;     // [out.c] or empty
  std::vector<int64_t> multiplier, shift, left;  // per channel, or one value for all
  int64_t a_mult = 1, b_mult = 1;                // Add: a_mult * A + b_mult * B

  int cin_per_group() const { return in.c / group; }
  int taps() const { return kh * kw; }
  int64_t macs() const;          // multiply-accumulates per frame (0 for pool/add/concat)
  int terms() const;             // products summed per output value (+1 for the bias)
  int acc_bits() const;          // accumulator width that never overflows
  bool has_mac() const { return kind == LayerKind::Conv || kind == LayerKind::Dense; }
  bool is_depthwise() const { return kind == LayerKind::Conv && group > 1 && group == in.c && group == out.c; }
};

struct Network {
  std::string name;
  Shape3 input;
  int input_bits = 8;
  bool input_signed = false;
  std::vector<Layer> layers;  // topological order
  int output = -1;            // the layer whose stream is the network output
  int64_t macs() const;
};

// Checks the shapes and links of a network; throws n2d2::Error naming the layer.
void validate(const Network& net);

}  // namespace n2d2::hw
