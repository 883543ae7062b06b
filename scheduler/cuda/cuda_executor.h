// The CUDA executor: a Plan placed on the GPU (scheduler/device_placement.h) — nodes with a CUDA
// kernel (kernels/cuda/) run on streams, the others on the CPU with explicit transfers — and run
// as a oneTBB flow graph (or sequentially) that enqueues the device work: one stream per
// concurrent branch, events for cross-stream edges, pinned host buffers for graph inputs and
// outputs, device memory from one planned arena (scheduler/memory_plan.h), optionally one CUDA
// Graph replaying a whole run. This header has no CUDA dependency.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "scheduler/executor.h"

namespace n2d2::sched {

struct CudaOptions {
  Engine engine = Engine::Tbb;
  int threads = 1;        // oneTBB threads enqueuing device work and running CPU fallbacks
  int max_streams = 4;
  bool cuda_graph = false;  // capture a run once, then replay it (every node must be on the GPU)
  int device = 0;
  std::ostream* dispatch_log = nullptr;  // N2D2_VERBOSE=dispatch: placement, kernels, transfers
};

// "" when a CUDA device can be used, else why not (no driver, no device, ...).
std::string cuda_unavailable_reason();

// Throws n2d2::Error: no device, a value without a static shape, --cuda-graph with CPU nodes.
std::unique_ptr<Executor> make_cuda_executor(const Plan& plan, const CudaOptions& opts);

}  // namespace n2d2::sched
