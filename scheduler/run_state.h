// Per-run state shared by the executors: value slots, remaining-use counters, memory accounting.
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "scheduler/executor.h"

namespace n2d2::sched::detail {

class RunState {
 public:
  // `arena`: plan.static_memory().arena_bytes bytes (64-byte aligned) owned by the executor, or
  // null (every value is then allocated at run time).
  RunState(const Plan& plan, const std::vector<Tensor>& inputs, std::shared_ptr<void> arena = nullptr);
  // Runs one step (an element of plan.steps()): gathers its inputs, runs the kernel, stores
  // outputs, releases inputs whose last reader this was. Errors are recorded (first one wins) and
  // later steps become no-ops.
  void execute(const Step& step) noexcept;
  // Rethrows the first error, if any.
  void rethrow_if_failed();
  std::vector<Tensor> outputs() const;
  // Peak of the live bytes allocated at run time plus the arena's planned size.
  std::size_t peak_bytes() const { return peak_.load() + (arena_ ? plan_.static_memory().arena_bytes : 0); }

 private:
  // Memory accounting by buffer: views share their source's bytes, counted once.
  void hold(const Tensor& t);
  void drop(const Tensor& t);

  // True when t's bytes lie in the arena.
  bool in_arena(const Tensor& t) const;

  const Plan& plan_;
  std::shared_ptr<void> arena_;
  std::vector<Tensor> slots_;
  std::unique_ptr<std::atomic<int>[]> remaining_;
  std::mutex mem_mutex_;
  std::unordered_map<const void*, std::pair<int, std::size_t>> buffers_;  // refs, bytes
  std::size_t live_ = 0;
  std::atomic<std::size_t> peak_{0};
  std::atomic<bool> failed_{false};
  std::mutex error_mutex_;
  std::exception_ptr error_;
};

}  // namespace n2d2::sched::detail
