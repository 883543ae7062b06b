#include "scheduler/static_memory.h"

#include "graph/dtype.h"
#include "scheduler/memory_plan.h"
#include "scheduler/plan.h"

namespace n2d2::sched {

namespace {

constexpr std::size_t kAlign = 64;

// Strict ancestors of every step, as bitsets (steps are in topological order).
std::vector<std::vector<uint64_t>> ancestors(const std::vector<Step>& steps) {
  const std::size_t words = (steps.size() + 63) / 64;
  std::vector<std::vector<uint64_t>> anc(steps.size(), std::vector<uint64_t>(words, 0));
  for (std::size_t i = 0; i < steps.size(); ++i)
    for (int p : steps[i].preds) {
      for (std::size_t w = 0; w < words; ++w) anc[i][w] |= anc[p][w];
      anc[i][p / 64] |= uint64_t{1} << (p % 64);
    }
  return anc;
}

}  // namespace

StaticMemory plan_static_memory(const Plan& plan) {
  const graph::Graph& g = plan.graph();
  const std::vector<Step>& steps = plan.steps();
  StaticMemory sm;
  sm.offset.assign(plan.num_slots(), -1);
  sm.step_planned.assign(steps.size(), false);
  struct Buffer {
    int slot, producer;
    std::vector<int> readers;
  };
  std::vector<Buffer> buffers;
  std::vector<int> buffer_of(plan.num_slots(), -1);
  for (std::size_t i = 0; i < steps.size(); ++i)
    for (int slot : steps[i].out_slots) {
      if (slot < 0 || plan.pinned()[slot]) continue;
      const TensorType& t = g.value(slot).type;
      if (!t.fully_known() || dtype_size(t.dtype) == 0) continue;
      buffer_of[slot] = static_cast<int>(buffers.size());
      buffers.push_back({slot, static_cast<int>(i), {}});
    }
  for (std::size_t i = 0; i < steps.size(); ++i)
    for (int slot : steps[i].in_slots)
      if (slot >= 0 && buffer_of[slot] >= 0) buffers[buffer_of[slot]].readers.push_back(static_cast<int>(i));
  if (buffers.empty()) return sm;

  const auto anc = ancestors(steps);
  auto is_ancestor = [&](int a, int of) { return (anc[of][a / 64] >> (a % 64)) & 1; };
  // Buffer a is dead before b is born: a's producer and readers all precede b's producer.
  auto dead_before = [&](const Buffer& a, const Buffer& b) {
    if (!is_ancestor(a.producer, b.producer)) return false;
    for (int r : a.readers)
      if (!is_ancestor(r, b.producer)) return false;
    return true;
  };
  std::vector<std::size_t> bytes;
  for (const Buffer& b : buffers) {
    const TensorType& t = g.value(b.slot).type;
    bytes.push_back(static_cast<std::size_t>(shape_numel(t.dims)) * dtype_size(t.dtype));
  }
  MemoryPlan mp = plan_memory(
      bytes,
      [&](std::size_t i, std::size_t j) { return !dead_before(buffers[i], buffers[j]) && !dead_before(buffers[j], buffers[i]); },
      kAlign);
  for (std::size_t b = 0; b < buffers.size(); ++b) sm.offset[buffers[b].slot] = static_cast<int64_t>(mp.offsets[b]);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const graph::Node& n = g.node(steps[i].node);
    bool all = true;
    for (std::size_t o = 0; all && o < steps[i].out_slots.size(); ++o)
      all = !n.has_output(o) || (steps[i].out_slots[o] >= 0 && sm.offset[steps[i].out_slots[o]] >= 0);
    sm.step_planned[i] = all;
  }
  sm.arena_bytes = mp.arena_bytes;
  sm.naive_bytes = mp.naive_bytes;
  sm.buffers = static_cast<int>(buffers.size());
  return sm;
}

}  // namespace n2d2::sched
