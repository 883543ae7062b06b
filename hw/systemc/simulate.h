// The SystemC cycle-accurate model of a mapped network (hw/systemc/): one clocked module per
// block kind (source, conv/pool window block, dense, add, concat, sink), connected by bounded
// ready/valid FIFOs of the mapping's depths, running real frames through the integer network.
//
// Cycle semantics (shared with the VHDL blocks): a FIFO's valid (not empty) and ready (not full)
// are registered: they reflect its contents at the start of a cycle; a beat pushed in cycle t is
// visible to the consumer in cycle t+1, a slot freed in cycle t is usable in t+1. Every block
// consumes at most one beat per input and emits at most one beat per cycle; a block with several
// consumers emits when all their FIFOs are ready.
//
// Each simulation runs in a child process (the SystemC kernel elaborates once per process).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/allocator.h"
#include "hw/layer.h"

namespace n2d2::hw {

struct FifoStats {
  std::string name;  // "conv1.in0"
  int depth = 0;
  int max_occupancy = 0;
};

struct BlockStats {
  std::string name;
  int64_t busy = 0;         // cycles doing a step (MAC/compare/transfer)
  int64_t stall_out = 0;    // cycles with a result ready but an output FIFO full
  int64_t starved = 0;      // cycles waiting for input
};

struct SimResult {
  std::vector<std::vector<int32_t>> outputs;  // per frame, the output layer's values in C,H,W order
  std::vector<int64_t> first_in, last_out;    // per frame: cycle of its first input beat, last output beat
  int64_t total_cycles = 0;
  double cycles_per_frame = 0;  // steady state: (last_out[N-1] - last_out[0]) / (N-1); one frame: its latency
  int64_t latency_cycles = 0;   // frame 0: first input beat to last output beat
  std::vector<FifoStats> fifos;
  std::vector<BlockStats> blocks;
  double wall_s = 0;
  double stage_cycles_per_s = 0;  // blocks x cycles / wall time
  bool deadlock = false;
  std::string error;
};

// Runs `frames` (each the quantized network input in C,H,W order) through the mapped network.
// Throws n2d2::Error when SystemC is unavailable or the child process fails.
SimResult simulate(const Network& net, const Mapping& map, const std::vector<std::vector<int32_t>>& frames);

// The integer semantics the blocks use, as plain functions over one frame (the same code the
// SystemC modules call): used by testbenches to check a block against the graph reference.
std::vector<int32_t> layer_reference(const Layer& l, const std::vector<const std::vector<int32_t>*>& inputs);
// The network output for one frame from the layers' frame-level references.
std::vector<int32_t> network_reference(const Network& net, const std::vector<int32_t>& frame);

}  // namespace n2d2::hw
