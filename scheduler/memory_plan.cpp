#include "scheduler/memory_plan.h"

#include <algorithm>
#include <numeric>

#include "graph/error.h"

namespace n2d2::sched {

namespace {

// Places the buffers in `order`, each at the lowest offset clear of the placed buffers it
// conflicts with.
MemoryPlan place(const std::vector<std::size_t>& bytes, const std::vector<std::size_t>& order,
                 const std::function<bool(std::size_t, std::size_t)>& conflict, std::size_t alignment) {
  auto round_up = [&](std::size_t b) { return (b + alignment - 1) & ~(alignment - 1); };
  MemoryPlan p;
  p.offsets.assign(bytes.size(), 0);
  std::vector<std::size_t> placed;
  for (std::size_t i : order) {
    p.naive_bytes += round_up(bytes[i]);
    // Intervals [offset, offset+size) of placed conflicting buffers, by offset.
    std::vector<std::pair<std::size_t, std::size_t>> busy;
    for (std::size_t j : placed)
      if (conflict(i, j)) busy.emplace_back(p.offsets[j], p.offsets[j] + round_up(bytes[j]));
    std::sort(busy.begin(), busy.end());
    std::size_t size = round_up(bytes[i]), offset = 0;
    for (auto [lo, hi] : busy) {
      if (offset + size <= lo) break;
      offset = std::max(offset, hi);
    }
    p.offsets[i] = offset;
    p.arena_bytes = std::max(p.arena_bytes, offset + size);
    placed.push_back(i);
  }
  return p;
}

void check_alignment(std::size_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) fail("memory plan: alignment must be a power of two");
}

}  // namespace

MemoryPlan plan_memory(const std::vector<BufferLifetime>& buffers, std::size_t alignment) {
  check_alignment(alignment);
  std::vector<std::size_t> bytes(buffers.size()), order(buffers.size());
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    if (buffers[i].first > buffers[i].last)
      fail("memory plan: buffer ", i, " ends (step ", buffers[i].last, ") before it starts (step ", buffers[i].first, ")");
    bytes[i] = buffers[i].bytes;
  }
  std::iota(order.begin(), order.end(), 0);
  // Larger first; ties by earlier start, then index, so the plan is deterministic.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (buffers[a].bytes != buffers[b].bytes) return buffers[a].bytes > buffers[b].bytes;
    return buffers[a].first < buffers[b].first;
  });
  return place(bytes, order, [&](std::size_t i, std::size_t j) {
    return buffers[j].first <= buffers[i].last && buffers[i].first <= buffers[j].last;
  }, alignment);
}

MemoryPlan plan_memory(const std::vector<std::size_t>& bytes, const std::function<bool(std::size_t, std::size_t)>& conflict,
                       std::size_t alignment) {
  check_alignment(alignment);
  std::vector<std::size_t> order(bytes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bytes[a] > bytes[b]; });
  return place(bytes, order, conflict, alignment);
}

}  // namespace n2d2::sched
