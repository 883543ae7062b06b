#include "hw/synth_check.h"

#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "graph/error.h"
#include "hw/shell.h"
#include "hw/device.h"

namespace n2d2::hw {

SynthCounts parse_yosys_stat(const std::string& log) {
  // The last "Number of cells:" table: lines "     NAME    COUNT".
  std::size_t at = log.rfind("Number of cells:");
  if (at == std::string::npos) fail("yosys log has no 'stat' cell table");
  std::istringstream in(log.substr(at));
  std::string line;
  std::getline(in, line);
  // LUTs taken by LUT RAM and shift-register primitives.
  static const std::map<std::string, int> kLutram = {{"RAM32M", 4},    {"RAM64M", 4},    {"RAM32M16", 8}, {"RAM64M8", 8},
                                                     {"RAM32X1D", 2},  {"RAM64X1D", 2},  {"RAM128X1D", 4}, {"RAM256X1D", 8},
                                                     {"RAM32X1S", 1},  {"RAM64X1S", 1},  {"RAM128X1S", 2}, {"RAM256X1S", 4},
                                                     {"SRL16E", 1},    {"SRLC32E", 1},   {"SRLC16E", 1}};
  SynthCounts c;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string name;
    long n = 0;
    if (!(ls >> name >> n)) break;  // end of the table
    if (name.rfind("DSP48E", 0) == 0) c.dsp += static_cast<int>(n);
    else if (name.rfind("RAMB18", 0) == 0) c.ramb18 += static_cast<int>(n);
    else if (name.rfind("RAMB36", 0) == 0) c.ramb36 += static_cast<int>(n);
    else if (name.size() == 4 && name.rfind("LUT", 0) == 0 && name[3] >= '1' && name[3] <= '6') c.lut_logic += static_cast<int>(n);
    else if (name.rfind("FD", 0) == 0) c.ff += static_cast<int>(n);
    else if (auto it = kLutram.find(name); it != kLutram.end()) c.lut += it->second * static_cast<int>(n);
  }
  c.lut += c.lut_logic;
  return c;
}

std::string yosys_family(const std::string& device) {
  const Device& d = find_device(device);
  if (d.dsp_kind == DspKind::DSP48E1) return "xc7";
  if (d.dsp_kind == DspKind::DSP48E2) return "xcup";
  fail("--synth-check: yosys synth_xilinx maps Xilinx parts only; ", d.name, " (", d.family, ") is not one");
}

bool synth_tools_available(std::string* why) {
  if (run_shell("ghdl --version").first != 0) {
    if (why) *why = "ghdl not installed";
    return false;
  }
  if (run_shell("yosys -V").first != 0) {
    if (why) *why = "yosys not installed";
    return false;
  }
  return true;
}

namespace {

void analyse(const std::string& dir, const std::vector<std::string>& files, const std::string& library) {
  std::ostringstream cmd;
  cmd << "cd " << shell_quote(dir) << " && ghdl -a --std=08 --work=" << library;
  for (const auto& f : files) cmd << ' ' << shell_quote(f);
  auto [rc, out] = run_shell(cmd.str() + " 2>&1");
  if (rc != 0) fail("ghdl -a of ", dir, " failed:\n", out.substr(0, 4000));
}

// ghdl --synth + yosys of one entity of an analysed library.
SynthCounts synth_entity(const std::string& dir, const std::string& library, const std::string& entity, const std::string& family) {
  auto t0 = std::chrono::steady_clock::now();
  std::ostringstream cmd;
  cmd << "cd " << shell_quote(dir) << " && ghdl --synth --std=08 --work=" << library << " --out=verilog " << entity << " > "
      << shell_quote(entity + ".v") << " 2> " << shell_quote(entity + ".ghdl.log");
  auto [rc, out] = run_shell(cmd.str());
  if (rc != 0) {
    std::ifstream g(dir + "/" + entity + ".ghdl.log");
    std::stringstream glog;
    glog << g.rdbuf();
    std::string t = glog.str();
    fail("ghdl --synth of ", entity, " in ", dir, " failed:\n", out.substr(0, 2000), t.substr(t.size() > 3000 ? t.size() - 3000 : 0));
  }
  std::ostringstream script, ys;
  // GHDL 2.0 drops VHDL attributes from its netlist: the window blocks' line buffers (memories
  // named *lb_g*lb, ram_style "distributed" in n2d2_window.vhd) get it again between yosys'
  // memory preparation and memory mapping. Without it yosys' cost model builds a multi-port line
  // buffer from flip-flops and read multiplexers (LeNet conv1: 25 read ports, 112,650 gates in ABC).
  script << "read_verilog " << entity << ".v; synth_xilinx -family " << family << " -top " << entity << " -run :map_memory; "
         << "setattr -set ram_style \"distributed\" t:$mem_v2 */*lb_g*lb %i; "
         << "synth_xilinx -family " << family << " -top " << entity << " -run map_memory:; stat";
  ys << "cd " << shell_quote(dir) << " && yosys -q -l " << shell_quote(entity + ".yosys.log") << " -p " << shell_quote(script.str()) << " > /dev/null";
  auto [rc2, out2] = run_shell(ys.str());
  std::ifstream f(dir + "/" + entity + ".yosys.log");
  std::stringstream log;
  log << f.rdbuf();
  if (rc2 != 0) fail("yosys synth_xilinx of ", entity, " failed:\n", (out2 + log.str()).substr(0, 4000));
  SynthCounts c = parse_yosys_stat(log.str());
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

}  // namespace

SynthCounts synthesize(const std::string& dir, const std::vector<std::string>& files, const std::string& library,
                       const std::string& entity, const std::string& family) {
  auto t0 = std::chrono::steady_clock::now();
  analyse(dir, files, library);
  SynthCounts c = synth_entity(dir, library, entity, family);
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

std::vector<SynthCounts> synthesize_all(const std::string& dir, const std::vector<std::string>& files, const std::string& library,
                                        const std::vector<std::string>& entities, const std::string& family, int jobs) {
  analyse(dir, files, library);
  std::vector<SynthCounts> counts(entities.size());
  std::vector<std::exception_ptr> errors(entities.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < entities.size();) {
      try {
        counts[i] = synth_entity(dir, library, entities[i], family);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  const int n = std::max(1, std::min<int>(jobs, static_cast<int>(entities.size())));
  for (int t = 0; t < n; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  return counts;
}

}  // namespace n2d2::hw
