// Static memory of a CPU Plan: every intermediate value whose type is fully known when the Plan
// is compiled gets a fixed offset in one arena that serves every run of an executor, so a run
// allocates nothing for them and kernels that overwrite their outputs skip the zero fill.
//
// The executors may run independent steps concurrently, so two buffers share bytes only when
// one is dead before the other is born in every order the task graph allows: the producer and
// every reader of one are strict ancestors of the other's producer. (Liveness by step index would
// be wrong for the flow-graph executor.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace n2d2::sched {

class Plan;

struct StaticMemory {
  std::vector<int64_t> offset;  // per slot: byte offset in the arena, or -1 (allocated at run time)
  std::vector<bool> step_planned;  // per step: every output it has is in the arena
  std::size_t arena_bytes = 0;  // the planned peak of the arena's buffers
  std::size_t naive_bytes = 0;  // the same buffers without reuse
  int buffers = 0;              // slots placed in the arena
};

StaticMemory plan_static_memory(const Plan& plan);

}  // namespace n2d2::sched
