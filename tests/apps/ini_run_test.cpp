// `n2d2-flow run/info MODEL.ini`: an INI wrapping a committed ONNX model, scored with -test over
// MNIST_IDX and over a DIR_Database of PNG files this test writes, against `run --data`; errors
// with file:line.
#include <gtest/gtest.h>

#include "tests/apps/cli_run.h"

#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

#include "frontends/data/idx.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace n2d2;

namespace {

using n2d2::test::Result;
using n2d2::test::run_cli;

std::string json_field(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return "";
  auto b = at + key.size() + 3, e = json.find_first_of(",}", b);
  return json.substr(b, e - b);
}


class IniRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("n2d2_ini_run_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  static bool have_fmnist() { return fs::exists("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"); }
  static std::string model() { return test::source_path("samples/lenet_fmnist/model.onnx"); }
  fs::path dir_;
};

void expect_error(const Result& r, const std::string& needle) {
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(needle), std::string::npos) << "expected '" << needle << "' in: " << r.out;
}

}  // namespace

TEST_F(IniRun, SampleMatchesRunDataOnTheSameImages) {
  if (!have_fmnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  std::string ini = test::source_path("samples/ini/lenet_fmnist_onnx.ini");
  Result t = run_cli("run " + ini + " -test -seed 1 -w /dev/null --images 200 --json " + (dir_ / "ini.json").string());
  ASSERT_EQ(t.code, 0) << t.out;
  Result d = run_cli("run " + model() + " --data fashion-mnist --images 200 --json " + (dir_ / "data.json").string());
  ASSERT_EQ(d.code, 0) << d.out;
  std::string a = n2d2::test::read_file(dir_ / "ini.json"), b = n2d2::test::read_file(dir_ / "data.json");
  EXPECT_EQ(json_field(a, "images"), "200");
  EXPECT_EQ(json_field(a, "top1_accuracy"), json_field(b, "top1_accuracy"));
  EXPECT_EQ(json_field(a, "topn_accuracy"), json_field(b, "topn_accuracy"));
  EXPECT_EQ(json_field(a, "n"), "5");
  Result info = run_cli("info " + ini);
  ASSERT_EQ(info.code, 0) << info.out;
  EXPECT_NE(info.out.find("input   input: float32[8x1x28x28]"), std::string::npos) << info.out;
}

TEST_F(IniRun, DirDatabaseOfPngFilesWithTransformationsAndTop5) {
  if (!have_fmnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  // 120 test images as 30x30 PNGs (padded by 1 pixel) in one folder per class; the INI crops them
  // back to 28x28, so the network sees the same pixels as `run --data`.
  data::LabelledImages set = data::read_mnist("/usr/share/datasets/fashion-mnist", data::Split::Test, 120);
  for (int c = 0; c < 10; ++c) fs::create_directories(dir_ / "images" / ("class" + std::to_string(c)));
  for (int64_t i = 0; i < set.size(); ++i) {
    cv::Mat img(28, 28, CV_8U, const_cast<uint8_t*>(set.images.data<uint8_t>() + i * 784)), padded;
    cv::copyMakeBorder(img, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::imwrite((dir_ / "images" / ("class" + std::to_string(set.labels[i])) / (std::to_string(1000 + i) + ".png")).string(), padded);
  }
  std::string ini = write("net.ini",
                          "[database]\nType=DIR_Database\nDataPath=images\nValidExtensions=png\nLearn=0.0\n"
                          "[sp]\nSizeX=28\nSizeY=28\nNbChannels=1\nBatchSize=8\n"
                          "[sp.Transformation-1]\nType=ChannelExtractionTransformation\nCSChannel=Gray\n"
                          "[sp.Transformation-2]\nType=PadCropTransformation\nWidth=28\nHeight=28\n"
                          "[onnx]\nInput=sp\nType=ONNX\nFile=" + model() + "\n"
                          "[logits.Target-Top5]\nTopN=5\n");
  Result t = run_cli("run " + ini + " -test --json " + (dir_ / "ini.json").string() + " -o " + (dir_ / "out").string());
  ASSERT_EQ(t.code, 0) << t.out;
  Result d = run_cli("run " + model() + " --data fashion-mnist --images 120 --json " + (dir_ / "data.json").string());
  ASSERT_EQ(d.code, 0) << d.out;
  std::string a = n2d2::test::read_file(dir_ / "ini.json"), b = n2d2::test::read_file(dir_ / "data.json");
  EXPECT_EQ(json_field(a, "images"), "120");
  EXPECT_EQ(json_field(a, "top1_accuracy"), json_field(b, "top1_accuracy")) << a << "\n" << b;
  EXPECT_EQ(json_field(a, "topn_accuracy"), json_field(b, "topn_accuracy"));
  for (const char* f : {"scores.txt", "confusion.csv", "confusion.png", "scores.json"}) EXPECT_TRUE(fs::exists(dir_ / "out" / f)) << f;
  EXPECT_NE(n2d2::test::read_file(dir_ / "out" / "confusion.csv").find("truth\\predicted,class0,class1"), std::string::npos);
}

TEST_F(IniRun, ErrorsNameFileAndLine) {
  std::string base = "[sp]\nSizeX=28\nSizeY=28\nBatchSize=8\n[onnx]\nInput=sp\nType=ONNX\nFile=" + model() + "\n";
  expect_error(run_cli("info " + write("a.ini", base + "[conv1]\nInput=onnx\nType=Conv\n")), "a.ini:9: [conv1] needs KernelDims=");
  expect_error(run_cli("info " + write("b.ini", base + "[x]\nType=Cnv\n")), "b.ini:10: [x] unknown layer Type=Cnv (did you mean Conv?)");
  expect_error(run_cli("info " + write("c.ini", "[sp]\nSizeX=32\nSizeY=32\nBatchSize=8\n[onnx]\nInput=sp\nType=ONNX\nFile=" + model() + "\n")),
               "unexpected size for ONNX input \"input\"");
  expect_error(run_cli("run " + write("d.ini", base) + " -test"), "-test needs a [database] section");
  expect_error(run_cli("info " + write("e.ini", base + "[onnx.Target]\nTopN=0\n")), "TopN must be at least 1");
  expect_error(run_cli("info " + write("f.ini", "$X=1\n[sp]\nSizeX=${Y}\n")), "f.ini:3: undefined variable ${Y}");
  expect_error(run_cli("run " + write("g.ini", "[database]\nType=MNIST_IDX_Database\n" + base) + " -test -w weights/"),
               "-w weights/: not a directory");
  expect_error(run_cli("run " + model() + " -test"), "-test needs an N2D2 INI model");
}

// [<out>.Target] LabelsMapping: the identity mapping scores as without one (and is logged);
// mapping class 9 to -1 leaves its stimuli unscored; errors name the mapping file.
TEST_F(IniRun, TargetLabelsMapping) {
  if (!have_fmnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  std::string base = n2d2::test::read_file(test::source_path("samples/ini/lenet_fmnist_onnx.ini"));
  base.replace(base.find("File=../lenet_fmnist/model.onnx"), std::string("File=../lenet_fmnist/model.onnx").size(),
               "File=" + model());
  auto with_mapping = [&](const std::string& name, const std::string& table) {
    write(name + ".dat", table);
    return write(name + ".ini", base + "LabelsMapping=" + name + ".dat\n");
  };
  std::string identity;
  for (int c = 0; c < 10; ++c) identity += std::to_string(c) + " " + std::to_string(c) + "\n";
  const std::string ignore9 = "9 -1\ndefault 0\n0 0\n1 1\n2 2\n3 3\n4 4\n5 5\n6 6\n7 7\n8 8\n";
  Result plain = run_cli("run " + test::source_path("samples/ini/lenet_fmnist_onnx.ini") + " -test --images 200 --json " +
                         (dir_ / "plain.json").string());
  ASSERT_EQ(plain.code, 0) << plain.out;
  Result id = run_cli("run " + with_mapping("identity", identity) + " -test --images 200 -o " + (dir_ / "id").string() +
                      " --json " + (dir_ / "id.json").string());
  ASSERT_EQ(id.code, 0) << id.out;
  EXPECT_EQ(json_field(n2d2::test::read_file(dir_ / "id.json"), "top1_accuracy"), json_field(n2d2::test::read_file(dir_ / "plain.json"), "top1_accuracy"));
  EXPECT_NE(n2d2::test::read_file(dir_ / "id" / "labels_mapping.log.dat").find("9 9\n"), std::string::npos);
  Result ig = run_cli("run " + with_mapping("ignore9", ignore9) + " -test --images 200 --json " + (dir_ / "ig.json").string());
  ASSERT_EQ(ig.code, 0) << ig.out;
  EXPECT_NE(ig.out.find("stimuli with an ignored label"), std::string::npos) << ig.out;
  int scored = std::stoi(json_field(n2d2::test::read_file(dir_ / "ig.json"), "images"));
  EXPECT_LT(scored, 200);
  EXPECT_GT(scored, 150);
  // Errors: an output index past the network's outputs, an unmapped label, a missing file.
  Result big = run_cli("run " + with_mapping("big", "0 0\ndefault 10\n") + " -test --images 8");
  expect_error(big, "maps a label to output 10");
  Result miss = run_cli("run " + with_mapping("miss", "0 0\n") + " -test --images 8");
  expect_error(miss, "miss.dat: the database label '1' is not mapped");
  std::string nofile = write("nofile.ini", base + "LabelsMapping=absent.dat\n");
  expect_error(run_cli("run " + nofile + " -test --images 8"), "LabelsMapping file");
}
