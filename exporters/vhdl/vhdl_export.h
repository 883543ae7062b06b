// VHDL-2008 emission of a mapped dataflow network (hw::Network + hw::Mapping): the block library
// (exporters/vhdl/lib/*.vhd, embedded and copied next to the output), a generated ROM package
// (weights, biases, rescaling parameters per layer), one wrapper entity per layer (the library
// block with that layer's generics, also the unit synthesized by hw/synth_check), the top entity
// (ready/valid FIFO ports: in_data/in_valid/in_ready, out_data/out_valid/out_ready, FIFOs of the
// mapping's depths between the blocks) and a self-checking testbench that streams input.txt,
// compares with expected.txt, writes actual.txt and result.txt (cycle of each frame's first input
// beat and last output beat, as the SystemC model counts them).
//
// Blocks: conv (incl. grouped / depthwise), max pooling and dense over uniform beat
// segmentations; residual add and channel concat over any segmentation (a concat of branches of
// other widths makes irregular beats, which only add, concat and the network output may take:
// a window or dense block reading them is an error naming the layer). A stream read by several
// layers forks as in the SystemC model (it moves when every consumer FIFO has room).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/allocator.h"
#include "hw/layer.h"

namespace n2d2::vhdl {

struct Design {
  std::string dir;                   // folder holding the files
  std::string top;                   // top entity
  std::string testbench;             // testbench entity
  std::vector<std::string> files;    // compile order (library n2d2), relative to dir
  std::vector<std::string> layer_entities;  // per layer wrapper entity (hw layer order)
};

// Throws n2d2::Error naming the layer when a block has no VHDL implementation.
void check_supported(const hw::Network& net, const hw::Mapping& map);

// Writes the design into `dir` (created). `frames`: quantized network inputs (C,H,W order) for
// the testbench; `expected`: their outputs by the integer reference (C,H,W order, e.g.
// hw::network_reference), which the testbench checks beat by beat. `top` names the top entity.
Design write_design(const hw::Network& net, const hw::Mapping& map, const std::string& dir,
                    const std::vector<std::vector<int32_t>>& frames, const std::vector<std::vector<int32_t>>& expected,
                    const std::string& top = "n2d2_net");

// GHDL run of the generated testbench.
struct GhdlRun {
  std::vector<std::vector<int32_t>> outputs;  // per frame, C,H,W order
  std::vector<int64_t> first_in, last_out;    // per frame (cycles, from 1)
  int64_t mismatches = 0;                     // testbench's own count (vs expected.txt)
  int64_t cycles = 0;                         // simulated cycles
  double cycles_per_frame = 0;                // (last_out[N-1] - last_out[0]) / (N-1), as SystemC
  int64_t latency_cycles = 0;                 // frame 0: last_out - first_in + 1
  bool timed_out = false;                     // the testbench hit its cycle limit
  double analyse_s = 0, run_s = 0;            // wall time of ghdl -a, ghdl -r
  std::string log;
};

// "ghdl" on PATH and working (ghdl --version).
bool ghdl_available();

// Analyses and runs the testbench with ghdl (mcode or llvm). Throws n2d2::Error with ghdl's
// output when analysis or elaboration fails.
GhdlRun run_ghdl(const Design& d, const hw::Network& net, const hw::Mapping& map);

}  // namespace n2d2::vhdl
