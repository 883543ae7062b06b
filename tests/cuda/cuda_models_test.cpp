// Whole committed models (tests/models/*) on the GPU against the CPU: allclose (atol 1e-4,
// rtol 1e-3), same top-1, and bit-identical GPU outputs for both engines, 1 and 2 threads and a
// CUDA Graph replay. Skipped, with the reason, without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "scheduler/pipeline.h"
#include "tests/cuda/cuda_test_util.h"

namespace fs = std::filesystem;
using namespace n2d2;

namespace {

std::vector<std::string> model_dirs() {
  std::vector<std::string> r;
  for (const auto& e : fs::directory_iterator(test::source_path("tests/models")))
    if (e.is_directory() && fs::exists(e.path() / "model.onnx")) r.push_back(e.path().filename().string());
  std::sort(r.begin(), r.end());
  return r;
}

int64_t argmax(const Tensor& t, int64_t row) {
  int64_t n = t.shape().back();
  const float* p = t.data<float>() + row * n;
  return std::max_element(p, p + n) - p;
}

// A committed model, optimized and compiled, with its stored inputs.
std::pair<sched::Plan, std::vector<Tensor>> load_case(const std::string& name) {
  fs::path dir = fs::path(test::source_path("tests/models")) / name;
  graph::Graph g = onnx::load_model((dir / "model.onnx").string());
  sched::optimize_graph(g);
  sched::Plan plan = sched::Plan::compile(std::move(g));
  std::vector<Tensor> inputs;
  for (std::size_t i = 0; i < plan.graph().inputs().size(); ++i)
    inputs.push_back(io::read_npy((dir / ("input_" + std::to_string(i) + ".npy")).string()));
  return {std::move(plan), std::move(inputs)};
}

class CudaWholeModel : public ::testing::TestWithParam<std::string> {};

TEST_P(CudaWholeModel, MatchesCpuAndIsDeterministic) {
  N2D2_SKIP_WITHOUT_GPU();
  auto [plan, inputs] = load_case(GetParam());
  std::vector<Tensor> cpu = sched::make_executor(plan, sched::Engine::Sequential, 1)->run(inputs);

  std::vector<Tensor> first;
  for (sched::Engine e : {sched::Engine::Sequential, sched::Engine::Tbb})
    for (int threads : {1, 2}) {
      sched::CudaOptions o;
      o.engine = e, o.threads = threads;
      std::vector<Tensor> gpu = sched::make_cuda_executor(plan, o)->run(inputs);
      ASSERT_EQ(gpu.size(), cpu.size());
      if (first.empty()) {
        first = gpu;
        for (std::size_t i = 0; i < cpu.size(); ++i) {
          test::expect_near(gpu[i], cpu[i], 1e-4, 1e-3);
          if (cpu[i].dtype() == DType::F32 && cpu[i].rank() == 2)
            for (int64_t r = 0; r < cpu[i].dim(0); ++r) EXPECT_EQ(argmax(gpu[i], r), argmax(cpu[i], r)) << "row " << r;
        }
      }
      for (std::size_t i = 0; i < gpu.size(); ++i) test::expect_equal(gpu[i], first[i]);
    }
}

TEST_P(CudaWholeModel, CudaGraphReplayGivesTheSameBits) {
  N2D2_SKIP_WITHOUT_GPU();
  auto [plan, inputs] = load_case(GetParam());
  std::vector<Tensor> streams = sched::make_cuda_executor(plan, {})->run(inputs);
  sched::CudaOptions o;
  o.cuda_graph = true;
  std::unique_ptr<sched::Executor> ex;
  try {
    ex = sched::make_cuda_executor(plan, o);
  } catch (const Error& e) {
    // A model with CPU nodes cannot be one CUDA Graph: the error must say which node.
    EXPECT_NE(std::string(e.what()).find("runs on the CPU"), std::string::npos) << e.what();
    return;
  }
  for (int rep = 0; rep < 3; ++rep) {
    std::vector<Tensor> replay = ex->run(inputs);
    for (std::size_t i = 0; i < replay.size(); ++i) test::expect_equal(replay[i], streams[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, CudaWholeModel, ::testing::ValuesIn(model_dirs()));

}  // namespace

TEST(CudaExecutor, RefusesWithoutADeviceOrDynamicShapes) {
  graph::Graph g = test::one_op("Relu", {{test::random_tensor({3}, 1)}});
  sched::Plan plan = sched::Plan::compile(std::move(g));
  std::string why = sched::cuda_unavailable_reason();
  if (!why.empty()) {
    try {
      sched::make_cuda_executor(plan, {});
      FAIL() << "a CUDA executor was made without a device";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("--device cuda: " + why), std::string::npos) << e.what();
    }
    return;
  }
  graph::Graph dyn;
  graph::ValueId x = dyn.add_value("x", TensorType(DType::F32, {-1, 3}));
  dyn.add_input(x);
  graph::Node n;
  n.name = "relu", n.op_type = "Relu", n.inputs = {x}, n.outputs = {dyn.add_value("y")};
  graph::OpRegistry::builtin().bind(n, 17);
  graph::ValueId y = n.outputs[0];
  dyn.add_node(std::move(n));
  dyn.add_output(y);
  graph::infer_shapes(dyn);
  sched::Plan dplan = sched::Plan::compile(std::move(dyn));
  EXPECT_THROW(sched::make_cuda_executor(dplan, {}), Error);
}
