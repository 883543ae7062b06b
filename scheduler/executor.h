// Executors run a Plan: `seq` walks the steps in order, `tbb` runs them as a oneTBB flow graph
// (independent branches concurrently). Both run kernels inside a task_arena of `threads`
// threads and give bit-identical outputs for any thread count.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scheduler/plan.h"

namespace n2d2::sched {

enum class Engine { Tbb, Sequential };
Engine engine_from_name(const std::string& name);  // "tbb" | "seq"; throws on anything else
const char* engine_name(Engine e);

struct RunStats {
  std::size_t peak_bytes = 0;  // peak of live intermediate tensor bytes during the run
};

class Executor {
 public:
  virtual ~Executor() = default;
  // `inputs` in the order of plan.graph().inputs(). Checks dtypes and shapes, naming the input.
  // Returns the graph outputs in order. Not reentrant: one run at a time per executor.
  virtual std::vector<Tensor> run(const std::vector<Tensor>& inputs, RunStats* stats = nullptr) = 0;
};

std::unique_ptr<Executor> make_executor(const Plan& plan, Engine engine, int threads);

// Throws n2d2::Error naming the input when `t` does not fit the declared type.
void check_input(const graph::Value& declared, const Tensor& t);

}  // namespace n2d2::sched
