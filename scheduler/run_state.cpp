#include "scheduler/run_state.h"

#include "kernels/run_node.h"

#include <cstring>

namespace n2d2::sched {

void check_input(const graph::Value& declared, const Tensor& t) {
  const TensorType& d = declared.type;
  if (t.empty()) fail("input '", declared.name, "' was not given");
  if (d.dtype != DType::Undefined && d.dtype != t.dtype())
    fail("input '", declared.name, "' has type ", dtype_name(t.dtype()), ", the model expects ", dtype_name(d.dtype));
  if (!d.rank_known) return;
  bool ok = d.rank() == t.rank();
  for (std::size_t i = 0; ok && i < d.rank(); ++i) ok = d.dims[i] < 0 || d.dims[i] == t.shape()[i];
  if (!ok) fail("input '", declared.name, "' has shape [", shape_str(t.shape()), "], the model expects ", d.str());
}

namespace detail {

RunState::RunState(const Plan& plan, const std::vector<Tensor>& inputs, std::shared_ptr<void> arena)
    : plan_(plan), arena_(std::move(arena)), slots_(plan.num_slots()), remaining_(new std::atomic<int>[plan.num_slots()]) {
  const graph::Graph& g = plan.graph();
  if (inputs.size() != g.inputs().size())
    fail("the model takes ", g.inputs().size(), " inputs, ", inputs.size(), " were given");
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    check_input(g.value(g.inputs()[i]), inputs[i]);
    slots_[g.inputs()[i]] = inputs[i];
  }
  for (std::size_t v = 0; v < slots_.size(); ++v) {
    const graph::Value& val = g.value(static_cast<graph::ValueId>(v));
    if (val.initializer) slots_[v] = *val.initializer;
    remaining_[v].store(plan.use_counts()[v], std::memory_order_relaxed);
  }
  // Inputs and constants are not run memory: views of them cost nothing.
  for (const Tensor& t : slots_)
    if (!t.empty()) buffers_[t.raw()] = {1 << 30, 0};
}

bool RunState::in_arena(const Tensor& t) const {
  if (!arena_ || t.empty()) return false;
  const char* base = static_cast<const char*>(arena_.get());
  const char* p = static_cast<const char*>(t.raw());
  return p >= base && p < base + plan_.static_memory().arena_bytes;
}

void RunState::hold(const Tensor& t) {
  if (t.empty() || t.nbytes() == 0 || in_arena(t)) return;
  std::lock_guard<std::mutex> lock(mem_mutex_);
  auto& [refs, bytes] = buffers_[t.raw()];
  if (refs++ == 0) {
    bytes = t.nbytes();
    live_ += bytes;
    if (live_ > peak_.load()) peak_.store(live_);
  }
}

void RunState::drop(const Tensor& t) {
  if (t.empty() || t.nbytes() == 0 || in_arena(t)) return;
  std::lock_guard<std::mutex> lock(mem_mutex_);
  auto it = buffers_.find(t.raw());
  if (it == buffers_.end()) return;
  if (--it->second.first == 0) {
    live_ -= it->second.second;
    buffers_.erase(it);
  }
}

void RunState::execute(const Step& step) noexcept {
  if (failed_.load(std::memory_order_relaxed)) return;
  try {
    const graph::Node& node = plan_.graph().node(step.node);
    std::vector<const Tensor*> in(step.in_slots.size(), nullptr);
    for (std::size_t i = 0; i < in.size(); ++i)
      if (step.in_slots[i] >= 0) in[i] = &slots_[step.in_slots[i]];
    // Outputs all planned in the arena: views of it, no shape inference, zero-filled only for
    // kernels that do not overwrite them. Otherwise run_node allocates them.
    const StaticMemory& sm = plan_.static_memory();
    std::vector<Tensor> out;
    if (arena_ && sm.step_planned[&step - plan_.steps().data()]) {
      out.resize(node.outputs.size());
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (!node.has_output(i)) continue;
        const TensorType& t = plan_.graph().value(step.out_slots[i]).type;
        out[i] = Tensor::over(t.dtype, t.dims, arena_, static_cast<char*>(arena_.get()) + sm.offset[step.out_slots[i]]);
        if (!step.kernel->overwrites_outputs && out[i].nbytes()) std::memset(out[i].raw_mut(), 0, out[i].nbytes());
      }
      kernels::run_node_into(node, in, *step.kernel, out, step.prepared.get());
    } else {
      out = kernels::run_node(node, in, *step.kernel, plan_.ops(), step.prepared.get());
      // A view of arena bytes (Reshape of a planned value) would see them reused: copy it.
      for (Tensor& t : out)
        if (in_arena(t)) t = t.clone();
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      int s = step.out_slots[i];
      if (s < 0) continue;
      hold(out[i]);
      slots_[s] = std::move(out[i]);
      // An output nobody reads (and that is not a graph output) is dropped at once.
      if (plan_.use_counts()[s] == 0 && !plan_.pinned()[s]) {
        drop(slots_[s]);
        slots_[s] = Tensor();
      }
    }
    for (int s : step.in_slots) {
      if (s < 0 || plan_.pinned()[s]) continue;
      if (remaining_[s].fetch_sub(1) == 1) {
        drop(slots_[s]);
        slots_[s] = Tensor();
      }
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (!error_) error_ = std::current_exception();
    failed_.store(true);
  }
}

void RunState::rethrow_if_failed() {
  if (error_) std::rethrow_exception(error_);
}

std::vector<Tensor> RunState::outputs() const {
  std::vector<Tensor> r;
  for (graph::ValueId v : plan_.graph().outputs()) r.push_back(slots_[v]);
  return r;
}

}  // namespace detail
}  // namespace n2d2::sched
