#include "hw/block.h"

#include <algorithm>

#include "graph/error.h"

namespace n2d2::hw {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
bool pow2(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

// Block RAM aspect ratios (width, depth) of one block in simple dual-port mode.
struct Aspect {
  int width, depth;
};
const std::vector<Aspect>& aspects(const Device& dev) {
  static const std::vector<Aspect> bram18 = {{1, 16384}, {2, 8192}, {4, 4096}, {9, 2048}, {18, 1024}, {36, 512}};
  static const std::vector<Aspect> m20k = {{1, 16384}, {2, 8192}, {4, 4096}, {10, 2048}, {20, 1024}, {40, 512}};
  return dev.bram_bits == 20480 ? m20k : bram18;
}

}  // namespace

Segmentation split_channels(int channels, int lanes) {
  Segmentation s;
  for (int o = 0; o < channels; o += lanes) s.push_back({o, std::min(lanes, channels - o)});
  return s;
}

int lanes_of(const Segmentation& s) {
  int m = 0;
  for (const Segment& g : s) m = std::max(m, g.size);
  return m;
}

int64_t line_buffer_pixels(const Layer& l) {
  if (l.kh == 1 && l.kw == 1 && l.sh == 1 && l.sw == 1) return 2;
  return int64_t{l.kh - 1 + l.sh} * l.in.w + l.kw;
}

int memory_blocks(int64_t bits, int64_t width, const Device& dev) {
  constexpr int64_t kLutRamBits = 2048;  // smaller memories go to LUT RAM / registers
  if (bits <= kLutRamBits || width <= 0) return 0;
  const auto& as = aspects(dev);
  const Aspect widest = as.back();
  int64_t depth = ceil_div(bits, width);  // words of `width` bits
  if (width >= widest.width) return static_cast<int>(ceil_div(width, widest.width) * ceil_div(depth, widest.depth));
  for (const Aspect& a : as)
    if (a.width >= width) return static_cast<int>(ceil_div(depth, a.depth));
  return static_cast<int>(ceil_div(depth, widest.depth));
}

int mac_dsps(const Layer& l, const Parallelism& p, const Device& dev, const BlockOptions& opt) {
  if (!l.has_mac()) return 0;
  if (l.in_bits + l.w_bits <= 8) return 0;  // tiny products are LUT multipliers
  bool pack = opt.int8_packing && dev.supports_int8_packing() && l.in_bits <= 8 && l.w_bits <= 8 && !l.is_depthwise();
  int rows = pack ? static_cast<int>(ceil_div(p.po, 2)) : p.po;
  return rows * p.pi * p.pk;
}

Segmentation output_segmentation(const Layer& l, const Parallelism& p, const std::vector<Segmentation>& inputs) {
  switch (l.kind) {
    case LayerKind::Conv:
    case LayerKind::Dense: return split_channels(l.out.c, p.po);
    case LayerKind::MaxPool:
    case LayerKind::Add: return inputs.at(0);
    case LayerKind::Concat: {
      Segmentation s;
      int off = 0;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        int ch = 0;
        for (const Segment& g : inputs[i]) {
          s.push_back({off + g.offset, g.size});
          ch = std::max(ch, g.offset + g.size);
        }
        off += ch;
      }
      return s;
    }
  }
  return {};
}

BlockCost block_cost(const Layer& l, const Parallelism& p, const std::vector<Segmentation>& inputs,
                     const Device& dev, const BlockOptions& opt) {
  BlockCost c;
  c.acc_bits = l.acc_bits();
  const int acc = c.acc_bits;
  const int64_t in_px = int64_t{l.in.h} * l.in.w, out_px = int64_t{l.out.h} * l.out.w;
  const int64_t in_beats_px = static_cast<int64_t>(inputs.at(0).size());
  auto requant = [&](int lanes) {
    c.requant_lanes = lanes;
    if (l.rescale == Rescale::FixedPoint) c.dsp_requant = lanes * (acc <= dev.mul_a_bits ? 1 : 2);
    c.lut += lanes * (acc + l.out_bits + 8);
    c.ff += lanes * l.out_bits;
  };
  switch (l.kind) {
    case LayerKind::Conv: {
      const bool dw = l.is_depthwise();
      const int64_t qo = ceil_div(l.out.c, p.po), qi = ceil_div(l.cin_per_group(), p.pi), qk = ceil_div(l.taps(), p.pk);
      c.compute_cycles = out_px * qo * qi * qk;
      c.in_beats = in_px * in_beats_px;
      c.out_beats = out_px * qo;
      c.mults = p.po * p.pi * p.pk;
      c.dsp_mac = mac_dsps(l, p, dev, opt);
      c.line_pixels = line_buffer_pixels(l);
      int64_t read_w = int64_t{dw ? p.po : p.pi} * p.pk * l.in_bits;
      int64_t write_w = int64_t{lanes_of(inputs[0])} * l.in_bits;
      c.bram_line = memory_blocks(c.line_pixels * l.in.c * l.in_bits, std::max(read_w, write_w), dev);
      if (qo * qi * qk > 1)
        c.bram_weights = memory_blocks(int64_t{l.out.c} * l.cin_per_group() * l.taps() * l.w_bits,
                                       int64_t{c.mults} * l.w_bits, dev);
      c.lut = 150 + p.po * (p.pi * p.pk - 1) * acc + p.po * acc;
      c.ff = 120 + c.mults * (l.in_bits + l.w_bits) + 2 * p.po * acc;
      if (l.in_bits + l.w_bits <= 8) c.lut += c.mults * l.in_bits * l.w_bits;
      requant(static_cast<int>(std::max<int64_t>(1, ceil_div(p.po, qi * qk))));
      break;
    }
    case LayerKind::Dense: {
      const int64_t k = l.in.size();
      const int64_t qo = ceil_div(l.out.c, p.po), qi = ceil_div(k, p.pi);
      c.compute_cycles = qo * qi;
      c.in_beats = in_px * in_beats_px;
      c.out_beats = qo;
      c.mults = p.po * p.pi;
      c.dsp_mac = mac_dsps(l, p, dev, opt);
      c.line_pixels = 2 * in_px;
      c.bram_line = memory_blocks(2 * k * l.in_bits, std::max<int64_t>(int64_t{p.pi} * l.in_bits, int64_t{lanes_of(inputs[0])} * l.in_bits), dev);
      if (qo * qi > 1) c.bram_weights = memory_blocks(int64_t{l.out.c} * k * l.w_bits, int64_t{c.mults} * l.w_bits, dev);
      c.lut = 150 + p.po * (p.pi - 1) * acc + p.po * acc;
      c.ff = 120 + c.mults * (l.in_bits + l.w_bits) + 2 * p.po * acc;
      if (l.in_bits + l.w_bits <= 8) c.lut += c.mults * l.in_bits * l.w_bits;
      requant(static_cast<int>(std::max<int64_t>(1, ceil_div(p.po, qi))));
      break;
    }
    case LayerKind::MaxPool: {
      const int lanes = lanes_of(inputs[0]);
      const int64_t qk = ceil_div(l.taps(), p.pk);
      c.compute_cycles = out_px * in_beats_px * qk;
      c.in_beats = in_px * in_beats_px;
      c.out_beats = out_px * in_beats_px;
      c.line_pixels = line_buffer_pixels(l);
      c.bram_line = memory_blocks(c.line_pixels * l.in.c * l.in_bits,
                                  std::max<int64_t>(int64_t{lanes} * p.pk * l.in_bits, int64_t{lanes} * l.in_bits), dev);
      c.lut = 100 + lanes * p.pk * l.in_bits + lanes * l.in_bits;
      c.ff = 80 + 2 * lanes * l.in_bits;
      break;
    }
    case LayerKind::Add: {
      const int lanes = lanes_of(inputs[0]);
      c.compute_cycles = c.in_beats = c.out_beats = in_px * in_beats_px;
      int muls = (pow2(l.a_mult) ? 0 : 1) + (pow2(l.b_mult) ? 0 : 1);
      c.dsp_mac = lanes * muls;
      c.lut = 60 + lanes * acc;
      c.ff = 40 + lanes * acc;
      requant(lanes);
      break;
    }
    case LayerKind::Concat: {
      int64_t beats = 0;
      for (const Segmentation& s : inputs) beats += static_cast<int64_t>(s.size());
      c.compute_cycles = c.in_beats = c.out_beats = in_px * beats;
      int lanes = 0;
      for (const Segmentation& s : inputs) lanes = std::max(lanes, lanes_of(s));
      c.lut = 40 + lanes * l.out_bits;
      c.ff = 20 + lanes * l.out_bits;
      break;
    }
  }
  c.cycles = std::max({c.compute_cycles, c.in_beats, c.out_beats});
  c.dsp = c.dsp_mac + c.dsp_requant;
  c.bram = c.bram_line + c.bram_weights;
  return c;
}

}  // namespace n2d2::hw
