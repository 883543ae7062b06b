#include "scheduler/memory_plan.h"

#include <algorithm>
#include <numeric>

#include "graph/error.h"

namespace n2d2::sched {

MemoryPlan plan_memory(const std::vector<BufferLifetime>& buffers, std::size_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) fail("memory plan: alignment must be a power of two");
  auto round_up = [&](std::size_t b) { return (b + alignment - 1) & ~(alignment - 1); };
  MemoryPlan p;
  p.offsets.assign(buffers.size(), 0);
  std::vector<std::size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  // Larger first; ties by earlier start, then index, so the plan is deterministic.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (buffers[a].bytes != buffers[b].bytes) return buffers[a].bytes > buffers[b].bytes;
    return buffers[a].first < buffers[b].first;
  });
  std::vector<std::size_t> placed;
  for (std::size_t i : order) {
    const BufferLifetime& b = buffers[i];
    if (b.first > b.last) fail("memory plan: buffer ", i, " ends (step ", b.last, ") before it starts (step ", b.first, ")");
    p.naive_bytes += round_up(b.bytes);
    // Intervals [offset, offset+size) of placed buffers alive at the same time, by offset.
    std::vector<std::pair<std::size_t, std::size_t>> busy;
    for (std::size_t j : placed) {
      const BufferLifetime& o = buffers[j];
      if (o.first <= b.last && b.first <= o.last) busy.emplace_back(p.offsets[j], p.offsets[j] + round_up(o.bytes));
    }
    std::sort(busy.begin(), busy.end());
    std::size_t size = round_up(b.bytes), offset = 0;
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

MemoryPlan plan_memory(const std::vector<std::size_t>& bytes, const std::function<bool(std::size_t, std::size_t)>& conflict,
                       std::size_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) fail("memory plan: alignment must be a power of two");
  auto round_up = [&](std::size_t b) { return (b + alignment - 1) & ~(alignment - 1); };
  MemoryPlan p;
  p.offsets.assign(bytes.size(), 0);
  std::vector<std::size_t> order(bytes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bytes[a] > bytes[b]; });
  std::vector<std::size_t> placed;
  for (std::size_t i : order) {
    p.naive_bytes += round_up(bytes[i]);
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

}  // namespace n2d2::sched
