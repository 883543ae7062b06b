// n2d2-flow hw end to end: the per-layer table, the JSON keys of the issue, the PNG chart, and one
// clear error line with exit code 2 for a float network, an op no block implements, budgets too
// small and bad options.
#include <gtest/gtest.h>

#include "tests/apps/cli_run.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/test_util.h"

namespace fs = std::filesystem;

namespace {

using n2d2::test::Result;
Result hw(const std::string& args) { return n2d2::test::run_cli("hw " + args); }

std::string golden(const std::string& name) { return n2d2::test::source_path("tests/golden/hw/" + name); }


void expect_error(const Result& r, const std::string& needle) {
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(needle), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

TEST(HwCli, LenetTableJsonAndChart) {
  fs::path dir = fs::temp_directory_path() / ("n2d2_hw_cli_" + std::to_string(::getpid()));
  Result r = hw(golden("lenet_q.onnx") + " --device xc7z020 --clock 200 -o " + dir.string() + " --json " + (dir / "s.json").string());
  ASSERT_EQ(r.code, 0) << r.out;
  // Seven blocks: two convs, two pools, three dense layers.
  for (const char* name : {"conv1", "pool2", "conv3", "pool4", "fc5", "fc6", "fc7", "<- slowest", "FPS at 200.0 MHz"})
    EXPECT_NE(r.out.find(name), std::string::npos) << name << "\n" << r.out;
  std::string j = n2d2::test::read_file(dir / "s.json");
  for (const char* key : {"\"device\":\"xc7z020\"", "\"clock_mhz\":200", "\"dsp\":", "\"bram18\":", "\"lut\":", "\"estimated_fps\":",
                          "\"estimated_latency_cycles\":", "\"layers\":[", "\"rescale\":\"Fixed-point\""})
    EXPECT_NE(j.find(key), std::string::npos) << key << "\n" << j;
  EXPECT_EQ(n2d2::test::read_file(dir / "report.json"), j);
  std::string png = n2d2::test::read_file(dir / "layers.png");
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  fs::remove_all(dir);
}

TEST(HwCli, ResidualAddAndConcatMap) {
  Result r = hw(golden("resnet_q.onnx") + " --device xczu9eg --clock 300");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find(" add "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" concat "), std::string::npos) << r.out;
}

TEST(HwCli, MobilenetReachesDNeuroOnArria10) {
  // DNeuro's block-RAM line buffers (estimate only); the VHDL blocks' LUT-RAM ones do not fit
  Result r = hw("zoo:mobilenet --device arria10 --clock 200 --line-buffers bram");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("162.76 FPS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("block-RAM line buffers"), std::string::npos) << r.out;
  r = hw("zoo:mobilenet --device arria10 --clock 200");
  EXPECT_NE(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("budget too small"), std::string::npos) << r.out;
}

TEST(HwCli, SimulateLenetOnFashionMnist) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist") && !std::getenv("N2D2_DATA")) GTEST_SKIP() << "Fashion-MNIST not installed";
  fs::path j = fs::temp_directory_path() / ("n2d2_hw_sim_" + std::to_string(::getpid()) + ".json");
  Result r = hw(golden("lenet_q.onnx") + " --device xc7z020 --simulate 20 --data fashion-mnist --json " + j.string());
  if (r.out.find("no SystemC") != std::string::npos) GTEST_SKIP() << r.out;
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("bit-identical to the integer reference"), std::string::npos) << r.out;
  std::string s = n2d2::test::read_file(j);
  for (const char* key : {"\"bit_exact\":true", "\"images\":20", "\"systemc_fps\":", "\"systemc_cycles_per_frame\":1536,"})
    EXPECT_NE(s.find(key), std::string::npos) << key << "\n" << s;
  fs::remove(j);
}

TEST(HwCli, BadInputIsOneClearLine) {
  expect_error(hw(golden("float.onnx") + " --device xc7z020"), "float network");
  expect_error(hw(golden("unsupported_q.onnx") + " --device xc7z020"), "no hardware block implements ai.n2d2.QGlobalSumPool");
  expect_error(hw(golden("float_rescaling_q.onnx") + " --device xc7z020"), "Floating-point rescaling has no hardware block");
  expect_error(hw(golden("lenet_q.onnx") + " --device xc7z020 --dsp 1 --bram 1"), "budget too small");
  expect_error(hw(golden("lenet_q.onnx") + " --device xc9"), "unknown device 'xc9'");
  expect_error(hw(golden("lenet_q.onnx") + " --device xc7z020 --clock fast"), "--clock");
  expect_error(hw(golden("lenet_q.onnx") + " --device xc7z020 --int8-packing"), "int8 packing needs a DSP48E2");
  expect_error(hw(golden("lenet_q.onnx")), "--device");
  expect_error(hw(golden("lenet_q.onnx") + " --device xc7z020 --data fashion-mnist"), "--data needs --simulate");
  expect_error(hw(golden("resnet_q.onnx") + " --device xczu9eg --simulate 2 --data fashion-mnist"), "--data: images are 1x28x28");
}

}  // namespace
