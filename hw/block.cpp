#include "hw/block.h"

#include <algorithm>
#include <bit>

#include "graph/error.h"

namespace n2d2::hw {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Block RAM aspect ratios (width, depth) of one block in simple dual-port mode.
struct Aspect {
  int width, depth;
};
const std::vector<Aspect>& aspects(const Device& dev) {
  static const std::vector<Aspect> bram18 = {{1, 16384}, {2, 8192}, {4, 4096}, {9, 2048}, {18, 1024}, {36, 512}};
  static const std::vector<Aspect> m20k = {{1, 16384}, {2, 8192}, {4, 4096}, {10, 2048}, {20, 1024}, {40, 512}};
  return dev.bram_bits == 20480 ? m20k : bram18;
}

int ceil_log2(int64_t v) {
  int r = 0;
  while ((int64_t{1} << r) < v) ++r;
  return r;
}

// LUT6s of an n:1 multiplexer per bit (a LUT6 is a 4:1 mux; MUXF7/F8 join them).
int64_t mux_luts(int64_t n) { return n <= 1 ? 0 : ceil_div(n, 4); }

// Non-zero digits of m's non-adjacent form (m = sum of +-2^k): the terms of a shift-and-add
// constant multiplier.
int naf_terms(int64_t m) {
  int n = 0;
  while (m != 0) {
    if (m & 1) m -= 2 - (m & 3), ++n;  // m & 3: m mod 4, also for negative m
    m /= 2;
  }
  return n;
}

// Weights of the LUT / FF features per block kind, fitted to yosys 0.23 synth_xilinx -family xc7
// on GHDL 2.0 --synth netlists of exporters/vhdl by `scripts/hw_calibrate.py fit --power 1
// --free-lutram` (2026-12-03): non-negative least squares of the relative errors, pulled towards
// the physical weight 1 (ridge 0.3; the per-block constant and the counts of multipliers, ports,
// block-RAM bits and counter bits towards 0), on the 57 layers of its sweep networks a-j
// (docs/hw.md, "Estimator vs yosys"; leave-one-network-out error there); LeNet's 7 layers were
// kept out of the fit to check it. Register bits are counted, not fitted (weight 1); the FF fit
// only sets the per-block constant.
enum CoefKind { kCoefConv, kCoefPool, kCoefDense, kNumCoefKinds };
// features: LutRam ReadMux TapAddr Adder Select Rom Requant BufWrite Mults Ports BramOut Ctrl Block
constexpr double kLutCoef[kNumCoefKinds][kNumLutFeatures] = {
    {1.405, 0.0, 2.789, 1.485, 0.0, 2.174, 1.555, 0.0, 5.267, 0.0, 0.0, 0.0, 16.342},  // conv / depthwise (n2d2_window), 13 layers
    {2.022, 0.0, 0.225, 2.260, 1.043, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.235, 0.0},        // max pooling (n2d2_window), 11 layers
    {0.400, 3.738, 0.0, 1.903, 0.0, 1.871, 0.572, 1.163, 10.221, 0.482, 2.508, 0.0, 38.203},  // dense (n2d2_dense), 33 layers
};
// features: Acc WeightReg Requant Buffer Block
constexpr double kFfCoef[kNumCoefKinds][kNumFfFeatures] = {
    {1.0, 1.0, 1.0, 1.0, 31.332},
    {1.0, 1.0, 1.0, 1.0, 27.936},
    {1.0, 1.0, 1.0, 1.0, 46.374},
};

void apply_coefficients(BlockCost& c, CoefKind k) {
  double lut = 0, ff = 0;
  for (int f = 0; f < kNumLutFeatures; ++f) lut += kLutCoef[k][f] * c.lut_features[f];
  for (int f = 0; f < kNumFfFeatures; ++f) ff += kFfCoef[k][f] * c.ff_features[f];
  c.lut += static_cast<int>(lut + 0.5);
  c.ff += static_cast<int>(ff + 0.5);
}

// LUTs of a weight ROM of `words` x `wbits` built from logic: a LUT6 per output bit and 64 words
// (random weights); with one address bit a bit is 0, 1, a or not a (a LUT for one in four); with
// two, at most the 16 functions of two bits.
double rom_logic_luts(int64_t words, int64_t wbits, int bram) {
  if (bram > 0 || words <= 1) return 0;
  if (words == 2) return static_cast<double>(wbits) / 4;
  if (words <= 4) return static_cast<double>(std::min<int64_t>(wbits, 16));
  return static_cast<double>(wbits * ceil_div(words, 64));
}

}  // namespace

const char* const kLutFeatureNames[kNumLutFeatures] = {"lutram", "read_mux", "tap_addr", "adder", "select", "rom", "requant",
                                                        "buf_write", "mults", "ports", "bram_out", "ctrl", "block"};
const char* const kFfFeatureNames[kNumFfFeatures] = {"acc", "weight_reg", "requant", "buffer", "block"};

int rom_blocks(int64_t words, int64_t width, const Device& dev) {
  if (words <= 1 || width <= 0) return 0;
  const auto& as = aspects(dev);
  const Aspect widest = as.back();
  int64_t blocks = 0;
  if (width >= widest.width) blocks = ceil_div(width, widest.width) * ceil_div(words, widest.depth);
  else
    for (const Aspect& a : as)
      if (a.width >= width) {
        blocks = ceil_div(words, a.depth);
        break;
      }
  constexpr int64_t kLogicBitsPerBlockCost = 64, kBlockCost = 129;  // yosys memory_libmap / brams_xc4v.txt
  return words * width > kLogicBitsPerBlockCost * kBlockCost * blocks ? static_cast<int>(blocks) : 0;
}

int lutram_luts(int64_t depth, int64_t width, int read_ports) {
  // (depth, width, cost, read ports) per primitive configuration, lutrams_xc5v.txt
  struct Cfg {
    int64_t depth, width, cost, ports;
  };
  static constexpr Cfg kCfgs[] = {{32, 6, 8, 1}, {64, 3, 8, 1}, {32, 2, 7, 3}, {64, 1, 7, 3}};
  int64_t best_cost = -1, best_units = 0;
  for (const Cfg& g : kCfgs) {
    int64_t units = ceil_div(depth, g.depth) * ceil_div(width, g.width) * ceil_div(read_ports, g.ports);
    if (best_cost < 0 || units * g.cost < best_cost) best_cost = units * g.cost, best_units = units;
  }
  return static_cast<int>(4 * best_units);
}

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
  // (kh - 1 + sh) rows for the current window and the next output row's new rows, plus the first
  // (kh - pad_t) rows of the next frame, so that a producer can run ahead across the frame
  // boundary instead of the window engine waiting for the next frame's first window.
  return int64_t{l.kh - 1 + l.sh + std::max(0, l.kh - l.pad_t - l.sh)} * l.in.w + l.kw;
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
  // `lanes` rescalers for `po` accumulators: the rounding shift and saturation of an at least
  // 32-bit intermediate each; shared (lanes < po): the accumulators held, the results collected.
  auto requant = [&](int lanes, int po) {
    c.requant_lanes = lanes;
    if (l.rescale == Rescale::FixedPoint) c.dsp_requant = lanes * (acc <= dev.mul_a_bits ? 1 : 2);
    c.lut_features[kLutRequant] = static_cast<double>(lanes * (std::max(acc, 32) + l.out_bits) + (lanes < po ? po * acc : 0));
    const int nl = static_cast<int>(ceil_div(po, lanes)) * lanes;
    if (lanes < po) c.ff_features[kFfRequant] = static_cast<double>(nl * acc + 2 * nl * l.out_bits);
  };
  // The MAC array of c.mults multipliers (conv and dense): `words` weight words of c.mults
  // weights in a ROM (block RAM where yosys puts it, else logic read one step ahead into a
  // register), the adder tree into po accumulators.
  auto mac_array = [&](int64_t words) {
    const int64_t wbits = int64_t{c.mults} * l.w_bits;
    c.bram_weights = opt.bram_line_buffers ? (words > 1 ? memory_blocks(words * wbits, wbits, dev) : 0) : rom_blocks(words, wbits, dev);
    double* lf = c.lut_features;
    lf[kLutAdder] = static_cast<double>(int64_t{c.mults} * acc);
    if (l.in_bits + l.w_bits <= 8) lf[kLutAdder] += c.mults * l.in_bits * l.w_bits;  // LUT multipliers
    lf[kLutRom] = rom_logic_luts(words, wbits, c.bram_weights);
    lf[kLutMults] = c.mults;
    if (c.bram_weights > 0) lf[kLutBramOut] = static_cast<double>(wbits);
    c.ff_features[kFfAcc] = static_cast<double>(int64_t{p.po} * acc);
    if (c.bram_weights == 0 && words > 4) c.ff_features[kFfWeightReg] = static_cast<double>(wbits);
  };
  switch (l.kind) {
    case LayerKind::Conv:
    case LayerKind::MaxPool: {
      // n2d2_window: one LUT RAM per input beat (SLOTS pixels x the beat's lanes, PK asynchronous
      // read ports), PK taps x (PI input channels | the lanes) selected from the pixel read, a
      // MAC array (adder tree into PO accumulators) or PK comparators per lane, the weight ROM
      // (block RAM or logic, read one cycle ahead into a register), shared rescalers.
      const bool pool = l.kind == LayerKind::MaxPool, dw = l.is_depthwise();
      const int in_lanes = lanes_of(inputs[0]), xb = l.in_bits + 1;
      const int lanes = pool ? in_lanes : p.po;
      const int64_t qo = pool ? in_beats_px : ceil_div(l.out.c, p.po);
      const int64_t qi = pool ? 1 : ceil_div(l.cin_per_group(), p.pi), qk = ceil_div(l.taps(), p.pk);
      c.compute_cycles = out_px * qo * qi * qk;
      c.in_beats = in_px * in_beats_px;
      c.out_beats = out_px * qo;
      c.line_pixels = line_buffer_pixels(l);
      const int64_t slots = int64_t{1} << std::max(1, ceil_log2(c.line_pixels));
      const int64_t beat_w = int64_t{in_lanes} * l.in_bits;
      double* lf = c.lut_features;
      if (opt.bram_line_buffers) {
        const int64_t read_w = int64_t{pool ? lanes : dw ? p.po : p.pi} * p.pk * l.in_bits;
        c.bram_line = memory_blocks(c.line_pixels * l.in.c * l.in_bits, std::max(read_w, beat_w), dev);
      } else {
        lf[kLutRam] = static_cast<double>(in_beats_px) * lutram_luts(slots, beat_w, p.pk);
        lf[kLutReadMux] = static_cast<double>(in_beats_px * p.pk * beat_w * mux_luts(ceil_div(slots, 64)));
      }
      // per tap: its slot (base + a table offset, AB bits) and whether it lies inside the input
      lf[kLutTapAddr] = static_cast<double>(int64_t{p.pk} * 2 * ceil_log2(slots));
      const int sel_lanes = pool || dw ? lanes : p.pi;
      const int64_t choices = pool || dw ? qo : qi;
      lf[kLutSelect] = static_cast<double>(int64_t{p.pk} * sel_lanes * xb * (1 + mux_luts(choices)));
      lf[kLutBlock] = 1;
      lf[kLutCtrl] = static_cast<double>(ceil_log2(l.in.h) + ceil_log2(l.in.w) + ceil_log2(l.in.c) + ceil_log2(l.out.h) +
                                         ceil_log2(l.out.w));
      c.ff_features[kFfBlock] = 1;
      if (pool) {
        lf[kLutAdder] = static_cast<double>(int64_t{lanes} * p.pk * xb);  // comparators and maxima
        c.ff_features[kFfAcc] = static_cast<double>(int64_t{lanes} * xb);
        apply_coefficients(c, kCoefPool);
        break;
      }
      c.mults = p.po * p.pi * p.pk;
      c.dsp_mac = mac_dsps(l, p, dev, opt);
      mac_array(qo * qi * qk);
      requant(static_cast<int>(std::max<int64_t>(1, ceil_div(p.po, qi * qk))), p.po);
      apply_coefficients(c, kCoefConv);
      break;
    }
    case LayerKind::Dense: {
      // n2d2_dense: the double-buffered input vector (flip-flops written IN_LANES elements per
      // cycle, or LUT RAM for one lane), PI elements read per step, PO x PI MACs, weight ROM,
      // shared rescalers.
      const int64_t k = l.in.size();
      const int in_lanes = lanes_of(inputs[0]);
      const int64_t qo = ceil_div(l.out.c, p.po), qi = ceil_div(k, p.pi);
      c.compute_cycles = qo * qi;
      c.in_beats = in_px * in_beats_px;
      c.out_beats = qo;
      c.mults = p.po * p.pi;
      c.dsp_mac = mac_dsps(l, p, dev, opt);
      c.line_pixels = 2 * in_px;
      double* lf = c.lut_features;
      if (opt.bram_line_buffers) {
        c.bram_line = memory_blocks(2 * k * l.in_bits, int64_t{std::max(p.pi, in_lanes)} * l.in_bits, dev);
      } else if (l.in.c % in_lanes == 0) {
        // lane-banked: IN_LANES LUT RAMs of 2K / IN_LANES words with PI read ports, a lane select
        const int64_t words = ceil_div(2 * k, in_lanes);
        lf[kLutRam] = static_cast<double>(in_lanes) * lutram_luts(words, l.in_bits, p.pi);
        lf[kLutReadMux] = static_cast<double>(int64_t{p.pi} * l.in_bits * (in_lanes * mux_luts(ceil_div(words, 64)) + mux_luts(in_lanes)));
        lf[kLutPorts] = static_cast<double>(int64_t{p.pi} * in_lanes * l.in_bits);
      } else {
        // per element: the lane it is written from (an IN_LANES:1 mux per bit) and its write
        // enable (IN_LANES address compares)
        lf[kLutBufWrite] = static_cast<double>(2 * k * (l.in_bits * mux_luts(in_lanes) + 3 * in_lanes));
        lf[kLutReadMux] = static_cast<double>(int64_t{p.pi} * l.in_bits * mux_luts(2 * qi));
        c.ff_features[kFfBuffer] = static_cast<double>(2 * k * l.in_bits);
      }
      mac_array(qo * qi);
      lf[kLutBlock] = 1;
      c.ff_features[kFfBlock] = 1;
      requant(static_cast<int>(std::max<int64_t>(1, ceil_div(p.po, qi))), p.po);
      apply_coefficients(c, kCoefDense);
      break;
    }
    case LayerKind::Add: {
      // n2d2_add: per lane the two constant multipliers as shifts and adds of their non-adjacent-
      // form digits (no DSP): one adder per digit beyond the first, on the exact sum's width;
      // `lanes` rescalers (rounding shift and saturation; Fixed-point: a DSP each); a beat counter.
      // yosys synth_xilinx (2026-12-03): 8 lanes 3a + 2b Single-shift 337 LUT (this: 356); 3 lanes
      // 3a - 5b Fixed-point 238 LUT (this: 229).
      const int lanes = lanes_of(inputs[0]);
      c.compute_cycles = c.in_beats = c.out_beats = in_px * in_beats_px;
      auto mag = [](int64_t v) { return static_cast<int>(std::bit_width(static_cast<uint64_t>(v < 0 ? -v : v))); };
      const int wide = l.in_bits + 2 + std::max({mag(l.a_mult), mag(l.b_mult), 1});
      const int adders = std::max(0, naf_terms(l.a_mult) + naf_terms(l.b_mult) - 1);
      // the rescaler's rounding add and saturation on the sum (Fixed-point: on its product)
      int rescaled = wide;
      if (l.rescale == Rescale::FixedPoint) {
        int64_t mult = 1;
        for (const auto& rp : l.rescale_params) mult = std::max<int64_t>(mult, rp.multiplier < 0 ? -int64_t{rp.multiplier} : rp.multiplier);
        rescaled += mag(mult) + 1;
      }
      c.requant_lanes = lanes;
      if (l.rescale == Rescale::FixedPoint) c.dsp_requant = lanes * (wide <= dev.mul_a_bits ? 1 : 2);
      c.lut = 4 + lanes * (adders * wide + rescaled + l.out_bits);
      c.ff = 1 + ceil_log2(in_beats_px);
      break;
    }
    case LayerKind::Concat: {
      // n2d2_concat: an n-input multiplexer per output bit, a beat counter.
      int64_t beats = 0;
      for (const Segmentation& s : inputs) beats += static_cast<int64_t>(s.size());
      c.compute_cycles = c.in_beats = c.out_beats = in_px * beats;
      int lanes = 0;
      for (const Segmentation& s : inputs) lanes = std::max(lanes, lanes_of(s));
      c.lut = static_cast<int>(4 + int64_t{lanes} * l.out_bits * mux_luts(static_cast<int64_t>(inputs.size())));
      c.ff = 1 + ceil_log2(beats);
      break;
    }
  }
  c.cycles = std::max({c.compute_cycles, c.in_beats, c.out_beats});
  c.dsp = c.dsp_mac + c.dsp_requant;
  c.bram = c.bram_line + c.bram_weights;
  return c;
}

}  // namespace n2d2::hw
