// The standalone C++ export, compiled by g++ and run: its outputs equal n2d2-flow's integer run
// bit for bit (LeNet: MaxPool/Flatten/Gemm; ResNet-tiny: residual QAdd, global sum pool, Reshape).
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "exporters/cpp_export.h"
#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "quant/quantizer.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#include "tests/test_util.h"

using namespace n2d2;
namespace fs = std::filesystem;

namespace {

int shell(const std::string& cmd, std::string* out = nullptr) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  std::size_t n;
  std::string o;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.append(buf, n);
  int st = pclose(p);
  if (out) *out = o;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void check_model(const std::string& model, quant::RescalingMode mode) {
  std::string dir = "tests/models/" + model;
  graph::Graph g = onnx::load_model(test::source_path(dir + "/model.onnx"));
  sched::optimize_graph(g);
  quant::fold_batchnorm(g);
  Tensor x = io::read_npy(test::source_path(dir + "/input_0.npy"));
  bool given = false;
  quant::Calibration cal = quant::calibrate(g, [&](Tensor& b) { return !given && (b = x, given = true); });
  quant::QuantOptions o;
  o.rescaling = mode;
  o.act_clipping = quant::Clipping::MSE;
  graph::Graph q = quant::quantize(g, cal, o).graph;
  sched::Plan plan = sched::Plan::compile(q);
  Tensor want = sched::make_executor(plan, sched::Engine::Sequential, 1)->run({x})[0];

  fs::path tmp = fs::temp_directory_path() / ("n2d2_cpp_export_" + model + "_" + std::to_string(::getpid()));
  exporters::write_cpp_export(q, tmp.string());
  for (const char* f : {"network.cpp", "network.hpp", "n2d2_ops.hpp", "n2d2_semantics.hpp", "main.cpp", "CMakeLists.txt"})
    EXPECT_TRUE(fs::exists(tmp / f)) << f;
  std::string log;
  ASSERT_EQ(shell("cd " + tmp.string() + " && g++ -std=c++17 -O1 -Wall -Werror -o network main.cpp network.cpp", &log), 0) << log;
  std::ofstream(tmp / "input.raw", std::ios::binary).write(static_cast<const char*>(x.raw()), static_cast<std::streamsize>(x.nbytes()));
  std::string out;
  ASSERT_EQ(shell((tmp / "network").string() + " " + (tmp / "input.raw").string() + " --exact", &out), 0) << out;
  std::istringstream lines(out);
  std::string line;
  std::vector<float> got;
  while (std::getline(lines, line))
    if (line.rfind("class ", 0) != 0) got.push_back(static_cast<float>(std::strtod(line.c_str(), nullptr)));
  ASSERT_EQ(static_cast<int64_t>(got.size()), want.numel()) << out;
  for (int64_t i = 0; i < want.numel(); ++i) {
    uint32_t a, b;
    std::memcpy(&a, &got[i], 4);
    std::memcpy(&b, &want.data<float>()[i], 4);
    ASSERT_EQ(a, b) << "output " << i << ": " << got[i] << " vs " << want.data<float>()[i];
  }
  // A bad image file is one error line and exit code 2.
  std::ofstream(tmp / "bad.raw") << "xyz";
  EXPECT_EQ(shell((tmp / "network").string() + " " + (tmp / "bad.raw").string(), &out), 2) << out;
  fs::remove_all(tmp);
}

}  // namespace

TEST(CppExport, LeNetMatchesTheIntegerRunBitForBit) { check_model("lenet_fmnist", quant::RescalingMode::SingleShift); }
TEST(CppExport, ResidualNetMatchesTheIntegerRunBitForBit) { check_model("resnet_tiny", quant::RescalingMode::FloatingPoint); }

TEST(CppExport, RefusesFloatOps) {
  graph::Graph g = onnx::load_model(test::source_path("tests/models/lenet_fmnist/model.onnx"));
  try {
    exporters::cpp_export_files(g);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(Conv)"), std::string::npos) << e.what();
  }
}
