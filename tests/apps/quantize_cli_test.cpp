// n2d2-flow quantize end to end on a small MNIST-layout folder built from the LeNet sample images:
// the integer model it writes runs under `run --data` with the accuracy it reported, the report
// carries the JSON keys, and each kind of bad input is one error line with exit code 2.
#include <gtest/gtest.h>

#include "tests/apps/cli_run.h"
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "frontends/io/npy.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace n2d2;

namespace {

using n2d2::test::Result;
using n2d2::test::run_cli;

void put_be32(std::string& s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

class QuantizeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() / ("n2d2_quantize_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(tmp_ / "data");
    // The 8 LeNet sample images (pixel = round(255 x)) and labels as both train and test split.
    Tensor x = io::read_npy(test::source_path("samples/lenet_fmnist/input_0.npy"));
    Tensor y = io::read_npy(test::source_path("samples/lenet_fmnist/labels.npy"));
    std::string img, lab;
    put_be32(img, 0x803);
    put_be32(img, 8);
    put_be32(img, 28);
    put_be32(img, 28);
    for (float v : x.span<float>()) img.push_back(static_cast<char>(static_cast<uint8_t>(std::lround(v * 255))));
    put_be32(lab, 0x801);
    put_be32(lab, 8);
    for (int64_t v : y.span<int64_t>()) lab.push_back(static_cast<char>(v));
    for (const char* split : {"train", "t10k"}) {
      std::ofstream(tmp_ / "data" / (std::string(split) + "-images-idx3-ubyte"), std::ios::binary) << img;
      std::ofstream(tmp_ / "data" / (std::string(split) + "-labels-idx1-ubyte"), std::ios::binary) << lab;
    }
  }
  void TearDown() override { fs::remove_all(tmp_); }
  std::string tmp(const std::string& n) const { return (tmp_ / n).string(); }
  std::string quantize(const std::string& extra) const {
    return "quantize " + test::source_path("samples/lenet_fmnist/model.onnx") + " --calib-data " + tmp("data") +
           " --calib 8 --test-images 8 " + extra;
  }
  fs::path tmp_;
};


}  // namespace

TEST_F(QuantizeCli, WritesARunnableIntegerModelAndReport) {
  Result r = run_cli(quantize("--act-rescaling Single-shift --act-clipping KL-Divergence -o " + tmp("q") +
                              " --json " + tmp("q.json")));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("/conv1/Conv"), std::string::npos) << r.out;
  std::string j = n2d2::test::read_file(tmp("q.json"));
  for (const char* k : {"\"images\":8", "\"float_accuracy\":", "\"quantized_accuracy\":", "\"nbbits\":8",
                        "\"act_clipping\":\"KL-Divergence\"", "\"act_rescaling\":\"Single-shift\"", "\"layers\":["})
    EXPECT_NE(j.find(k), std::string::npos) << k << " in " << j;
  EXPECT_EQ(n2d2::test::read_file(tmp("q/report.json")), j);
  EXPECT_TRUE(fs::exists(tmp("q/calibration.txt")));
  // The written model runs in integer and gives the accuracy the report gave.
  Result run = run_cli("run " + tmp("q/model.onnx") + " --data " + tmp("data"));
  ASSERT_EQ(run.code, 0) << run.out;
  std::size_t at = j.find("\"quantized_accuracy\":");
  double acc = std::stod(j.substr(at + 21));
  char want[64];
  std::snprintf(want, sizeof want, "top-1 accuracy: %.2f %%", acc);
  EXPECT_NE(run.out.find(want), std::string::npos) << want << "\n" << run.out;
  // run --data --json on the quantized model also scores its float model (named in report.json).
  Result cmp = run_cli("run " + tmp("q/model.onnx") + " --data " + tmp("data") + " --json " + tmp("cmp.json"));
  ASSERT_EQ(cmp.code, 0) << cmp.out;
  std::string c = n2d2::test::read_file(tmp("cmp.json"));
  auto num = [&](const std::string& text, const std::string& key) {
    std::size_t k = text.find("\"" + key + "\":");
    return k == std::string::npos ? -1.0 : std::stod(text.substr(k + key.size() + 3));
  };
  EXPECT_DOUBLE_EQ(num(c, "quantized_accuracy"), acc) << c;
  EXPECT_DOUBLE_EQ(num(c, "float_accuracy"), num(j, "float_accuracy")) << c;
  for (const char* k : {"\"nbbits\":8", "\"act_clipping\":\"KL-Divergence\"", "\"act_rescaling\":\"Single-shift\"", "\"images\":8"})
    EXPECT_NE(c.find(k), std::string::npos) << k << " in " << c;
  // Reloading the calibration gives the same model bytes.
  Result again = run_cli(quantize("--act-rescaling Single-shift --act-clipping KL-Divergence --calib-reload " +
                                  tmp("q/calibration.txt") + " -o " + tmp("q2")));
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_EQ(n2d2::test::read_file(tmp("q2/model.onnx")), n2d2::test::read_file(tmp("q/model.onnx")));
}

TEST_F(QuantizeCli, BadInputIsOneErrorLine) {
  struct Case {
    std::string args, message;
  };
  std::ofstream(tmp("bad_calib.txt")) << "n2d2-flow calibration 1 images 8\ninput\t1\t2\t0\t2 1 1\n";
  fs::create_directories(tmp("full"));
  std::ofstream(tmp("full/x")) << "x";
  const Case cases[] = {
      {quantize("--nbbits 17 -o " + tmp("o1")), "--nbbits must be in [2, 16]"},
      {quantize("--wt-nbbits 1 -o " + tmp("o6")), "--wt-nbbits must be in [2, 16]"},
      {quantize("--act-clipping Median -o " + tmp("o2")), "unknown clipping mode 'Median'"},
      {quantize("--act-rescaling Triple-shift -o " + tmp("o3")), "unknown rescaling mode 'Triple-shift'"},
      {quantize("-o " + tmp("full")), "exists and is not empty"},
      {quantize("--calib-reload " + tmp("bad_calib.txt") + " -o " + tmp("o4")), "bad_calib.txt:2"},
      {"quantize " + test::source_path("samples/lenet_fmnist/model.onnx") + " --calib-data " + tmp("nowhere") + " -o " +
           tmp("o5"),
       "nowhere"},
  };
  for (const Case& c : cases) {
    Result r = run_cli(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find("error"), std::string::npos) << r.out;
  }
}

TEST_F(QuantizeCli, ExportsOnnxAndAStandaloneProgram) {
  ASSERT_EQ(run_cli(quantize("--act-rescaling Double-shift -o " + tmp("q"))).code, 0);
  // ONNX float export: onnx.checker accepts it, and it runs with the same outputs.
  std::string model = test::source_path("samples/lenet_fmnist/model.onnx");
  Result e = run_cli("export " + model + " --format onnx -o " + tmp("onnx"));
  ASSERT_EQ(e.code, 0) << e.out;
  std::string check = "/usr/bin/python3 -c \"import onnx; onnx.checker.check_model(onnx.load('" + tmp("onnx/model.onnx") +
                      "'))\" 2>&1";
  EXPECT_EQ(std::system(check.c_str()), 0) << check;
  std::string in = test::source_path("samples/lenet_fmnist/input_0.npy");
  Result a = run_cli("run " + model + " --input input=" + in), b = run_cli("run " + tmp("onnx/model.onnx") + " --input input=" + in);
  ASSERT_EQ(a.code, 0) << a.out;
  auto outputs = [](const std::string& s) {
    std::size_t b = s.find("output "), e = s.find("load:");
    return b == std::string::npos || e == std::string::npos ? s : s.substr(b, e - b);
  };
  EXPECT_EQ(outputs(b.out), outputs(a.out));
  // C++ export of the quantized model: builds with g++, classifies a PGM image (the first sample, an ankle boot).
  Result c = run_cli("export " + tmp("q/model.onnx") + " --format cpp -o " + tmp("cpp"));
  ASSERT_EQ(c.code, 0) << c.out;
  ASSERT_EQ(std::system(("cd " + tmp("cpp") + " && g++ -std=c++17 -O1 -o network main.cpp network.cpp").c_str()), 0);
  Tensor x = io::read_npy(in);
  std::string pgm = "P5\n28 28\n255\n";
  for (int i = 0; i < 784; ++i) pgm.push_back(static_cast<char>(static_cast<uint8_t>(std::lround(x.data<float>()[i] * 255))));
  std::ofstream(tmp("boot.pgm"), std::ios::binary) << pgm;
  std::string cmd = tmp("cpp/network") + " " + tmp("boot.pgm");
  FILE* p = popen(cmd.c_str(), "r");
  char line[256] = {0};
  ASSERT_NE(fgets(line, sizeof line, p), nullptr);
  pclose(p);
  EXPECT_EQ(std::string(line), "class 9\n");
  // Existing output folder, bad format, float model to C++: errors with exit code 2.
  EXPECT_EQ(run_cli("export " + model + " --format onnx -o " + tmp("onnx")).code, 2);
  Result f = run_cli("export " + model + " --format tflite -o " + tmp("x"));
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.out.find("--format must be onnx, onnx-int8 or cpp"), std::string::npos) << f.out;
  Result g = run_cli("export " + model + " --format cpp -o " + tmp("y"));
  EXPECT_EQ(g.code, 2);
  EXPECT_NE(g.out.find("is not supported (export a model written by n2d2-flow quantize)"), std::string::npos) << g.out;
}

// ONNX Runtime runs both int8 exports (QDQ, ConvInteger/MatMulInteger) within one output step of
// the integer run (scripts/compare_int8_ort.py; skipped when onnxruntime-node is not installed).
TEST_F(QuantizeCli, OnnxRuntimeReproducesTheInt8Exports) {
  ASSERT_EQ(run_cli(quantize("--act-rescaling Fixed-point16 -o " + tmp("q"))).code, 0);
  std::string cmd = "/usr/bin/python3 " + test::source_path("scripts/compare_int8_ort.py") + " " + tmp("q") + " " +
                    test::source_path("samples/lenet_fmnist/input_0.npy") + " --bin " + N2D2_FLOW_BIN + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  if (code == 77) GTEST_SKIP() << out;
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("qdq: logits.npy"), std::string::npos) << out;
  EXPECT_NE(out.find("integer-ops: logits.npy"), std::string::npos) << out;
}
