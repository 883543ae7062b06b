// Acceptance of issue 8 for native INI networks: the manual's LeNet adapted to Fashion-MNIST
// (samples/ini/lenet_fmnist.ini) and the templated Inception network (samples/ini/inception.ini)
// print the same network in `info` as their PyTorch twins (samples/ini/*_twin.onnx, from
// scripts/make_ini_models.py), and with the twins' weights written as N2D2 text weights and read
// back with -w give the same outputs as the ONNX path; `run X.ini -test -w DIR` scores the trained
// LeNet; -w errors name the file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "frontends/ini_model/ini_model.h"
#include "frontends/ini_model/ini_weights.h"
#include "frontends/onnx/onnx_loader.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#include "tests/apps/cli_run.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace n2d2;
using n2d2::test::Result;
using n2d2::test::run_cli;

namespace {

class IniNative : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("n2d2_ini_native_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// (op, output type) of every node line of `info --nodes`.
std::vector<std::string> node_lines(const std::string& out) {
  std::vector<std::string> r;
  std::istringstream in(out);
  bool nodes = false;
  for (std::string line; std::getline(in, line);) {
    std::istringstream w(line);
    std::string name, op, type;
    w >> name >> op >> type;
    if (name == "node" && op == "op") {
      nodes = true;
      continue;
    }
    if (nodes && !type.empty()) r.push_back(op + " " + type);
  }
  return r;
}

Tensor run(graph::Graph g, const Tensor& x) {
  sched::optimize_graph(g);
  sched::Plan p = sched::Plan::compile(std::move(g));
  return sched::make_executor(p, sched::Engine::Sequential, 1)->run({x})[0];
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  double m = 0;
  for (int64_t i = 0; i < std::min(a.numel(), b.numel()); ++i)
    m = std::max(m, static_cast<double>(std::abs(a.data<float>()[i] - b.data<float>()[i])));
  return m;
}

// The twin's weights -> N2D2 text weights in `wdir` -> the INI network loaded with -w: same
// outputs as the twin on a batch.
void check_same_outputs(const std::string& ini, const std::string& twin, const fs::path& wdir, const Shape& in_shape) {
  ini::IniModel filled = ini::load_ini_model(ini);
  graph::Graph onnx_g = onnx::load_model(twin);
  ini::copy_weights(onnx_g, twin, filled.params, filled.graph);
  ini::export_weights(wdir.string(), filled.params, filled.graph);
  ini::IniModel m = ini::load_ini_model(ini, {}, {wdir.string(), 5});
  Tensor x = test::random_tensor(in_shape, 11, 0.f, 1.f);
  Tensor a = run(m.graph, x), b = run(onnx_g, x);
  double d = max_abs_diff(a, b);
  EXPECT_LT(d, 1e-5) << ini;
  std::printf("%s vs %s: max abs diff %.3g over %lld values\n", ini.c_str(), twin.c_str(), d, static_cast<long long>(a.numel()));
  // And the fillers alone (-w /dev/null) do not give the twin's outputs.
  ini::IniModel f = ini::load_ini_model(ini, {}, {"/dev/null", 5});
  EXPECT_GT(max_abs_diff(run(f.graph, x), b), 1e-3);
}

}  // namespace

TEST_F(IniNative, LenetInfoMatchesItsOnnxTwin) {
  Result a = run_cli("info " + test::source_path("samples/ini/lenet_fmnist.ini") + " --nodes");
  Result b = run_cli("info " + test::source_path("samples/ini/lenet_fmnist_twin.onnx") + " --nodes");
  ASSERT_EQ(a.code, 0) << a.out;
  ASSERT_EQ(b.code, 0) << b.out;
  std::vector<std::string> na = node_lines(a.out), nb = node_lines(b.out);
  EXPECT_EQ(na.size(), 9u) << a.out;  // after passes: fc1 Gemm + Relu are one FusedGemm
  EXPECT_EQ(na, nb) << a.out << "\n" << b.out;
  EXPECT_NE(a.out.find("output  softmax: float32[8x10]"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("parameters: 61.7 k"), std::string::npos) << a.out;  // conv2 counted dense (masked weights)
}

TEST_F(IniNative, InceptionInfoMatchesItsOnnxTwin) {
  Result a = run_cli("info " + test::source_path("samples/ini/inception.ini") + " --nodes");
  Result b = run_cli("info " + test::source_path("samples/ini/inception_twin.onnx") + " --nodes");
  ASSERT_EQ(a.code, 0) << a.out;
  ASSERT_EQ(b.code, 0) << b.out;
  std::vector<std::string> na = node_lines(a.out), nb = node_lines(b.out);
  EXPECT_EQ(na.size(), 14u) << a.out;
  EXPECT_EQ(na, nb) << a.out << "\n" << b.out;
}

TEST_F(IniNative, LenetWithTwinWeightsGivesTheOnnxOutputs) {
  check_same_outputs(test::source_path("samples/ini/lenet_fmnist.ini"), test::source_path("samples/ini/lenet_fmnist_twin.onnx"),
                     dir_ / "w", {8, 1, 32, 32});
  // conv2's files hold only the weights its Mapping connects: 6 x 16 map with 60 ones, 25 each.
  std::ifstream f(dir_ / "w" / "conv2_weights.syntxt");
  std::size_t values = 0, lines = 0;
  for (std::string line; std::getline(f, line); ++lines) {
    std::istringstream in(line);
    for (std::string v; in >> v;) ++values;
  }
  EXPECT_EQ(lines, 16u);
  EXPECT_EQ(values, 60u * 25u);
}

TEST_F(IniNative, InceptionWithTwinWeightsGivesTheOnnxOutputs) {
  check_same_outputs(test::source_path("samples/ini/inception.ini"), test::source_path("samples/ini/inception_twin.onnx"),
                     dir_ / "w", {1, 3, 32, 32});
  EXPECT_FALSE(fs::exists(dir_ / "w" / "stem_biases.syntxt"));  // NoBias=1 (conv.config)
  EXPECT_TRUE(fs::exists(dir_ / "w" / "fc_biases.syntxt"));
}

TEST_F(IniNative, LenetTestScoresTheTrainedWeights) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz") && !std::getenv("N2D2_DATA"))
    GTEST_SKIP() << "no Fashion-MNIST test set";
  std::string ini = test::source_path("samples/ini/lenet_fmnist.ini");
  ini::IniModel m = ini::load_ini_model(ini);
  ini::copy_weights(onnx::load_model(test::source_path("samples/ini/lenet_fmnist_twin.onnx")), "twin", m.params, m.graph);
  ini::export_weights((dir_ / "w").string(), m.params, m.graph);
  Result r = run_cli("run " + ini + " -test -w " + (dir_ / "w").string() + " --images 400 --json " + (dir_ / "s.json").string());
  ASSERT_EQ(r.code, 0) << r.out;
  std::ifstream j(dir_ / "s.json");
  std::string json((std::istreambuf_iterator<char>(j)), {});
  auto at = json.find("\"top1_accuracy\":");
  ASSERT_NE(at, std::string::npos) << json;
  double top1 = std::stod(json.substr(at + 16));
  EXPECT_GT(top1, 75.0) << r.out;  // trained one epoch (scripts/make_ini_models.py); chance is 10
  Result f = run_cli("run " + ini + " -test -w /dev/null --images 400 --json " + (dir_ / "f.json").string());
  ASSERT_EQ(f.code, 0) << f.out;
}

TEST_F(IniNative, WeightErrorsNameTheFile) {
  std::string ini = test::source_path("samples/ini/inception.ini");
  Result r = run_cli("info " + ini + " -w " + (dir_ / "missing").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("missing: not a directory"), std::string::npos) << r.out;
  fs::create_directories(dir_ / "w");
  r = run_cli("info " + ini + " -w " + (dir_ / "w").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("stem_weights.syntxt: cannot open the weights file"), std::string::npos) << r.out;
  std::ofstream(dir_ / "w" / "stem_weights.syntxt") << "0.5 0.25\n1e-3 oops\n";
  r = run_cli("info " + ini + " -w " + (dir_ / "w").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("stem_weights.syntxt:2: 'oops' is not a number (weight of output 0, channel 0)"), std::string::npos) << r.out;
  r = run_cli("info " + test::source_path("samples/ini/inception_twin.onnx") + " -w " + (dir_ / "w").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("N2D2 text weights are for INI models"), std::string::npos) << r.out;
}

// Type=ONNX Transpose=1: the wrapped graph runs on transposed maps, G'(x) = T(G(T(x))); LeNet's
// output [N, 10] is not a map, so its logits are the model's on the transposed images.
TEST(IniOnnxTranspose, RunsTheGraphOnTransposedMaps) {
  const fs::path dir = fs::temp_directory_path() / ("n2d2_ini_transpose_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  graph::Graph full = onnx::load_model(test::source_path("samples/lenet_fmnist/model.onnx"));
  std::ofstream(dir / "t.ini") << "[sp]\nSizeX=28\nSizeY=28\nNbChannels=1\nBatchSize=2\n"
                                  "[onnx]\nInput=sp\nType=ONNX\nTranspose=1\nFile="
                               << test::source_path("samples/lenet_fmnist/model.onnx") << "\n";
  ini::IniModel m = ini::load_ini_model((dir / "t.ini").string());
  fs::remove_all(dir);
  const graph::Value& in = m.graph.value(m.graph.inputs()[0]);
  EXPECT_EQ(in.type.dims[2], 28);
  EXPECT_EQ(in.type.dims[3], 28);
  EXPECT_EQ(in.name, full.value(full.inputs()[0]).name);  // names kept
  Tensor x = test::random_tensor({2, 1, 28, 28}, 11);
  Tensor xt(DType::F32, {2, 1, 28, 28});
  for (int n = 0; n < 2; ++n)
    for (int h = 0; h < 28; ++h)
      for (int w = 0; w < 28; ++w) xt.data_mut<float>()[(n * 28 + w) * 28 + h] = x.data<float>()[(n * 28 + h) * 28 + w];
  graph::Graph g = m.graph;
  Tensor got = run(std::move(g), x);
  onnx::LoadOptions b2;
  b2.batch = 2;
  b2.force_batch = true;
  Tensor want = run(onnx::load_model(test::source_path("samples/lenet_fmnist/model.onnx"), b2), xt);
  EXPECT_LT(max_abs_diff(got, want), 1e-5);
  EXPECT_GT(max_abs_diff(run(onnx::load_model(test::source_path("samples/lenet_fmnist/model.onnx"), b2), x), want), 1e-3);
}
