// n2d2-flow spike on a few Fashion-MNIST test images: outputs, JSON fields, spike vs formal
// accuracy, identical results for any --threads, and errors (missing model, unsupported node,
// bad env.ini with file:line, wrong input shape) as one line and exit code 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "tests/apps/cli_run.h"
#include "tests/test_util.h"

namespace {

namespace fs = std::filesystem;
const char* kFashion = "/usr/share/datasets/fashion-mnist";

std::string src(const std::string& rel) { return std::string(N2D2_SOURCE_DIR) + "/" + rel; }

std::string tmp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("n2d2_spike_cli_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}


double json_number(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return -1e300;
  return std::stod(json.substr(at + key.size() + 3));
}

// A short run: 0.3 us per pattern (30 periods at intensity 1).
std::string short_env(const std::string& dir, const std::string& extra = "") {
  std::string p = dir + "/env.ini";
  std::ofstream(p) << "[env.config]\nStimulusType=Periodic\nPeriodMeanMin=10,000,000\nPeriodMeanMax=100,000,000,000\n"
                      "SimulatedTime=300,000,000\nCalibrationImages=100\n" << extra;
  return p;
}

}  // namespace

TEST(SpikeCli, TimeToFirstSpikeSample) {
  // samples/spike/env_ttfs.ini on 100 images: the network's own simulated time (4 windows of
  // 255 ns), each pixel and neuron at most once, accuracy close to formal at ~0.5 ev/syn.
  if (!fs::exists(kFashion)) GTEST_SKIP() << kFashion << " missing";
  const std::string d = tmp_dir("ttfs");
  auto r = n2d2::test::run_cli("spike " + src("samples/spike/lenet_fmnist.onnx") + " --data fashion-mnist --env " +
                               src("samples/spike/env_ttfs.ini") + " --images 100 --threads 2 --curve-images 0 -o " + d +
                               "/o --json " + d + "/s.json");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string j = n2d2::test::read_file(d + "/s.json");
  EXPECT_EQ(json_number(j, "simulated_time_fs"), 1020000000) << j;
  EXPECT_EQ(json_number(j, "ttfs_levels"), 255) << j;
  EXPECT_EQ(json_number(j, "mean_latency_fs"), 1020000000) << j;
  EXPECT_GT(json_number(j, "spike_accuracy"), json_number(j, "formal_accuracy") - 3.0) << j;
  const double ev = json_number(j, "read_events_per_virtual_synapse");
  EXPECT_GT(ev, 0.3) << j;
  EXPECT_LT(ev, 0.6) << j;
  EXPECT_LE(json_number(j, "input_spikes_per_pattern"), 784) << j;  // at most one per pixel
  fs::remove_all(d);
}

TEST(SpikeCli, LenetStatsJsonAndThreads) {
  if (!fs::exists(kFashion)) GTEST_SKIP() << kFashion << " missing";
  const std::string d = tmp_dir("run");
  const std::string env = short_env(d);
  const std::string base = "spike " + src("samples/spike/lenet_fmnist.onnx") + " --data fashion-mnist --env " + env +
                           " --images 40 --curve-images 10 --curve-points 3";
  auto r1 = n2d2::test::run_cli(base + " --threads 1 -o " + d + "/o1 --json " + d + "/s1.json");
  ASSERT_EQ(r1.code, 0) << r1.out;
  EXPECT_NE(r1.out.find("formal accuracy"), std::string::npos) << r1.out;
  EXPECT_NE(r1.out.find("read events per virtual synapse per pattern"), std::string::npos) << r1.out;
  for (const char* f : {"summary.txt", "layers.csv", "confusion.csv", "confusion.png", "accuracy_vs_time.csv",
                        "accuracy_vs_time.png", "raster.png", "summary.json"})
    EXPECT_TRUE(fs::exists(d + "/o1/" + f)) << f;
  const std::string j1 = n2d2::test::read_file(d + "/s1.json");
  EXPECT_EQ(json_number(j1, "images"), 40);
  const double formal = json_number(j1, "formal_accuracy"), spike = json_number(j1, "spike_accuracy");
  EXPECT_GT(formal, 80.0) << j1;
  EXPECT_GT(spike, formal - 15.0) << j1;  // 30 periods, 40 images: close, not equal
  const double events = json_number(j1, "synaptic_events"), macs = json_number(j1, "formal_macs");
  EXPECT_EQ(macs, 1697280);  // LeNet: 313,600 + 1,280,000 + 102,400 + 1,280
  EXPECT_NEAR(json_number(j1, "read_events_per_virtual_synapse"), events / macs / 40, 1e-6 * events / macs);
  EXPECT_EQ(json_number(j1, "mean_latency_fs"), 300000000);  // no TerminateDelta: the whole run
  EXPECT_GT(json_number(j1, "wall_s"), 0);
  // Five layer rows + total in layers.csv.
  const std::string csv = n2d2::test::read_file(d + "/o1/layers.csv");
  EXPECT_NE(csv.find(",fc2,Fc,10,"), std::string::npos) << csv;
  // Identical results with 2 threads.
  auto r2 = n2d2::test::run_cli(base + " --threads 2 -o " + d + "/o2 --json " + d + "/s2.json");
  ASSERT_EQ(r2.code, 0) << r2.out;
  const std::string j2 = n2d2::test::read_file(d + "/s2.json");
  for (const char* k : {"spike_accuracy", "synaptic_events", "spikes", "read_events_per_virtual_synapse"})
    EXPECT_EQ(json_number(j1, k), json_number(j2, k)) << k;
  EXPECT_EQ(n2d2::test::read_file(d + "/o1/layers.csv"), n2d2::test::read_file(d + "/o2/layers.csv"));
  EXPECT_EQ(n2d2::test::read_file(d + "/o1/confusion.csv"), n2d2::test::read_file(d + "/o2/confusion.csv"));
  fs::remove_all(d);
}

TEST(SpikeCli, PotentialReadoutAndTerminateDelta) {
  if (!fs::exists(kFashion)) GTEST_SKIP() << kFashion << " missing";
  const std::string d = tmp_dir("readout");
  const std::string m = src("samples/spike/lenet_fmnist_avg.onnx");
  auto r = n2d2::test::run_cli("spike " + m + " --data fashion-mnist --images 30 --curve-images 0 --env " +
                               short_env(d, "Readout=potential\n[common.config]\nInitialPotential=0.5\n") + " -o " + d + "/p --json " + d + "/p.json");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string jp = n2d2::test::read_file(d + "/p.json");
  EXPECT_NE(jp.find("\"readout\":\"potential\""), std::string::npos) << jp;
  EXPECT_GT(json_number(jp, "spike_accuracy"), json_number(jp, "formal_accuracy") - 15.0) << jp;
  // TerminateDelta stops patterns early: shorter mean latency than the simulated time.
  const std::string env2 = d + "/td.ini";
  std::ofstream(env2) << "[env.config]\nSimulatedTime=1,000,000,000\nCalibrationImages=100\n[fc2.config]\nTerminateDelta=3\n";
  r = n2d2::test::run_cli("spike " + m + " --data fashion-mnist --images 30 --curve-images 0 --env " + env2 + " -o " + d +
                          "/t --json " + d + "/t.json");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string jt = n2d2::test::read_file(d + "/t.json");
  EXPECT_GT(json_number(jt, "terminated"), 0) << jt;
  EXPECT_LT(json_number(jt, "mean_latency_fs"), 1e9) << jt;
  EXPECT_EQ(json_number(jt, "terminate_delta"), 3);
  fs::remove_all(d);
}

TEST(SpikeCli, ErrorsAreOneLineAndExitCode2) {
  if (!fs::exists(kFashion)) GTEST_SKIP() << kFashion << " missing";
  const std::string d = tmp_dir("err");
  auto r = n2d2::test::run_cli("spike " + d + "/missing.onnx --data fashion-mnist -o " + d + "/o");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("missing.onnx"), std::string::npos) << r.out;
  // Unsupported node, named.
  r = n2d2::test::run_cli("spike " + src("tests/models/mobilenet_tiny/model.onnx") + " --data fashion-mnist --images 5 -o " + d + "/o");
  EXPECT_EQ(r.code, 2);
  // A Clip on a 3-channel 32x32 input: the input shape is checked first.
  EXPECT_NE(r.out.find("input"), std::string::npos) << r.out;
  r = n2d2::test::run_cli("spike " + src("samples/resnet_fmnist/model.onnx") + " --data fashion-mnist --images 5 -o " + d + "/o");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("/block1/Add"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("without Relu"), std::string::npos) << r.out;
  // Bad env.ini: file:line.
  const std::string bad = d + "/bad.ini";
  std::ofstream(bad) << "[env.config]\nStimulusType=Periodic\nPeriodMeanMin=ten\n";
  r = n2d2::test::run_cli("spike " + src("samples/spike/lenet_fmnist.onnx") + " --data fashion-mnist --env " + bad + " -o " + d + "/o");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("bad.ini:3"), std::string::npos) << r.out;
  // Wrong input shape.
  r = n2d2::test::run_cli("spike " + src("tests/models/squeeze_tiny/model.onnx") + " --data fashion-mnist --images 5 -o " + d + "/o");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--data gives images of 1x28x28"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(d + "/o"));  // nothing written on errors
  fs::remove_all(d);
}
