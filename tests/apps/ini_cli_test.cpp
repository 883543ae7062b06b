// n2d2-flow ini: the templated sample resolves; errors give file:line and exit code 2.
#include <gtest/gtest.h>

#include "tests/apps/cli_run.h"
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

using n2d2::test::Result;
Result run_ini(const std::string& args) { return n2d2::test::run_cli("ini " + args); }

std::string sample() { return std::string(N2D2_SOURCE_DIR) + "/samples/ini/inception.ini"; }

}  // namespace

TEST(IniCli, TemplatedInceptionSampleExpands) {
  Result r = run_ini(sample() + " --no-where");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("[sp]\nSizeX=32\nSizeY=32\nNbChannels=3\nBatchSize=1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[inc1_b2]\nNoBias=1\nWeightsFiller=HeFiller\nInput=stem\nType=Conv\nKernelSize=5\nPadding=2\nNbOutputs=8\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[inc1_b0]\nNoBias=1\nWeightsFiller=HeFiller\nInput=stem\nType=Conv\nKernelSize=1\nNbOutputs=8\n"), std::string::npos) << r.out;  // no PAD
  EXPECT_NE(r.out.find("[inc1_pool]"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[inc2_pool]"), std::string::npos) << r.out;  // POOL not set for inc2
  EXPECT_NE(r.out.find("[inc1_concat]\nNoBias=1\nWeightsFiller=HeFiller\nInput=inc1_b0,inc1_b1,inc1_b2,inc1_pool\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[inc2_concat]\nNoBias=1\nWeightsFiller=HeFiller\nInput=inc2_b0,inc2_b1\n"), std::string::npos) << r.out;
  // ConfigSection merged into the layer, reference replaced.
  EXPECT_NE(r.out.find("NoBias=1\nWeightsFiller=HeFiller\nInput=inc1_concat\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[gap]\nInput=inc2_concat\nType=Pool\nPoolSize=32\n"), std::string::npos) << r.out;
}

TEST(IniCli, WhereShowsTemplateLines) {
  Result r = run_ini(sample());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("[inc1_b0] ; " + std::string(N2D2_SOURCE_DIR) + "/samples/ini/inception_block.ini.tpl:4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[conv.config] ; "), std::string::npos);
  EXPECT_NE(r.out.find("(config)"), std::string::npos);
}

TEST(IniCli, ErrorsNameFileLineAndExitTwo) {
  auto dir = std::filesystem::temp_directory_path() / "n2d2_ini_cli_test";
  std::filesystem::create_directories(dir);
  auto f = dir / "bad.ini";
  std::ofstream(f) << "[sp]\nSizeX=32\n[conv]\nInput=sp\nNbOutputs=[sp]SizeZ\n";
  Result r = run_ini(f.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("bad.ini:5: NbOutputs=[sp]SizeZ"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("did you mean SizeX"), std::string::npos) << r.out;
  r = run_ini((dir / "missing.ini").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("missing.ini: no such INI file"), std::string::npos) << r.out;
}
