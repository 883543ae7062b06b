// Whole models on the GPU (CUDA executor, with and without CUDA Graph replay), images/s as a
// counter. The committed tests/models/* always; torchvision ResNet-18 / MobileNetV2 / SqueezeNet
// at batch 1, 8 and 64 when N2D2_ZOO_DIR points at scripts/make_zoo_models.py's output. Without a
// usable GPU every case reports why (SkipWithError) instead of a number.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "scheduler/cuda/cuda_executor.h"
#include "scheduler/pipeline.h"
#include "tests/test_util.h"

namespace {

using namespace n2d2;

void BM_CudaModel(benchmark::State& state, const std::string& path, int64_t batch, bool cuda_graph) {
  if (std::string why = sched::cuda_unavailable_reason(); !why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  try {
    onnx::LoadOptions lo;
    if (batch > 0) lo.batch = batch, lo.force_batch = true;
    graph::Graph g = onnx::load_model(path, lo);
    sched::optimize_graph(g);
    sched::Plan plan = sched::Plan::compile(std::move(g));
    std::vector<Tensor> inputs;
    for (graph::ValueId v : plan.graph().inputs())
      inputs.push_back(test::random_tensor(plan.graph().value(v).type.dims, 1, 0.f, 1.f));
    sched::CudaOptions o;
    o.cuda_graph = cuda_graph;
    auto exec = sched::make_cuda_executor(plan, o);
    for (int i = 0; i < 3; ++i) exec->run(inputs);  // warm-up
    for (auto _ : state) benchmark::DoNotOptimize(exec->run(inputs));
    int64_t images = plan.graph().value(plan.graph().inputs()[0]).type.dims[0];
    state.counters["images/s"] = benchmark::Counter(static_cast<double>(images * state.iterations()), benchmark::Counter::kIsRate);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

int register_all() {
  auto add = [](const std::string& label, const std::string& path, int64_t batch) {
    for (bool graph : {false, true})
      benchmark::RegisterBenchmark(("BM_Cuda/" + label + (graph ? "/cuda_graph" : "/streams")).c_str(), BM_CudaModel, path,
                                   batch, graph)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
  };
  std::string root = std::string(N2D2_SOURCE_DIR) + "/tests/models/";
  for (const char* name : {"lenet_fmnist", "resnet_tiny", "mobilenet_tiny", "squeeze_tiny"})
    add(name, root + name + "/model.onnx", 0);
  if (const char* zoo = std::getenv("N2D2_ZOO_DIR"))
    for (const char* name : {"resnet18", "mobilenet_v2", "squeezenet1_1"}) {
      std::string path = std::string(zoo) + "/" + name + "_b1_op13_fold.onnx";
      if (!std::filesystem::exists(path)) continue;
      for (int64_t b : {1, 8, 64}) add(std::string(name) + "/batch" + std::to_string(b), path, b);
    }
  return 0;
}
const int kRegistered = register_all();

}  // namespace
