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
  RunState(const Plan& plan, const std::vector<Tensor>& inputs);
  // Runs one step: gathers its inputs, runs the kernel, stores outputs, releases inputs whose
  // last reader this was. Errors are recorded (first one wins) and later steps become no-ops.
  void execute(const Step& step) noexcept;
  // Rethrows the first error, if any.
  void rethrow_if_failed();
  std::vector<Tensor> outputs() const;
  std::size_t peak_bytes() const { return peak_.load(); }

 private:
  // Memory accounting by buffer: views share their source's bytes, counted once.
  void hold(const Tensor& t);
  void drop(const Tensor& t);

  const Plan& plan_;
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
