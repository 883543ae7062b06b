// The hw block model, estimator and allocator against hand-computed numbers.
#include <gtest/gtest.h>

#include "graph/error.h"
#include "hw/allocator.h"
#include "hw/block.h"
#include "hw/device.h"
#include "hw/zoo.h"

namespace n2d2::hw {
namespace {

TEST(HwDevice, TableHasTheIssuesParts) {
  EXPECT_EQ(find_device("xc7z020").dsp, 220);
  EXPECT_EQ(find_device("xc7z020").bram18, 280);  // 140 BRAM36
  EXPECT_EQ(find_device("xc7z020").lut, 53200);
  EXPECT_EQ(find_device("XCZU9EG").bram18, 2 * 912);
  EXPECT_EQ(find_device("xcvu9p").dsp, 6840);
  EXPECT_EQ(find_device("arria10").dsp, 830);
  EXPECT_TRUE(find_device("xczu9eg").supports_int8_packing());
  EXPECT_FALSE(find_device("xc7z020").supports_int8_packing());
  EXPECT_THROW(find_device("xc9999"), Error);
}

TEST(HwBlock, Segmentation) {
  Segmentation s = split_channels(10, 4);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2].offset, 8);
  EXPECT_EQ(s[2].size, 2);
  EXPECT_EQ(lanes_of(s), 4);
}

TEST(HwBlock, MemoryBlocks) {
  const Device& z = find_device("xc7z020");
  EXPECT_EQ(memory_blocks(2048, 8, z), 0);         // LUT RAM
  EXPECT_EQ(memory_blocks(8 * 2048, 8, z), 1);     // 2048 x 8 fits 2K x 9
  EXPECT_EQ(memory_blocks(8 * 4096, 8, z), 2);     // 4096 words of 8 bits: two 2K x 9
  EXPECT_EQ(memory_blocks(72 * 512, 72, z), 2);    // two 512 x 36 side by side
  EXPECT_EQ(memory_blocks(72 * 1024, 72, z), 4);
}

// The memory mappings of yosys 0.23 synth_xilinx -family xc7 that the estimator reproduces
// (measured on ghdl --synth netlists, docs/hw.md): LUT RAM primitives of the VHDL line buffers,
// and which weight ROMs become block RAM.
TEST(HwBlock, LutRamAndRomBlocksFollowYosys) {
  EXPECT_EQ(lutram_luts(512, 8, 25), 4 * 576);  // LeNet conv1: 576 RAM64M (quad-port, 9 copies)
  EXPECT_EQ(lutram_luts(128, 24, 25), 4 * 432); // LeNet conv3, per input beat: 864 RAM64M for two
  EXPECT_EQ(lutram_luts(128, 24, 1), 4 * 16);   // LeNet pool2, per beat: 32 RAM64M for two
  EXPECT_EQ(lutram_luts(32, 32, 1), 4 * 6);     // LeNet pool4, per beat: 24 RAM32M for four
  const Device& z = find_device("xc7z020");
  EXPECT_EQ(rom_blocks(256, 36, z), 1);   // 9,216 bits: one RAMB18E1
  EXPECT_EQ(rom_blocks(128, 36, z), 0);   // 4,608 bits: LUTs
  EXPECT_EQ(rom_blocks(256, 64, z), 0);   // 16,384 bits would take two blocks: LUTs
  EXPECT_EQ(rom_blocks(256, 16, z), 0);
  EXPECT_EQ(rom_blocks(24, 800, z), 0);   // LeNet conv3's weights (19,200 bits in 23 blocks' width): LUTs
  EXPECT_EQ(rom_blocks(1, 4096, z), 0);   // one word: constant weights, no ROM
}

TEST(HwBlock, ConvCyclesAndResources) {
  // LeNet conv1: 1x28x28 -> 6x24x24, 5x5. 576 output pixels x 6 ch x 25 taps = 86,400 MACs.
  Network n = zoo::lenet();
  const Layer& c1 = n.layers[0];
  EXPECT_EQ(c1.macs(), 86400);
  // acc: u8 x i8 -> 8 + 7 magnitude bits, 26 terms (+bias) -> 5 more, + sign = 21
  EXPECT_EQ(c1.acc_bits(), 21);
  const Device& z = find_device("xc7z020");
  Segmentation in = split_channels(1, 1);
  BlockCost c = block_cost(c1, {3, 1, 5}, {in}, z, {});
  // ceil(6/3) * ceil(1/1) * ceil(25/5) = 10 cycles per output pixel -> 5,760 per frame.
  EXPECT_EQ(c.compute_cycles, 5760);
  EXPECT_EQ(c.in_beats, 784);
  EXPECT_EQ(c.out_beats, 576 * 2);
  EXPECT_EQ(c.cycles, 5760);
  EXPECT_EQ(c.dsp, 15);
  // line buffer: (5 - 1 + 1 + (5 - 0 - 1)) rows x 28 + 5 pixels = 257 pixels (512 slots) x 8 bits,
  // read at 5 taps: LUT RAM (the VHDL block), 8 x 8 quad-port RAM64M x ceil(5/3) copies = 512 LUTs.
  EXPECT_EQ(c.line_pixels, 257);
  EXPECT_EQ(c.bram_line, 0);
  EXPECT_EQ(c.lut_features[kLutRam], 512);
  // DNeuro's block-RAM line buffer instead: 2,056 bits read 5 taps x 8 bits = 40 bits wide, two
  // 512 x 36 blocks side by side.
  BlockCost b = block_cost(c1, {3, 1, 5}, {in}, z, {false, true});
  EXPECT_EQ(b.bram_line, 2);
  EXPECT_EQ(b.lut_features[kLutRam], 0);
  EXPECT_LT(b.lut, c.lut);
  // weights 6 x 25 x 8 = 1200 bits: LUT RAM. Requant lanes: ceil(3 / (1*5)) = 1, no DSP (Single-shift).
  EXPECT_EQ(c.bram_weights, 0);
  EXPECT_EQ(c.requant_lanes, 1);
}

TEST(HwBlock, FixedPointRequantUsesDspAndPackingHalvesMacDsps) {
  Network n = zoo::lenet();
  Layer c2 = n.layers[2];  // 6x12x12 -> 16x8x8
  c2.rescale = Rescale::FixedPoint;
  const Device& zu = find_device("xczu9eg");
  Segmentation in = split_channels(6, 6);
  BlockCost plain = block_cost(c2, {16, 6, 1}, {in}, zu, {});
  EXPECT_EQ(plain.dsp_mac, 96);
  // one output beat (16 values) every ceil(6/6)*ceil(25/1) = 25 cycles: one shared requantizer
  EXPECT_EQ(plain.requant_lanes, 1);
  EXPECT_EQ(plain.dsp_requant, 1);
  BlockCost packed = block_cost(c2, {16, 6, 1}, {in}, zu, {true});
  EXPECT_EQ(packed.dsp_mac, 48);
  EXPECT_EQ(packed.compute_cycles, plain.compute_cycles);
}

TEST(HwAllocator, LenetOnZynq7020IsBalanced) {
  Network n = zoo::lenet();
  const Device& z = find_device("xc7z020");
  Mapping m = allocate(n, z, {200, {}, {}});
  // 281,640 MACs on 220 DSPs: at least 1,281 cycles per frame; the channel counts (6, 16) round up.
  EXPECT_GE(m.cycles_per_frame, 1281);
  EXPECT_LE(m.cycles_per_frame, 1600);
  EXPECT_NEAR(m.fps(), 200e6 / static_cast<double>(m.cycles_per_frame), 1e-6);
  EXPECT_LE(m.dsp, 220);
  for (const LayerMap& l : m.layers) EXPECT_LE(l.cost.cycles, m.cycles_per_frame);
  // conv2 (153,600 MACs) needs at least 153,600 / T multipliers
  EXPECT_GE(m.layers[2].cost.mults * m.cycles_per_frame, 153600);
  EXPECT_GT(m.mac_per_dsp_cycle(), 0.85);
  EXPECT_GT(m.latency_cycles, m.cycles_per_frame);
}

TEST(HwAllocator, MobilenetOnArria10MatchesDNeuro) {
  // MobileNet v1 x0.5 at 640x480 (912 M MACs): DNeuro reports 162.76 FPS with 794 DSPs at 200 MHz.
  Network n = zoo::mobilenet();
  EXPECT_EQ(n.macs(), 912153600);
  // with DNeuro's block-RAM line buffers (an estimate: the VHDL blocks' line buffers are LUT RAM
  // read at PK ports, which do not fit: 640-pixel lines x 9 taps)
  MapOptions o{200, {}, {}};
  o.block.bram_line_buffers = true;
  Mapping m = allocate(n, find_device("arria10"), o);
  EXPECT_THROW(allocate(n, find_device("arria10"), {200, {}, {}}), Error);
  EXPECT_GE(m.fps(), 162.76);
  EXPECT_LE(m.dsp, 794);
  EXPECT_GE(m.mac_per_dsp_cycle(), 0.88);
  EXPECT_LE(m.bram, 750);
}

TEST(HwAllocator, BudgetTooSmallIsAClearError) {
  Network n = zoo::lenet();
  const Device& z = find_device("xc7z020");
  MapOptions o{200, {1, 1, 1}, {}};
  try {
    allocate(n, z, o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("budget too small"), std::string::npos) << e.what();
  }
}

TEST(HwAllocator, DspBudgetSlowsThePipeline) {
  Network n = zoo::lenet();
  const Device& z = find_device("xc7z020");
  Mapping fast = allocate(n, z, {200, {}, {}});
  Mapping slow = allocate(n, z, {200, {20, 0, 0}, {}});
  EXPECT_LE(slow.dsp, 20);
  EXPECT_GT(slow.cycles_per_frame, fast.cycles_per_frame);
  // 20 DSPs for 281,640 MACs (conv1 86,400 + conv2 153,600 + fc 30,720 + 10,080 + 840): >= 14,232 cycles
  EXPECT_EQ(n.macs(), 281640);
  EXPECT_GE(slow.cycles_per_frame, 281640 / 20);
}

TEST(HwAllocator, PackingNeedsUltraScale) {
  Network n = zoo::lenet();
  EXPECT_THROW(allocate(n, find_device("xc7z020"), {200, {}, {true}}), Error);
  Mapping plain = allocate(n, find_device("xczu9eg"), {200, {}, {}});
  Mapping packed = allocate(n, find_device("xczu9eg"), {200, {}, {true}});
  EXPECT_EQ(packed.cycles_per_frame, plain.cycles_per_frame);
  EXPECT_LT(packed.dsp, plain.dsp);
}

TEST(HwAllocator, ResidualAddAlignsBranchesAndSizesSkewFifo) {
  Network n;
  n.name = "res";
  n.input = {8, 16, 16};
  int a = zoo::add(n, zoo::conv(n, kNetworkInput, 16, 3, 1, 1));
  int b = zoo::add(n, zoo::conv(n, a, 16, 3, 1, 1));
  int c = zoo::add(n, zoo::conv(n, b, 16, 3, 1, 1));
  Layer s;
  s.kind = LayerKind::Add;
  s.name = "add";
  s.inputs = {a, c};
  s.in = s.out = n.layers[static_cast<std::size_t>(a)].out;
  zoo::add(n, s);
  Mapping m = allocate(n, find_device("xczu9eg"), {200, {}, {}});
  const LayerMap& add = m.layers[3];
  EXPECT_EQ(add.in_segs[0].size(), add.in_segs[1].size());
  // The skip input waits for two 3x3 convolutions: about two rows (2 x 16 pixels) of beats.
  EXPECT_GT(add.fifo_depth[0], 2 * 16 * static_cast<int>(add.in_segs[0].size()));
  EXPECT_EQ(add.fifo_depth[1], 2 + static_cast<int>(add.in_segs[1].size()));
}

}  // namespace
}  // namespace n2d2::hw
