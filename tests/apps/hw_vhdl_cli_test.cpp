// n2d2-flow hw --emit-vhdl end to end: the design files in DIR/vhdl and, with --simulate and
// ghdl, the JSON keys vhdl_bit_exact / vhdl_cycles_per_frame on two frames of the LeNet-style
// network and of the residual + concat network; the option errors are one clear line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "tests/apps/cli_run.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;

namespace {

using n2d2::test::Result;
Result hw(const std::string& args) { return n2d2::test::run_cli("hw " + args); }
std::string golden(const std::string& name) { return n2d2::test::source_path("tests/golden/hw/" + name); }

TEST(HwVhdlCli, EmitsTheDesignAndRunsGhdl) {
  fs::path dir = fs::temp_directory_path() / ("n2d2_hw_vhdl_cli_" + std::to_string(::getpid()));
  Result r = hw(golden("lenet_q.onnx") + " --device xc7z020 --simulate 2 --emit-vhdl -o " + dir.string() + " --json " +
                (dir / "s.json").string());
  if (r.out.find("no SystemC") != std::string::npos) GTEST_SKIP() << r.out;
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* f : {"n2d2_pkg.vhd", "n2d2_fifo.vhd", "n2d2_window.vhd", "n2d2_dense.vhd", "n2d2_requant.vhd", "n2d2_net.vhd",
                        "n2d2_net_rom.vhd", "n2d2_net_layers.vhd", "n2d2_net_tb.vhd", "input.txt", "expected.txt"})
    EXPECT_TRUE(fs::exists(dir / "vhdl" / f)) << f;
  // the top entity has the FIFO stream ports
  std::string top = n2d2::test::read_file(dir / "vhdl" / "n2d2_net.vhd");
  for (const char* port : {"in_data", "in_valid", "in_ready", "out_data", "out_valid", "out_ready"})
    EXPECT_NE(top.find(port), std::string::npos) << port;
  std::string j = n2d2::test::read_file(dir / "s.json");
  if (r.out.find("ghdl not found") == std::string::npos) {
    EXPECT_NE(j.find("\"vhdl_bit_exact\":true"), std::string::npos) << j;
    EXPECT_NE(j.find("\"vhdl_cycles_per_frame\":1536,"), std::string::npos) << j;
    EXPECT_NE(j.find("\"vhdl_cycles_equal_systemc\":true"), std::string::npos) << j;
    EXPECT_NE(r.out.find("bit-identical to the integer reference and SystemC"), std::string::npos) << r.out;
  }
  fs::remove_all(dir);
}

// The residual + concat network (QAdd with its skip FIFO, a Concat, forks) through --emit-vhdl and
// GHDL on two random frames: bit-exact with the reference and SystemC, the same cycles per frame.
TEST(HwVhdlCli, ResidualAndConcatNetworkRunsGhdl) {
  fs::path dir = fs::temp_directory_path() / ("n2d2_hw_vhdl_res_" + std::to_string(::getpid()));
  Result r = hw(golden("resnet_q.onnx") + " --device xczu9eg --clock 300 --simulate 2 --emit-vhdl -o " + dir.string() + " --json " +
                (dir / "s.json").string());
  if (r.out.find("no SystemC") != std::string::npos) GTEST_SKIP() << r.out;
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* f : {"n2d2_add.vhd", "n2d2_concat.vhd", "n2d2_net_layers.vhd"}) EXPECT_TRUE(fs::exists(dir / "vhdl" / f)) << f;
  std::string layers = n2d2::test::read_file(dir / "vhdl" / "n2d2_net_layers.vhd");
  EXPECT_NE(layers.find("entity n2d2.n2d2_add"), std::string::npos);
  EXPECT_NE(layers.find("entity n2d2.n2d2_concat"), std::string::npos);
  std::string j = n2d2::test::read_file(dir / "s.json");
  if (r.out.find("ghdl not found") != std::string::npos) GTEST_SKIP() << "ghdl not installed: " << r.out;
  EXPECT_NE(j.find("\"vhdl_images\":2"), std::string::npos) << j;
  EXPECT_NE(j.find("\"vhdl_bit_exact\":true"), std::string::npos) << j;
  EXPECT_NE(j.find("\"vhdl_cycles_per_frame\":288,"), std::string::npos) << j;
  EXPECT_NE(j.find("\"vhdl_cycles_equal_systemc\":true"), std::string::npos) << j;
  fs::remove_all(dir);
}

TEST(HwVhdlCli, OptionErrors) {
  Result r = hw(golden("lenet_q.onnx") + " --device xc7z020 --emit-vhdl");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("need -o DIR"), std::string::npos) << r.out;
  fs::path dir = fs::temp_directory_path() / ("n2d2_hw_vhdl_err_" + std::to_string(::getpid()));
  r = hw(golden("lenet_q.onnx") + " --device arria10 --synth-check -o " + dir.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("Xilinx"), std::string::npos) << r.out;
  r = hw(golden("lenet_q.onnx") + " --device xc7z020 --line-buffers bram --emit-vhdl -o " + dir.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("LUT-RAM line buffers"), std::string::npos) << r.out;
  r = hw(golden("lenet_q.onnx") + " --device xc7z020 --line-buffers rows");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("expected lutram or bram"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

}  // namespace
