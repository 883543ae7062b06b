// A small table of FPGA parts with the resources the allocator budgets: DSP blocks, block RAMs
// (counted in 18 Kbit units on Xilinx parts, M20K blocks on Intel parts), LUTs and flip-flops.
#pragma once

#include <string>
#include <vector>

namespace n2d2::hw {

enum class DspKind { DSP48E1, DSP48E2, IntelVarPrec };

struct Device {
  std::string name;        // "xc7z020"
  std::string family;      // "Zynq-7000"
  DspKind dsp_kind = DspKind::DSP48E1;
  int dsp = 0;             // DSP slices / variable-precision DSP blocks
  int bram18 = 0;          // 18 Kbit block RAMs (Xilinx: 2 per BRAM36); M20K blocks on Intel
  int bram_bits = 18432;   // bits per block (18 Kbit, or 20 Kbit for M20K)
  int lut = 0;             // 6-input LUTs (Intel: ALUTs, 2 per ALM)
  int ff = 0;
  // Widest multiplier operands a DSP takes as one product (signed bits).
  int mul_a_bits = 25, mul_b_bits = 18;
  // Two int8 products sharing one operand per DSP (Xilinx WP486/WP487: UltraScale+ DSP48E2).
  bool supports_int8_packing() const { return dsp_kind == DspKind::DSP48E2; }
  std::string memory_unit() const { return bram_bits == 20480 ? "M20K" : "BRAM18"; }
};

const std::vector<Device>& device_table();
// The part of that name (case-insensitive); throws n2d2::Error listing the known parts.
const Device& find_device(const std::string& name);

}  // namespace n2d2::hw
