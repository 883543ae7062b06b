// Synthesis check of generated VHDL: `ghdl --synth --std=08 --out=verilog` of an entity, then
// `yosys synth_xilinx`, and the resource counts of yosys' `stat` report (DSP48E1/E2, RAMB18/36,
// LUTs incl. LUT RAM / shift registers, flip-flops), to put next to the estimator's.
#pragma once

#include <string>
#include <vector>

namespace n2d2::hw {

struct SynthCounts {
  int dsp = 0;              // DSP48E1 + DSP48E2
  int ramb18 = 0, ramb36 = 0;
  int bram18() const { return ramb18 + 2 * ramb36; }
  int lut = 0;              // LUT1..LUT6 + LUTs of LUT RAM (RAM32M/RAM64M: 4, RAM64X1D: 2, ...) and SRLs
  int lut_logic = 0;        // LUT1..LUT6 only
  int ff = 0;               // FD* cells
  double seconds = 0;       // ghdl --synth + yosys wall time
};

// Parses the last cell table of a yosys `stat` report.
SynthCounts parse_yosys_stat(const std::string& log);

// The yosys synth_xilinx -family of a device of hw/device.h ("xc7" for 7-series, "xcup" for
// UltraScale+); throws n2d2::Error for a non-Xilinx part.
std::string yosys_family(const std::string& device);

// Whether ghdl --synth and yosys can run here; `why` says what is missing.
bool synth_tools_available(std::string* why);

// Analyses `files` (VHDL-2008, library `library`) in `dir`, synthesizes `entity` and returns
// yosys' counts. Writes DIR/ENTITY.v and DIR/ENTITY.yosys.log. Throws n2d2::Error with the
// tools' output on failure.
SynthCounts synthesize(const std::string& dir, const std::vector<std::string>& files, const std::string& library,
                       const std::string& entity, const std::string& family);

// The same for several entities: `files` analysed once, then up to `jobs` entities synthesized at
// a time (ghdl --synth and yosys each single-threaded). Counts in `entities` order; `seconds`
// per entity excludes the shared analysis. Throws the first failure's n2d2::Error.
std::vector<SynthCounts> synthesize_all(const std::string& dir, const std::vector<std::string>& files, const std::string& library,
                                        const std::vector<std::string>& entities, const std::string& family, int jobs);

}  // namespace n2d2::hw
