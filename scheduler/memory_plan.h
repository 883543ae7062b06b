// Static memory planning: every buffer that lives from step `first` to step `last` (inclusive)
// gets an offset in one arena, so that buffers alive at the same step never overlap. Greedy by
// decreasing size, each placed at the lowest offset that fits between the already placed buffers
// it overlaps in time (the usual offset-assignment heuristic). Used by the CUDA executor for its
// device arena and by the CPU Plan (scheduler/static_memory.h); pure and deterministic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace n2d2::sched {

struct BufferLifetime {
  std::size_t bytes = 0;
  int first = 0, last = 0;  // steps, first <= last
};

struct MemoryPlan {
  std::vector<std::size_t> offsets;  // per buffer, multiples of `alignment`
  std::size_t arena_bytes = 0;       // end of the highest buffer
  std::size_t naive_bytes = 0;       // sum of all buffers (no reuse), for reports
};

MemoryPlan plan_memory(const std::vector<BufferLifetime>& buffers, std::size_t alignment = 256);

// The same greedy placement for buffers whose lifetimes are not intervals of one order (a task
// graph run in parallel): `conflict(i, j)` is true when buffers i and j may be alive at the same
// time. Larger buffers first, ties by index.
MemoryPlan plan_memory(const std::vector<std::size_t>& bytes, const std::function<bool(std::size_t, std::size_t)>& conflict,
                       std::size_t alignment = 256);

}  // namespace n2d2::sched
