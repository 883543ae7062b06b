// Whole committed models (tests/models/*) through the tbb executor, 1 and 2 threads.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"

namespace {

void BM_Model(benchmark::State& state, const std::string& name) {
  std::string dir = std::string(N2D2_SOURCE_DIR) + "/tests/models/" + name;
  n2d2::graph::Graph g = n2d2::onnx::load_model(dir + "/model.onnx");
  n2d2::sched::optimize_graph(g);
  n2d2::sched::Plan plan = n2d2::sched::Plan::compile(std::move(g));
  std::vector<n2d2::Tensor> inputs{n2d2::io::read_npy(dir + "/input_0.npy")};
  auto exec = n2d2::sched::make_executor(plan, n2d2::sched::Engine::Tbb, static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(exec->run(inputs));
}

int register_models() {
  for (const char* name : {"lenet_fmnist", "resnet_tiny", "mobilenet_tiny", "squeeze_tiny"})
    benchmark::RegisterBenchmark((std::string("BM_Model/") + name).c_str(), BM_Model, std::string(name))
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  return 0;
}
const int kRegistered = register_models();

}  // namespace
