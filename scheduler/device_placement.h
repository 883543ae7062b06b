// Placing a Plan on a host + accelerator pair (the CUDA backend): each step runs on the device
// when the device has a kernel for it, else on the host; explicit transfer steps move a value
// to where its next reader runs (graph inputs start on the host, constants are on both, graph
// outputs end on the host). Device work is spread over streams: a step continues the stream of
// its first device predecessor not yet continued, so a chain stays on one stream and branches fork
// onto others (cross-stream edges become event waits in the executor). Pure and deterministic:
// tested without a GPU.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "scheduler/plan.h"

namespace n2d2::sched {

enum class Where : uint8_t { Host, Device };

struct PlacedStep {
  enum class Kind : uint8_t { Run, ToDevice, ToHost };
  Kind kind = Kind::Run;
  int step = -1;             // Run: index into plan.steps()
  int slot = -1;             // transfers: the value moved
  Where where = Where::Host;  // Run: where it runs; transfers count as device work
  std::string kernel;        // Run: the chosen kernel's name (device or host)
  int stream = -1;           // device work: its stream, 0..num_streams-1
  std::vector<int> preds, succs;  // placed steps (deduplicated)
  bool on_device() const { return where == Where::Device; }
};

struct DeviceChoice {
  bool device = false;
  std::string text;  // device: the kernel's name; host: why the device cannot run the step
};

struct Placement {
  std::vector<PlacedStep> steps;  // topological order
  int num_streams = 0;
  int transfers = 0;
  std::vector<std::string> log;  // one line per step, for N2D2_VERBOSE=dispatch
};

// `choose(step)` says whether the device runs a plan step. `max_streams` >= 1.
Placement place_on_device(const Plan& plan, const std::function<DeviceChoice(const Step&)>& choose,
                          int max_streams = 4);

}  // namespace n2d2::sched
