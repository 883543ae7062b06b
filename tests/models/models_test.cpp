// Whole networks against ONNX Runtime: each model in tests/models/ is run by both engines at 1
// and 2 threads; outputs must match ORT's (atol 1e-4, rtol 1e-3, same top-1) and be
// bit-identical across engines and thread counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace n2d2;

namespace {

std::vector<std::string> model_dirs() {
  std::vector<std::string> r;
  fs::path root = test::source_path("tests/models");
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory() && fs::exists(e.path() / "model.onnx")) r.push_back(e.path().filename().string());
  std::sort(r.begin(), r.end());
  return r;
}

int64_t argmax_row(const std::vector<double>& v, int64_t row, int64_t n) {
  return std::max_element(v.begin() + row * n, v.begin() + (row + 1) * n) - (v.begin() + row * n);
}

class WholeModel : public ::testing::TestWithParam<std::string> {};

// Without and with the CPU fusion passes (BatchNormalization folding, FusedConv).
void check_model(const std::string& name, bool cpu_fusion) {
  SCOPED_TRACE(cpu_fusion ? "with CPU fusion" : "without CPU fusion");
  fs::path dir = fs::path(test::source_path("tests/models")) / name;
  graph::Graph g = onnx::load_model((dir / "model.onnx").string());
  sched::optimize_graph(g, {cpu_fusion});
  sched::Plan plan = sched::Plan::compile(std::move(g));
  const graph::Graph& pg = plan.graph();
  std::vector<Tensor> inputs;
  for (std::size_t i = 0; i < pg.inputs().size(); ++i)
    inputs.push_back(io::read_npy((dir / ("input_" + std::to_string(i) + ".npy")).string()));

  std::vector<Tensor> ref = sched::make_executor(plan, sched::Engine::Sequential, 1)->run(inputs);
  ASSERT_EQ(ref.size(), pg.outputs().size());
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const std::string& name = pg.value(pg.outputs()[i]).name;
    fs::path want_path = dir / ("expected_" + name + ".npy");
    ASSERT_TRUE(fs::exists(want_path)) << want_path;
    Tensor want = io::read_npy(want_path.string());
    SCOPED_TRACE(dir.filename().string() + " output " + name);
    test::expect_near(ref[i], want, 1e-4, 1e-3);
    if (ref[i].rank() == 2 && ref[i].shape()[1] > 1) {
      auto a = ref[i].to_double_vector(), b = want.to_double_vector();
      for (int64_t r = 0; r < ref[i].shape()[0]; ++r)
        EXPECT_EQ(argmax_row(a, r, ref[i].shape()[1]), argmax_row(b, r, ref[i].shape()[1])) << "row " << r;
    }
  }
  for (sched::Engine e : {sched::Engine::Sequential, sched::Engine::Tbb})
    for (int threads : {1, 2}) {
      std::vector<Tensor> out = sched::make_executor(plan, e, threads)->run(inputs);
      for (std::size_t i = 0; i < out.size(); ++i)
        ASSERT_EQ(0, std::memcmp(out[i].raw(), ref[i].raw(), ref[i].nbytes()))
            << sched::engine_name(e) << " threads " << threads << " output " << i;
    }
}

TEST_P(WholeModel, MatchesOnnxRuntimeWithIdenticalBitsAcrossEngines) {
  check_model(GetParam(), false);
  check_model(GetParam(), true);
}

INSTANTIATE_TEST_SUITE_P(Models, WholeModel, ::testing::ValuesIn(model_dirs()),
                         [](const auto& info) { return info.param; });

TEST(TrainedLeNet, ClassifiesFashionMnistTestImages) {
  fs::path dir = fs::path(test::source_path("tests/models")) / "lenet_fmnist";
  if (!fs::exists(dir / "labels.npy")) GTEST_SKIP() << "no lenet_fmnist/labels.npy";
  graph::Graph g = onnx::load_model((dir / "model.onnx").string());
  sched::optimize_graph(g);
  sched::Plan plan = sched::Plan::compile(std::move(g));
  Tensor x = io::read_npy((dir / "input_0.npy").string());
  std::vector<int64_t> labels = io::read_npy((dir / "labels.npy").string()).to_int64_vector();
  Tensor y = sched::make_executor(plan, sched::Engine::Tbb, 2)->run({x})[0];
  ASSERT_EQ(y.shape(), (Shape{static_cast<int64_t>(labels.size()), 10}));
  auto v = y.to_double_vector();
  int correct = 0;
  for (std::size_t r = 0; r < labels.size(); ++r) correct += argmax_row(v, static_cast<int64_t>(r), 10) == labels[r];
  // A LeNet at >= 85 % test accuracy gets at least 6 of these 8 images right.
  EXPECT_GE(correct, 6) << correct << " of " << labels.size();
}

}  // namespace
