// The n2d2-flow binary end to end: outputs, JSON, determinism across engines/threads, and one
// clear error line with exit code 2 for each kind of bad input.
#include <gtest/gtest.h>

#include "tests/apps/cli_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

#include "frontends/io/npy.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace n2d2;

namespace {

using n2d2::test::Result;
using n2d2::test::run_cli;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() / ("n2d2_cli_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(tmp_);
  }
  void TearDown() override { fs::remove_all(tmp_); }
  std::string tmp(const std::string& name) const { return (tmp_ / name).string(); }
  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(tmp(name), std::ios::binary) << bytes;
    return tmp(name);
  }
  static std::string lenet() { return test::source_path("tests/models/lenet_fmnist/model.onnx"); }
  static std::string lenet_input() { return test::source_path("tests/models/lenet_fmnist/input_0.npy"); }
  fs::path tmp_;
};

void expect_error(const Result& r, const std::string& needle) {
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(needle), std::string::npos) << "expected '" << needle << "' in: " << r.out;
  EXPECT_EQ(r.out.find("terminate"), std::string::npos) << r.out;
}

}  // namespace

TEST_F(Cli, RunWritesOutputsAndJson) {
  Result r = run_cli("run " + lenet() + " --input input=" + lenet_input() + " -o " + tmp("out") + " --json " +
                     tmp("run.json") + " --repeat 3 --min-time 0");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("top-5 [0]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("median"), std::string::npos) << r.out;
  std::string json = n2d2::test::read_file(tmp("run.json"));
  for (const char* key : {"\"model\"", "\"threads\"", "\"engine\"", "\"outputs\"", "\"shape\"", "\"file\"", "\"timing\"",
                          "\"load_ms\"", "\"median_ms\"", "\"min_ms\"", "\"runs\":3", "\"warmup\":3"})
    EXPECT_NE(json.find(key), std::string::npos) << key << " missing in " << json;
  int npy = 0;
  for (const auto& e : fs::directory_iterator(tmp("out"))) {
    EXPECT_EQ(e.path().extension(), ".npy") << e.path();  // no temp file left behind
    Tensor t = io::read_npy(e.path().string());
    EXPECT_EQ(t.shape(), (Shape{8, 10}));
    ++npy;
  }
  EXPECT_EQ(npy, 1);
}

TEST_F(Cli, RunRepeatsUntilMinTime) {
  // --repeat 2 with --min-time 0.2: at least 2 runs and at least 0.2 s of runs.
  Result r = run_cli("run " + lenet() + " --input input=" + lenet_input() + " --json " + tmp("t.json") +
                     " --repeat 2 --warmup 1 --min-time 0.2");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("per batch of 8"), std::string::npos) << r.out;
  std::string json = n2d2::test::read_file(tmp("t.json"));
  auto num = [&](const std::string& key) { return std::stod(json.substr(json.find("\"" + key + "\":") + key.size() + 3)); };
  EXPECT_GE(num("runs"), 2);
  EXPECT_GE(num("total_s"), 0.2);
  EXPECT_EQ(num("warmup"), 1);
  EXPECT_EQ(num("batch"), 8);
  expect_error(run_cli("run " + lenet() + " --min-time abc"), "--min-time");
  expect_error(run_cli("run " + lenet() + " --min-time -1"), "below the minimum");
}

TEST_F(Cli, EnginesAndThreadsGiveIdenticalFiles) {
  std::string first;
  for (const char* engine : {"seq", "tbb"})
    for (int threads : {1, 2}) {
      std::string dir = tmp(std::string(engine) + std::to_string(threads));
      Result r = run_cli("run " + lenet() + " --engine " + engine + " --threads " + std::to_string(threads) + " -o " + dir);
      ASSERT_EQ(r.code, 0) << r.out;
      std::string bytes;
      for (const auto& e : fs::directory_iterator(dir)) bytes += n2d2::test::read_file(e.path().string());
      if (first.empty()) first = bytes;
      EXPECT_EQ(bytes, first) << engine << " " << threads;
    }
}

TEST_F(Cli, InfoReportsParametersAndMacs) {
  Result r = run_cli("info " + lenet() + " --nodes --json " + tmp("info.json"));
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* s : {"input", "output", "Conv", "parameters:", "MACs:", "activation memory"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << " in " << r.out;
  std::string json = n2d2::test::read_file(tmp("info.json"));
  EXPECT_NE(json.find("\"macs\""), std::string::npos);
}

TEST_F(Cli, HelpAndVersion) {
  EXPECT_EQ(run_cli("--version").code, 0);
  Result r = run_cli("run --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--input"), std::string::npos);
  expect_error(run_cli("frobnicate"), "unknown command");
}

TEST_F(Cli, BadFilesGiveOneClearError) {
  expect_error(run_cli("run " + tmp("nope.onnx")), "nope.onnx");
  expect_error(run_cli("run " + write("empty.onnx", "")), "empty.onnx");
  expect_error(run_cli("run " + write("text.onnx", "this is not a model at all\n")), "text.onnx");
  std::string model = n2d2::test::read_file(lenet());
  expect_error(run_cli("run " + write("cut.onnx", model.substr(0, model.size() / 2))), "cut.onnx");
  expect_error(run_cli("run " + tmp_.string()), tmp_.filename().string());
}

TEST_F(Cli, UnsupportedOpIsNamed) {
  std::string gru = "/usr/include/onnx/backend/test/data/node/test_gru_defaults/model.onnx";
  if (!fs::exists(gru)) GTEST_SKIP() << "libonnx-testdata not installed";
  expect_error(run_cli("run " + gru), "GRU");
}

TEST_F(Cli, BadInputsAreNamed) {
  expect_error(run_cli("run " + lenet() + " --input nosuch=" + lenet_input()), "nosuch");
  io::write_npy_atomic(tmp("small.npy"), Tensor(DType::F32, {8, 1, 27, 28}));
  expect_error(run_cli("run " + lenet() + " --input input=" + tmp("small.npy")), "input 'input' has shape [8x1x27x28]");
  io::write_npy_atomic(tmp("ints.npy"), Tensor(DType::I32, {8, 1, 28, 28}));
  expect_error(run_cli("run " + lenet() + " --input input=" + tmp("ints.npy")), "int32");
  expect_error(run_cli("run " + lenet() + " --input input=" + write("bad.npy", "\x93NUMPY garbage")), "bad.npy");
  expect_error(run_cli("run " + lenet() + " --input input=" + tmp("missing.npy")), "missing.npy");
}

TEST_F(Cli, BadOptionsAreNamed) {
  expect_error(run_cli("run " + lenet() + " --threads 0"), "--threads");
  expect_error(run_cli("run " + lenet() + " --engine gpu"), "gpu");
  expect_error(run_cli("run " + lenet() + " --bogus"), "--bogus");
  expect_error(run_cli("run " + lenet() + " --shape input"), "--shape");
  expect_error(run_cli("run " + lenet() + " --shape nosuch=1x1x28x28"), "nosuch");
  expect_error(run_cli("run " + lenet() + " --max-tensor-mb 0"), "--max-tensor-mb");
  expect_error(run_cli("run"), "MODEL");
}

TEST_F(Cli, IsaCapSelectsKernelsAndKeepsResults) {
  // N2D2_MAX_ISA caps dispatch; every level gives results within tolerance of ONNX Runtime's.
  Tensor want = io::read_npy(test::source_path("tests/models/lenet_fmnist/expected_logits.npy"));
  for (std::string isa : {"scalar", "avx2", "avx512"}) {
    std::string dir = tmp(isa);
    Result r = run_cli("run " + lenet() + " --input input=" + lenet_input() + " -o " + dir,
                       "N2D2_MAX_ISA=" + isa + " N2D2_VERBOSE=dispatch");
    ASSERT_EQ(r.code, 0) << r.out;
    if (isa == "scalar") {
      EXPECT_NE(r.out.find("(Gemm) -> gemm_ref"), std::string::npos) << r.out;
    } else if (r.out.find("-> gemm_f32_prepacked_" + isa) == std::string::npos) {  // the weights are constants
      EXPECT_NE(r.out.find("the CPU lacks"), std::string::npos) << r.out;
    }
    test::expect_near(io::read_npy(dir + "/logits.npy"), want, 1e-4, 1e-3);
  }
  expect_error(run_cli("run " + lenet(), "N2D2_MAX_ISA=sse9"), "N2D2_MAX_ISA");
}

namespace {

// An MNIST-layout test split (t10k-*-ubyte) from float images in [0,1] (exact multiples of 1/255).
void write_mnist_split(const fs::path& dir, const Tensor& images, const std::vector<int>& order, const Tensor& labels) {
  fs::create_directories(dir);
  auto be32 = [](std::string& s, uint32_t v) {
    for (int sh = 24; sh >= 0; sh -= 8) s.push_back(static_cast<char>((v >> sh) & 0xFF));
  };
  std::string img, lab;
  be32(img, 0x00000803), be32(img, static_cast<uint32_t>(order.size())), be32(img, 28), be32(img, 28);
  be32(lab, 0x00000801), be32(lab, static_cast<uint32_t>(order.size()));
  for (int i : order) {
    for (int p = 0; p < 28 * 28; ++p)
      img.push_back(static_cast<char>(static_cast<uint8_t>(std::lround(images.data<float>()[i * 784 + p] * 255))));
    lab.push_back(static_cast<char>(labels.data<int64_t>()[i]));
  }
  std::ofstream(dir / "t10k-images-idx3-ubyte", std::ios::binary) << img;
  std::ofstream(dir / "t10k-labels-idx1-ubyte", std::ios::binary) << lab;
}

int argmax_row(const Tensor& t, int row) {
  const float* p = t.data<float>() + row * t.dim(1);
  return static_cast<int>(std::max_element(p, p + t.dim(1)) - p);
}

}  // namespace

TEST_F(Cli, RunOnDataScoresEveryImageOnce) {
  Tensor images = io::read_npy(lenet_input());
  Tensor labels = io::read_npy(test::source_path("tests/models/lenet_fmnist/labels.npy"));
  ASSERT_EQ(labels.dtype(), DType::I64);
  // 11 images: the 8, then the first 3 again, so the model's fixed batch of 8 leaves a padded tail.
  std::vector<int> order = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2};
  write_mnist_split(tmp_ / "set", images, order, labels);
  Result ref = run_cli("run " + lenet() + " --input input=" + lenet_input() + " -o " + tmp("ref"));
  ASSERT_EQ(ref.code, 0) << ref.out;
  Tensor logits;
  for (const auto& e : fs::directory_iterator(tmp("ref"))) logits = io::read_npy(e.path().string());
  int right = 0;
  for (int i : order) right += argmax_row(logits, i) == labels.data<int64_t>()[i];

  Result r = run_cli("run " + lenet() + " --data " + tmp("set") + " --json " + tmp("s.json") + " -o " + tmp("out"));
  ASSERT_EQ(r.code, 0) << r.out;
  std::string json = n2d2::test::read_file(tmp("s.json"));
  char expect[96];
  std::snprintf(expect, sizeof expect, "\"images\":11,\"top1_accuracy\":%.4f", 100.0 * right / 11);
  EXPECT_NE(json.find(expect), std::string::npos) << expect << " in " << json;
  for (const char* key : {"\"topn_accuracy\"", "\"n\":5", "\"confusion\"", "\"images_per_s\"", "\"batch\":8"})
    EXPECT_NE(json.find(key), std::string::npos) << key << " missing in " << json;
  for (const char* f : {"scores.txt", "confusion.csv", "scores.json"}) EXPECT_TRUE(fs::exists(tmp("out/") + f)) << f;
  EXPECT_EQ(n2d2::test::read_file(tmp("out/scores.json")), json);
}

TEST_F(Cli, RunOnDataErrorsAreNamed) {
  expect_error(run_cli("run " + lenet() + " --data " + tmp("missing")), tmp("missing"));
  fs::create_directories(tmp_ / "empty");
  expect_error(run_cli("run " + lenet() + " --data " + tmp("empty")), "t10k-images-idx3-ubyte");
  fs::create_directories(tmp_ / "bad");
  write("bad/t10k-images-idx3-ubyte", "not an idx file");
  write("bad/t10k-labels-idx1-ubyte", "nope");
  expect_error(run_cli("run " + lenet() + " --data " + tmp("bad")), "t10k-images-idx3-ubyte");
  Tensor images = io::read_npy(lenet_input());
  Tensor labels = io::read_npy(test::source_path("tests/models/lenet_fmnist/labels.npy"));
  write_mnist_split(tmp_ / "set", images, {0, 1}, labels);
  expect_error(run_cli("run " + test::source_path("tests/models/resnet_tiny/model.onnx") + " --data " + tmp("set")),
               "--data gives float images of 28x28");
  expect_error(run_cli("run " + lenet() + " --data " + tmp("set") + " --input input=" + lenet_input()),
               "--input cannot be combined with --data");
  expect_error(run_cli("run " + lenet() + " --images 3"), "--images needs --data or -test");
  expect_error(run_cli("run " + lenet() + " --data " + tmp("set") + " --split val"), "--split must be test or train");
}

TEST_F(Cli, DeviceOptionIsCheckedAndCudaFailsClearlyWithoutAGpu) {
  expect_error(run_cli("run " + lenet() + " --device tpu"), "--device must be cpu or cuda, not 'tpu'");
  expect_error(run_cli("run " + lenet() + " --cuda-graph"), "--cuda-graph needs --device cuda");
  Result cpu = run_cli("run " + lenet() + " --device cpu --input input=" + lenet_input() + " -o " + tmp("cpu"));
  ASSERT_EQ(cpu.code, 0) << cpu.out;
  EXPECT_NE(cpu.out.find("device: cpu"), std::string::npos) << cpu.out;
  // The CUDA libraries are a plugin's, loaded for --device cuda only: CPU runs do not map them.
  std::string ldd = "ldd " + std::string(N2D2_FLOW_BIN) + " 2>&1";
  FILE* p = popen(ldd.c_str(), "r");
  std::string libs;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) libs.append(buf, n);
  pclose(p);
  EXPECT_EQ(libs.find("libcudart"), std::string::npos) << libs;
  EXPECT_EQ(libs.find("libcudnn"), std::string::npos) << libs;
  Result r = run_cli("run " + lenet() + " --device cuda --input input=" + lenet_input() + " -o " + tmp("gpu"));
  if (r.code == 2) {  // no CUDA backend in this build, or no usable GPU: one clear line
    EXPECT_NE(r.out.find("--device cuda: "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("terminate"), std::string::npos) << r.out;
    return;
  }
  ASSERT_EQ(r.code, 0) << r.out;
  Tensor a = io::read_npy(tmp("cpu/logits.npy")), b = io::read_npy(tmp("gpu/logits.npy"));
  test::expect_near(b, a, 1e-4, 1e-3);
}

