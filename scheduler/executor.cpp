// The two executors over one Plan: sequential (debugging, determinism checks) and oneTBB
// flow graph (default: independent branches run concurrently).
#include "scheduler/executor.h"

#include <tbb/flow_graph.h>
#include <tbb/task_arena.h>

#include <cstdlib>

#include "scheduler/run_state.h"

namespace n2d2::sched {

Engine engine_from_name(const std::string& name) {
  if (name == "tbb") return Engine::Tbb;
  if (name == "seq") return Engine::Sequential;
  fail("unknown engine '", name, "' (expected tbb or seq)");
}

const char* engine_name(Engine e) { return e == Engine::Tbb ? "tbb" : "seq"; }

namespace {

int checked_threads(int threads) {
  if (threads < 1) fail("--threads must be at least 1, got ", threads);
  return threads;
}

// The plan's static arena, allocated once per executor (runs are not reentrant) and not
// initialized; null when nothing is planned.
std::shared_ptr<void> make_arena(const Plan& plan) {
  std::size_t bytes = plan.static_memory().arena_bytes;
  if (bytes == 0) return nullptr;
  void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (!p) fail("out of memory allocating the ", bytes, "-byte activation arena");
  return std::shared_ptr<void>(p, [](void* q) { std::free(q); });
}

class SequentialExecutor final : public Executor {
 public:
  SequentialExecutor(const Plan& plan, int threads)
      : plan_(plan), arena_(checked_threads(threads)), memory_(make_arena(plan)) {}

  std::vector<Tensor> run(const std::vector<Tensor>& inputs, RunStats* stats) override {
    detail::RunState state(plan_, inputs, memory_);
    arena_.execute([&] {
      for (const Step& s : plan_.steps()) state.execute(s);
    });
    state.rethrow_if_failed();
    if (stats) stats->peak_bytes = state.peak_bytes();
    return state.outputs();
  }

 private:
  const Plan& plan_;
  tbb::task_arena arena_;
  std::shared_ptr<void> memory_;
};

// One continue_node per step; edges follow data dependencies. A run puts a message into the
// start node, which triggers the steps without predecessors.
class TbbExecutor final : public Executor {
 public:
  TbbExecutor(const Plan& plan, int threads)
      : plan_(plan), arena_(checked_threads(threads)), memory_(make_arena(plan)) {
    // A flow graph runs its tasks in the arena it was created in: create it inside ours.
    arena_.execute([&] { build(); });
  }

  std::vector<Tensor> run(const std::vector<Tensor>& inputs, RunStats* stats) override {
    detail::RunState state(plan_, inputs, memory_);
    state_ = &state;
    arena_.execute([&] {
      start_->try_put(tbb::flow::continue_msg());
      graph_->wait_for_all();
    });
    state_ = nullptr;
    state.rethrow_if_failed();
    if (stats) stats->peak_bytes = state.peak_bytes();
    return state.outputs();
  }

 private:
  void build() {
    graph_ = std::make_unique<tbb::flow::graph>();
    start_ = std::make_unique<tbb::flow::broadcast_node<tbb::flow::continue_msg>>(*graph_);
    const auto& steps = plan_.steps();
    nodes_.reserve(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const Step* step = &steps[i];
      nodes_.push_back(std::make_unique<tbb::flow::continue_node<tbb::flow::continue_msg>>(
          *graph_, [this, step](const tbb::flow::continue_msg&) { state_->execute(*step); }));
    }
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].preds.empty()) tbb::flow::make_edge(*start_, *nodes_[i]);
      for (int succ : steps[i].succs) tbb::flow::make_edge(*nodes_[i], *nodes_[succ]);
    }
  }

  const Plan& plan_;
  tbb::task_arena arena_;
  std::shared_ptr<void> memory_;
  std::unique_ptr<tbb::flow::graph> graph_;
  std::unique_ptr<tbb::flow::broadcast_node<tbb::flow::continue_msg>> start_;
  std::vector<std::unique_ptr<tbb::flow::continue_node<tbb::flow::continue_msg>>> nodes_;
  detail::RunState* state_ = nullptr;
};

}  // namespace

std::unique_ptr<Executor> make_executor(const Plan& plan, Engine engine, int threads) {
  if (engine == Engine::Tbb) return std::make_unique<TbbExecutor>(plan, threads);
  return std::make_unique<SequentialExecutor>(plan, threads);
}

}  // namespace n2d2::sched
