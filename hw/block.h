// The per-layer block model: how a block is built for a given parallelism and what it costs.
//
// Streams. Blocks exchange pixels in raster order over ready/valid FIFOs; a pixel travels as
// a fixed sequence of beats, beat j carrying channels [offset_j, offset_j + size_j) (a
// "segmentation"). A MAC block with output parallelism po emits ceil(C/po) beats of po channels;
// pooling and add keep their input's segmentation; concat appends its inputs' segmentations.
//
// Blocks (all consume at most one beat and emit at most one beat per cycle):
//   conv     line buffer (circular, in pixels) + MAC array of po x pi x pk multipliers (output
//            channels x input channels of a group x window taps), accumulators of acc_bits,
//            requantization; per output pixel ceil(Cout/po) * ceil(Cin_g/pi) * ceil(taps/pk)
//            cycles, a beat of po outputs after each output group.
//   dense    input buffer of the whole vector (double-buffered) + po x pi MACs:
//            ceil(N/po) * ceil(K/pi) cycles per frame.
//   maxpool  line buffer + per lane pk comparators: ceil(taps/pk) cycles per output beat.
//   add      one beat from each input -> one beat (a_mult*A + b_mult*B, requantized).
//   concat   a pixel's beats from input 0, then from input 1, ...
#pragma once

#include <cstdint>
#include <vector>

#include "hw/device.h"
#include "hw/layer.h"

namespace n2d2::hw {

struct Segment {
  int offset = 0, size = 0;
  bool operator==(const Segment&) const = default;
};
using Segmentation = std::vector<Segment>;
Segmentation split_channels(int channels, int lanes);  // ceil(C/lanes) beats of `lanes`
int lanes_of(const Segmentation& s);                   // widest beat

struct Parallelism {
  int po = 1, pi = 1, pk = 1;  // conv/dense: output ch x input ch x taps; pool: taps (pk)
};

// The physical quantities the LUT / FF estimate is a weighted sum of (hw/block.cpp documents
// each; the weights are fitted to yosys synth_xilinx by scripts/hw_calibrate.py).
enum LutFeature {
  kLutRam, kLutReadMux, kLutTapAddr, kLutAdder, kLutSelect, kLutRom, kLutRequant, kLutBufWrite,
  kLutMults,    // multipliers (each one's sign corrections and operand muxes around its DSP)
  kLutPorts,    // dense, lane-banked input: PI x IN_LANES read ports x bits
  kLutBramOut,  // weight bits read from block RAM per step
  kLutCtrl,     // window blocks: position counter bits (input and output rows, columns, channels)
  kLutBlock, kNumLutFeatures
};
enum FfFeature { kFfAcc, kFfWeightReg, kFfRequant, kFfBuffer, kFfBlock, kNumFfFeatures };
extern const char* const kLutFeatureNames[kNumLutFeatures];
extern const char* const kFfFeatureNames[kNumFfFeatures];

struct BlockCost {
  int64_t compute_cycles = 0;  // MAC/compare cycles per frame
  int64_t in_beats = 0;        // beats consumed per frame (all inputs)
  int64_t out_beats = 0;       // beats produced per frame
  int64_t cycles = 0;          // initiation interval per frame: max of the three
  int mults = 0;               // multipliers in the MAC array
  int dsp = 0, bram = 0, lut = 0, ff = 0;
  int dsp_mac = 0, dsp_requant = 0;
  int bram_line = 0, bram_weights = 0;
  double lut_features[kNumLutFeatures] = {};
  double ff_features[kNumFfFeatures] = {};
  int requant_lanes = 0;       // rescaling units (time-shared between output beats)
  int64_t line_pixels = 0;     // line buffer capacity (pixels)
  int acc_bits = 0;
};

struct BlockOptions {
  bool int8_packing = false;  // two int8 MACs sharing an activation per DSP48E2
  // Line buffers (window blocks) and dense input vectors in block RAM, one wide word per read:
  // DNeuro's row-banked architecture, estimate only (the VHDL blocks, exporters/vhdl, implement
  // LUT-RAM line buffers read at PK asynchronous ports; --emit-vhdl refuses this option). Off:
  // the costs of the VHDL blocks, calibrated against yosys.
  bool bram_line_buffers = false;
};

// Line buffer capacity in pixels: the window ((kh-1) rows + kw pixels), the rows the next output
// row brings, and the next frame's first window rows (one pixel of double buffering for 1x1
// stride-1 windows).
int64_t line_buffer_pixels(const Layer& l);

// Block RAMs for a memory of `bits` read `width` bits at a time; 0 when it fits in LUT RAM.
int memory_blocks(int64_t bits, int64_t width, const Device& dev);

// Block RAMs of a weight ROM of `words` words of `width` bits as yosys synth_xilinx maps it: block
// RAM when its bits cost more as logic (yosys' memory_libmap: 1/64 per bit) than the block RAMs
// (129 per 18 Kbit block), else 0 (LUTs).
int rom_blocks(int64_t words, int64_t width, const Device& dev);

// LUTs of the LUT RAM that yosys builds for a memory of `depth` x `width` bits with one write port
// and `read_ports` asynchronous read ports (RAM32M / RAM64M, 4 LUTs each, in simple-dual-port or
// quad-port mode, whichever its cost model prefers).
int lutram_luts(int64_t depth, int64_t width, int read_ports);

BlockCost block_cost(const Layer& l, const Parallelism& p, const std::vector<Segmentation>& inputs,
                     const Device& dev, const BlockOptions& opt);

// The segmentation a block emits.
Segmentation output_segmentation(const Layer& l, const Parallelism& p, const std::vector<Segmentation>& inputs);

// The DSPs one multiplier lane of po output channels takes (int8 packing pairs output channels).
int mac_dsps(const Layer& l, const Parallelism& p, const Device& dev, const BlockOptions& opt);

}  // namespace n2d2::hw
