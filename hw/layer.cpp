#include "hw/layer.h"

#include <bit>

#include "graph/error.h"

namespace n2d2::hw {

const char* kind_name(LayerKind k) {
  switch (k) {
    case LayerKind::Conv: return "conv";
    case LayerKind::Dense: return "dense";
    case LayerKind::MaxPool: return "maxpool";
    case LayerKind::Add: return "add";
    case LayerKind::Concat: return "concat";
  }
  return "?";
}

const char* rescale_name(Rescale r) {
  switch (r) {
    case Rescale::None: return "none";
    case Rescale::SingleShift: return "Single-shift";
    case Rescale::DoubleShift: return "Double-shift";
    case Rescale::FixedPoint: return "Fixed-point";
  }
  return "?";
}

int64_t Layer::macs() const {
  if (kind == LayerKind::Conv) return out.size() * cin_per_group() * taps();
  if (kind == LayerKind::Dense) return int64_t{out.c} * in.size();
  return 0;
}

int Layer::terms() const {
  if (kind == LayerKind::Conv) return cin_per_group() * taps() + 1;
  if (kind == LayerKind::Dense) return static_cast<int>(in.size()) + 1;
  return 2;
}

int Layer::acc_bits() const {
  // |x| < 2^(in_bits - signed), |w| < 2^(w_bits - 1): a product needs (in_bits - s) + (w_bits - 1)
  // magnitude bits; a sum of n of them ceil(log2 n) more, plus the sign bit.
  int mag = (in_bits - (in_signed ? 1 : 0)) + (w_bits - 1);
  if (kind == LayerKind::Add) mag = in_bits + 16;  // multipliers up to 16 bits
  int grow = static_cast<int>(std::bit_width(static_cast<unsigned>(terms() - 1)));
  return mag + grow + 1;
}

int64_t Network::macs() const {
  int64_t s = 0;
  for (const Layer& l : layers) s += l.macs();
  return s;
}

void validate(const Network& net) {
  if (net.layers.empty()) fail("network '", net.name, "' has no hardware layers");
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (l.inputs.empty()) fail("layer '", l.name, "' has no input");
    for (int p : l.inputs) {
      if (p != kNetworkInput && (p < 0 || p >= static_cast<int>(i)))
        fail("layer '", l.name, "' reads layer ", p, ", which does not come before it");
      Shape3 s = p == kNetworkInput ? net.input : net.layers[static_cast<std::size_t>(p)].out;
      if (l.kind != LayerKind::Concat && l.kind != LayerKind::Dense && !(s == l.in))
        fail("layer '", l.name, "': input shape ", s.c, "x", s.h, "x", s.w, " differs from ", l.in.c, "x", l.in.h, "x", l.in.w);
    }
    if (l.kind == LayerKind::Conv || l.kind == LayerKind::MaxPool) {
      int ho = (l.in.h + l.pad_t + l.pad_b - l.kh) / l.sh + 1, wo = (l.in.w + l.pad_l + l.pad_r - l.kw) / l.sw + 1;
      if (ho != l.out.h || wo != l.out.w) fail("layer '", l.name, "': output ", l.out.h, "x", l.out.w, " but the window gives ", ho, "x", wo);
      if (l.group < 1 || l.in.c % l.group || l.out.c % l.group) fail("layer '", l.name, "': group ", l.group, " does not divide the channels");
    }
    if (l.kind == LayerKind::Add && l.inputs.size() != 2) fail("layer '", l.name, "': add takes two inputs");
    if (l.has_mac() && (l.in_bits > 18 || l.w_bits > 18))
      fail("layer '", l.name, "': ", l.in_bits, "-bit inputs x ", l.w_bits, "-bit weights exceed the 18-bit DSP operands");
    if (l.acc_bits() > 48) fail("layer '", l.name, "': accumulator needs ", l.acc_bits(), " bits (DSP accumulators have 48)");
  }
  if (net.output < 0 || net.output >= static_cast<int>(net.layers.size())) fail("network '", net.name, "' has no output layer");
}

}  // namespace n2d2::hw
