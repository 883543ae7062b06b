#include "exporters/vhdl/vhdl_export.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <bit>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "exporters/vhdl/vhdl_lib.h"  // generated: the block library sources
#include "graph/error.h"
#include "hw/shell.h"

namespace n2d2::vhdl {
using hw::run_shell;
using hw::shell_quote;
namespace {

namespace fs = std::filesystem;

void write_atomic(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) fail("cannot write '", tmp.string(), "'");
    f << text;
    if (!f.flush()) fail("cannot write '", tmp.string(), "'");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) fail("cannot rename '", tmp.string(), "' to '", path.string(), "': ", ec.message());
}

std::string ident(const std::string& s) {  // a VHDL-safe lower-case identifier
  std::string r;
  for (char c : s) r += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '_';
  while (r.find("__") != std::string::npos) r.erase(r.find("__"), 1);
  while (!r.empty() && r.back() == '_') r.pop_back();
  if (r.empty() || !std::isalpha(static_cast<unsigned char>(r[0]))) r = "l_" + r;
  return r;
}

const char* vbool(bool b) { return b ? "true" : "false"; }

std::string int_vector(const std::vector<int64_t>& v) {
  if (v.empty()) return "(1 to 0 => 0)";
  if (v.size() == 1) return "(0 => " + std::to_string(v[0]) + ")";
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += (i % 24 == 0) ? ",\n    " : ", ";
    s += std::to_string(v[i]);
  }
  return s + ")";
}

int rescale_code(hw::Rescale r) {
  switch (r) {
    case hw::Rescale::None: return 0;
    case hw::Rescale::SingleShift: return 1;
    case hw::Rescale::DoubleShift: return 2;
    case hw::Rescale::FixedPoint: return 3;
  }
  return 0;
}

int lanes_from(const hw::Network& net, const hw::Mapping& map, int p) {
  return p == hw::kNetworkInput ? net.input.c : hw::lanes_of(map.layers[static_cast<std::size_t>(p)].out_seg);
}
int bits_from(const hw::Network& net, int p) {
  return p == hw::kNetworkInput ? net.input_bits : net.layers[static_cast<std::size_t>(p)].out_bits;
}
bool signed_from(const hw::Network& net, int p) {
  return p == hw::kNetworkInput ? net.input_signed : net.layers[static_cast<std::size_t>(p)].out_signed;
}

// Accumulator of the add block: a_mult * a + b_mult * b exactly, a and b of in_bits (+ a sign bit).
int add_acc_bits(const hw::Layer& l) {
  auto mag = [](int64_t v) { return static_cast<int>(std::bit_width(static_cast<uint64_t>(v < 0 ? -v : v))); };
  return (l.in_bits + 1) + std::max({mag(l.a_mult), mag(l.b_mult), 1}) + 1;
}

struct Rq {
  std::vector<int64_t> mult, shift, left;
  int mult_bits = 2, rqw = 0;
};
Rq rescale_tables(const hw::Layer& l, int acc_bits) {
  Rq r;
  int maxleft = 0;
  int64_t maxm = 1;
  for (const auto& p : l.rescale_params) {
    r.mult.push_back(p.multiplier);
    r.shift.push_back(p.shift);
    r.left.push_back(p.left);
    maxleft = std::max(maxleft, p.left);
    maxm = std::max<int64_t>(maxm, p.multiplier < 0 ? -p.multiplier : p.multiplier);
  }
  if (r.mult.empty()) r.mult = {1}, r.shift = {0}, r.left = {0};
  if (l.rescale == hw::Rescale::FixedPoint) r.mult_bits = static_cast<int>(std::bit_width(static_cast<uint64_t>(maxm))) + 1;
  r.rqw = std::max(acc_bits, 32) + std::max(r.mult_bits, maxleft + 2) + 2;
  return r;
}

// Add and concat: blocks with an input port per stream (in0_*, in1_*, ...).
bool is_merge(const hw::Layer& l) { return l.kind == hw::LayerKind::Add || l.kind == hw::LayerKind::Concat; }
std::string in_port(const hw::Layer& l, std::size_t k) { return is_merge(l) ? "in" + std::to_string(k) : std::string("in"); }


}  // namespace

void check_supported(const hw::Network& net, const hw::Mapping& map) {
  if (map.options.block.bram_line_buffers)
    fail("vhdl: the mapping of '", net.name, "' assumes block-RAM line buffers (--line-buffers bram); the VHDL blocks implement "
         "LUT-RAM line buffers only");
  hw::validate(net);
  if (map.layers.size() != net.layers.size()) fail("VHDL: the mapping has ", map.layers.size(), " layers, the network ", net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const hw::Layer& l = net.layers[i];
    const hw::LayerMap& m = map.layers[i];
    if (m.in_segs.size() != l.inputs.size() || m.fifo_depth.size() != l.inputs.size())
      fail("VHDL: layer '", l.name, "': the mapping has ", m.in_segs.size(), " input streams for ", l.inputs.size(), " inputs");
    if (l.has_mac() && l.weights.empty()) fail("VHDL: layer '", l.name, "' has no weights (a shape-only network cannot be emitted)");
    const bool rescales = l.has_mac() || l.kind == hw::LayerKind::Add;
    if (rescales && l.rescale == hw::Rescale::None) fail("VHDL: layer '", l.name, "' (", hw::kind_name(l.kind), ") has no rescaling");
    if (rescales && (l.rescale_params.empty() || (l.rescale_params.size() != 1 && static_cast<int>(l.rescale_params.size()) != l.out.c)))
      fail("VHDL: layer '", l.name, "': ", l.rescale_params.size(), " rescaling parameter sets for ", l.out.c, " channels");
    if (l.kind == hw::LayerKind::Add || l.kind == hw::LayerKind::Concat) {
      // Both blocks pass their inputs' beats through: any segmentation; each input in the layer's lane format.
      for (std::size_t k = 0; k < l.inputs.size(); ++k)
        if (bits_from(net, l.inputs[k]) != l.in_bits || signed_from(net, l.inputs[k]) != l.in_signed)
          fail("VHDL: ", hw::kind_name(l.kind), " '", l.name, "': input ", k, " is ", bits_from(net, l.inputs[k]), "-bit ",
               signed_from(net, l.inputs[k]) ? "signed" : "unsigned", ", the block takes ", l.in_bits, "-bit ",
               l.in_signed ? "signed" : "unsigned", " inputs");
      if (l.kind == hw::LayerKind::Add) {
        if (m.in_segs[0] != m.in_segs[1])
          fail("VHDL: add '", l.name, "': its inputs arrive in different beat segmentations (the mapping must align them)");
        for (int64_t v : {l.a_mult, l.b_mult})
          if (v <= -(int64_t{1} << 30) || v >= (int64_t{1} << 30))
            fail("VHDL: add '", l.name, "': multiplier ", v, " does not fit the block's 31-bit constant");
      }
      continue;
    }
    const int p = l.inputs[0];
    const int in_c = p == hw::kNetworkInput ? net.input.c : net.layers[static_cast<std::size_t>(p)].out.c;
    if (m.in_segs[0] != hw::split_channels(in_c, hw::lanes_of(m.in_segs[0])))
      fail("VHDL: layer '", l.name, "' (", hw::kind_name(l.kind), "): its input beats are not a uniform channel split (the ",
           "window and dense blocks take ceil(C/lanes) beats of `lanes` channels; a concat of branches of other widths makes ",
           "irregular beats)");
    if (l.kind == hw::LayerKind::MaxPool && (l.pad_t || l.pad_l || l.pad_b || l.pad_r)) fail("VHDL: layer '", l.name, "': padded pooling");
  }
}

Design write_design(const hw::Network& net, const hw::Mapping& map, const std::string& dir_s,
                    const std::vector<std::vector<int32_t>>& frames, const std::vector<std::vector<int32_t>>& expected,
                    const std::string& top_name) {
  check_supported(net, map);
  if (frames.size() != expected.size()) fail("VHDL: ", frames.size(), " frames but ", expected.size(), " expected outputs");
  const fs::path dir(dir_s);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail("VHDL: cannot create '", dir.string(), "': ", ec.message());
  Design d;
  d.dir = dir.string();
  d.top = ident(top_name);
  d.testbench = d.top + "_tb";
  for (const auto& [name, text] : detail::kVhdlLibrary) {
    write_atomic(dir / name, text);
    d.files.push_back(name);
  }
  const std::string L = "n2d2";
  const std::size_t n = net.layers.size();

  // ROM package: weights, biases, rescaling tables per layer.
  std::ostringstream rom;
  rom << "-- Generated by n2d2-flow (exporters/vhdl) for network '" << net.name << "': integer parameters per layer. Do not edit.\n"
      << "package " << d.top << "_rom is\n";
  for (std::size_t i = 0; i < n; ++i) {
    const hw::Layer& l = net.layers[i];
    if (l.kind == hw::LayerKind::Add) {
      Rq r = rescale_tables(l, add_acc_bits(l));
      rom << "  -- " << l.name << " (add " << l.a_mult << " * a + " << l.b_mult << " * b, " << hw::rescale_name(l.rescale) << ")\n";
      rom << "  constant L" << i << "_RQ_MULT : integer_vector := " << int_vector(r.mult) << ";\n";
      rom << "  constant L" << i << "_RQ_SHIFT : integer_vector := " << int_vector(r.shift) << ";\n";
      rom << "  constant L" << i << "_RQ_LEFT : integer_vector := " << int_vector(r.left) << ";\n";
      continue;
    }
    if (!l.has_mac()) continue;
    Rq r = rescale_tables(l, map.layers[i].cost.acc_bits);
    std::vector<int64_t> w(l.weights.begin(), l.weights.end()), b(l.bias.begin(), l.bias.end());
    if (b.empty()) b.assign(static_cast<std::size_t>(l.out.c), 0);
    rom << "  -- " << l.name << " (" << hw::kind_name(l.kind) << ", " << hw::rescale_name(l.rescale) << ")\n";
    rom << "  constant L" << i << "_WEIGHTS : integer_vector := " << int_vector(w) << ";\n";
    rom << "  constant L" << i << "_BIAS : integer_vector := " << int_vector(b) << ";\n";
    rom << "  constant L" << i << "_RQ_MULT : integer_vector := " << int_vector(r.mult) << ";\n";
    rom << "  constant L" << i << "_RQ_SHIFT : integer_vector := " << int_vector(r.shift) << ";\n";
    rom << "  constant L" << i << "_RQ_LEFT : integer_vector := " << int_vector(r.left) << ";\n";
  }
  rom << "end package;\n";
  write_atomic(dir / (d.top + "_rom.vhd"), rom.str());
  d.files.push_back(d.top + "_rom.vhd");

  // One wrapper entity per layer: the library block with this layer's generics. Ports: clk, rst,
  // per input stream valid / data / pop (in_* for the one-input blocks, in<k>_* for add and
  // concat), out_ready / out_push / out_data.
  std::ostringstream wr;
  wr << "-- Generated by n2d2-flow (exporters/vhdl): one entity per layer of '" << net.name << "'. Do not edit.\n";
  for (std::size_t i = 0; i < n; ++i) {
    const hw::Layer& l = net.layers[i];
    const hw::LayerMap& m = map.layers[i];
    const std::string e = d.top + "_l" + std::to_string(i) + "_" + ident(l.name);
    d.layer_entities.push_back(e);
    const int in_lanes = hw::lanes_of(m.in_segs[0]), out_lanes = hw::lanes_of(m.out_seg);
    const bool merge = is_merge(l);
    const int acc = l.kind == hw::LayerKind::Add ? add_acc_bits(l) : std::max(2, m.cost.acc_bits);
    Rq r = rescale_tables(l, acc);
    wr << "\nlibrary ieee;\nuse ieee.std_logic_1164.all;\nlibrary " << L << ";\nuse " << L << ".n2d2_pkg.all;\nuse " << L << "."
       << d.top << "_rom.all;\n\n";
    wr << "-- " << l.name << ": " << hw::kind_name(l.kind) << " " << l.in.c << "x" << l.in.h << "x" << l.in.w << " -> " << l.out.c << "x"
       << l.out.h << "x" << l.out.w;
    if (merge)
      wr << ", " << m.out_seg.size() << " beats of up to " << out_lanes << " lanes per pixel";
    else
      wr << ", po " << m.par.po << " pi " << m.par.pi << " pk " << m.par.pk;
    wr << ", estimate " << m.cost.dsp << " DSP, " << m.cost.bram << " BRAM18, " << m.cost.lut << " LUT\n";
    wr << "entity " << e << " is\n  port (\n    clk, rst  : in  std_logic;\n";
    for (std::size_t k = 0; k < l.inputs.size(); ++k) {
      const std::string P = in_port(l, k);
      wr << "    " << P << "_valid : in  std_logic;\n    " << P << "_data  : in  std_logic_vector("
         << hw::lanes_of(m.in_segs[k]) * l.in_bits - 1 << " downto 0);\n    " << P << "_pop   : out std_logic;\n";
    }
    wr << "    out_ready : in  std_logic;\n    out_push  : out std_logic;\n    out_data  : out std_logic_vector("
       << out_lanes * l.out_bits - 1 << " downto 0));\nend entity;\n\narchitecture rtl of " << e << " is\n";
    const std::string I = "L" + std::to_string(i);
    if (l.kind == hw::LayerKind::Concat) {
      const int nin = static_cast<int>(l.inputs.size()), w = out_lanes * l.in_bits;
      std::vector<int64_t> order;
      for (int k = 0; k < nin; ++k) order.insert(order.end(), m.in_segs[static_cast<std::size_t>(k)].size(), k);
      wr << "  signal cat_valid, cat_pop : std_logic_vector(" << nin - 1 << " downto 0);\n  signal cat_data : std_logic_vector("
         << nin * w - 1 << " downto 0);\nbegin\n";
      for (int k = 0; k < nin; ++k) {
        const std::string P = in_port(l, static_cast<std::size_t>(k));
        const int wk = hw::lanes_of(m.in_segs[static_cast<std::size_t>(k)]) * l.in_bits;
        wr << "  cat_valid(" << k << ") <= " << P << "_valid;\n  " << P << "_pop <= cat_pop(" << k << ");\n  cat_data("
           << k * w + wk - 1 << " downto " << k * w << ") <= " << P << "_data;\n";
        if (wk < w) wr << "  cat_data(" << (k + 1) * w - 1 << " downto " << k * w + wk << ") <= (others => '0');\n";
      }
      wr << "  blk : entity " << L << ".n2d2_concat\n    generic map (N_IN => " << nin << ", LANES => " << out_lanes << ", BITS => "
         << l.in_bits << ", NB => " << order.size() << ", ORDER => " << int_vector(order) << ")\n"
         << "    port map (clk => clk, rst => rst, in_valid => cat_valid, in_data => cat_data, in_pop => cat_pop,\n"
         << "              out_ready => out_ready, out_push => out_push, out_data => out_data);\nend architecture;\n";
      continue;
    }
    wr << "begin\n";
    if (l.kind == hw::LayerKind::Add) {
      std::vector<int64_t> offsets;
      for (const hw::Segment& g : m.in_segs[0]) offsets.push_back(g.offset);
      wr << "  blk : entity " << L << ".n2d2_add\n    generic map (C => " << l.out.c << ", LANES => " << in_lanes << ", NB => "
         << offsets.size() << ", SEG_OFFSET => " << int_vector(offsets) << ",\n      IN_BITS => " << l.in_bits << ", OUT_BITS => "
         << l.out_bits << ", ACC_BITS => " << acc << ", IN_SIGNED => " << vbool(l.in_signed) << ", OUT_SIGNED => "
         << vbool(l.out_signed) << ", A_MULT => " << l.a_mult << ", B_MULT => " << l.b_mult << ",\n      RESCALE => "
         << rescale_code(l.rescale) << ", MULT_BITS => " << r.mult_bits << ", RQW => " << r.rqw << ", RQ_MULT => " << I
         << "_RQ_MULT, RQ_SHIFT => " << I << "_RQ_SHIFT, RQ_LEFT => " << I << "_RQ_LEFT)\n"
         << "    port map (clk => clk, rst => rst, a_valid => in0_valid, a_data => in0_data, a_pop => in0_pop,\n"
         << "              b_valid => in1_valid, b_data => in1_data, b_pop => in1_pop,\n"
         << "              out_ready => out_ready, out_push => out_push, out_data => out_data);\nend architecture;\n";
      continue;
    }
    if (l.kind == hw::LayerKind::Dense) {
      wr << "  blk : entity " << L << ".n2d2_dense\n    generic map (C_IN => " << l.in.c << ", HW_IN => " << l.in.h * l.in.w
         << ", C_OUT => " << l.out.c << ",\n      IN_BITS => " << l.in_bits << ", OUT_BITS => " << l.out_bits << ", W_BITS => " << l.w_bits
         << ", ACC_BITS => " << acc << ", IN_SIGNED => " << vbool(l.in_signed) << ", OUT_SIGNED => " << vbool(l.out_signed)
         << ",\n      IN_LANES => " << in_lanes << ", PO => " << out_lanes << ", PI => " << m.par.pi << ", REQ_LANES => "
         << std::max(1, m.cost.requant_lanes) << ", RESCALE => " << rescale_code(l.rescale) << ", MULT_BITS => " << r.mult_bits
         << ", RQW => " << r.rqw << ",\n      WEIGHTS => " << I << "_WEIGHTS, BIAS => " << I << "_BIAS, RQ_MULT => " << I
         << "_RQ_MULT, RQ_SHIFT => " << I << "_RQ_SHIFT, RQ_LEFT => " << I << "_RQ_LEFT)\n";
    } else {
      const bool pool = l.kind == hw::LayerKind::MaxPool;
      wr << "  blk : entity " << L << ".n2d2_window\n    generic map (IS_POOL => " << vbool(pool) << ", C_IN => " << l.in.c
         << ", H_IN => " << l.in.h << ", W_IN => " << l.in.w << ", C_OUT => " << l.out.c << ", H_OUT => " << l.out.h
         << ", W_OUT => " << l.out.w << ",\n      KH => " << l.kh << ", KW => " << l.kw << ", SH => " << l.sh << ", SW => " << l.sw
         << ", PAD_T => " << l.pad_t << ", PAD_L => " << l.pad_l << ", GROUPS => " << (pool ? 1 : l.group) << ",\n      IN_BITS => "
         << l.in_bits << ", OUT_BITS => " << l.out_bits << ", W_BITS => " << (pool ? 2 : l.w_bits) << ", ACC_BITS => " << acc
         << ", IN_SIGNED => " << vbool(l.in_signed) << ", OUT_SIGNED => " << vbool(l.out_signed) << ",\n      IN_LANES => " << in_lanes
         << ", OUT_LANES => " << out_lanes << ", PO => " << (pool ? 1 : out_lanes) << ", PI => " << (pool ? 1 : m.par.pi)
         << ", PK => " << m.par.pk << ", CAP => " << hw::line_buffer_pixels(l) << ",\n      REQ_LANES => "
         << std::max(1, m.cost.requant_lanes) << ", RESCALE => " << rescale_code(l.rescale) << ", MULT_BITS => " << r.mult_bits
         << ", RQW => " << r.rqw << ",\n";
      if (pool)
        wr << "      WEIGHTS => (0 => 0), BIAS => (0 => 0), RQ_MULT => (0 => 1), RQ_SHIFT => (0 => 0), RQ_LEFT => (0 => 0))\n";
      else
        wr << "      WEIGHTS => " << I << "_WEIGHTS, BIAS => " << I << "_BIAS, RQ_MULT => " << I << "_RQ_MULT, RQ_SHIFT => " << I
           << "_RQ_SHIFT, RQ_LEFT => " << I << "_RQ_LEFT)\n";
    }
    wr << "    port map (clk => clk, rst => rst, in_valid => in_valid, in_data => in_data, in_pop => in_pop,\n"
       << "              out_ready => out_ready, out_push => out_push, out_data => out_data);\nend architecture;\n";
  }
  write_atomic(dir / (d.top + "_layers.vhd"), wr.str());
  d.files.push_back(d.top + "_layers.vhd");

  // Top entity: a FIFO of the mapping's depth per layer input (fifo<i>_<k>); a stream read by
  // several layers (a fork) moves when every consumer FIFO has room, into all of them at once
  // (the SystemC OutPort).
  const int out_lanes = lanes_from(net, map, net.output), out_bits = bits_from(net, net.output);
  std::vector<std::vector<std::string>> readies(n + 1);  // per producer (index p+1): consumer FIFOs' can_push
  std::ostringstream top;
  top << "-- Generated by n2d2-flow (exporters/vhdl): top entity of '" << net.name << "' on " << map.device.name << " ("
      << map.cycles_per_frame << " cycles per frame estimated). Do not edit.\n"
      << "-- Stream ports: one beat per cycle when valid and ready; input beat = one pixel (" << net.input.c << " channels x "
      << net.input_bits << " bits), output beat = up to " << out_lanes << " channels x " << out_bits << " bits.\n"
      << "library ieee;\nuse ieee.std_logic_1164.all;\nlibrary " << L << ";\n\nentity " << d.top << " is\n  port (\n"
      << "    clk, rst  : in  std_logic;\n    in_data   : in  std_logic_vector(" << net.input.c * net.input_bits - 1 << " downto 0);\n"
      << "    in_valid  : in  std_logic;\n    in_ready  : out std_logic;\n    out_data  : out std_logic_vector("
      << out_lanes * out_bits - 1 << " downto 0);\n    out_valid : out std_logic;\n    out_ready : in  std_logic);\nend entity;\n\n"
      << "architecture rtl of " << d.top << " is\n";
  for (std::size_t i = 0; i < n; ++i) {
    const hw::Layer& l = net.layers[i];
    for (std::size_t k = 0; k < l.inputs.size(); ++k) {
      const std::string f = "f" + std::to_string(i) + "_" + std::to_string(k);
      const int w = lanes_from(net, map, l.inputs[k]) * bits_from(net, l.inputs[k]);
      top << "  signal " << f << "_din, " << f << "_dout : std_logic_vector(" << w - 1 << " downto 0);\n"
          << "  signal " << f << "_push, " << f << "_can_push, " << f << "_can_pop, " << f << "_pop : std_logic;\n";
    }
    const int ow = hw::lanes_of(map.layers[i].out_seg) * l.out_bits;
    top << "  signal l" << i << "_data : std_logic_vector(" << ow - 1 << " downto 0);\n  signal l" << i << "_push, l" << i
        << "_ready : std_logic;\n";
  }
  top << "  signal fo_can_push, fo_can_pop : std_logic;\nbegin\n";
  for (std::size_t i = 0; i < n; ++i) {
    const hw::Layer& l = net.layers[i];
    top << "  -- " << l.name << "\n";
    for (std::size_t k = 0; k < l.inputs.size(); ++k) {
      const int p = l.inputs[k];
      const std::string src = p == hw::kNetworkInput ? "in" : "l" + std::to_string(p);
      const std::string f = "f" + std::to_string(i) + "_" + std::to_string(k);
      const int w = lanes_from(net, map, p) * bits_from(net, p);
      readies[static_cast<std::size_t>(p + 1)].push_back(f + "_can_push");
      top << "  " << f << "_push <= " << (p == hw::kNetworkInput ? "in_valid" : src + "_push") << ";\n  " << f << "_din <= " << src
          << "_data;\n  fifo" << i << "_" << k << " : entity " << L << ".n2d2_fifo generic map (DEPTH => "
          << map.layers[i].fifo_depth[k] << ", WIDTH => " << w << ")\n    port map (clk => clk, rst => rst, push => " << f
          << "_push, din => " << f << "_din, can_push => " << f << "_can_push,\n              can_pop => " << f << "_can_pop, dout => "
          << f << "_dout, pop => " << f << "_pop);\n";
    }
    top << "  blk" << i << " : entity " << L << "." << d.layer_entities[i] << "\n    port map (clk => clk, rst => rst,";
    for (std::size_t k = 0; k < l.inputs.size(); ++k) {
      const std::string P = in_port(l, k), f = "f" + std::to_string(i) + "_" + std::to_string(k);
      top << (k ? "\n             " : "") << " " << P << "_valid => " << f << "_can_pop, " << P << "_data => " << f << "_dout, " << P
          << "_pop => " << f << "_pop,";
    }
    top << "\n              out_ready => l" << i << "_ready, out_push => l" << i << "_push, out_data => l" << i << "_data);\n";
  }
  readies[static_cast<std::size_t>(net.output + 1)].push_back("fo_can_push");
  for (std::size_t p = 0; p <= n; ++p) {
    std::string lhs = p == 0 ? "in_ready" : "l" + std::to_string(p - 1) + "_ready";
    std::string rhs;
    for (const auto& r : readies[p]) rhs += (rhs.empty() ? "" : " and ") + r;
    if (rhs.empty()) rhs = "'1'";
    top << "  " << lhs << " <= " << rhs << ";\n";
  }
  top << "  -- output FIFO (the sink side)\n  fifo_out : entity " << L << ".n2d2_fifo generic map (DEPTH => 2, WIDTH => "
      << out_lanes * out_bits << ")\n    port map (clk => clk, rst => rst, push => l" << net.output << "_push, din => l" << net.output
      << "_data, can_push => fo_can_push,\n              can_pop => fo_can_pop, dout => out_data, pop => out_ready);\n"
      << "  out_valid <= fo_can_pop;\nend architecture;\n";
  write_atomic(dir / (d.top + ".vhd"), top.str());
  d.files.push_back(d.top + ".vhd");

  // Stimuli and expected outputs in stream order.
  const hw::Layer& ol = net.layers[static_cast<std::size_t>(net.output)];
  const hw::Segmentation& out_seg = map.layers[static_cast<std::size_t>(net.output)].out_seg;  // beats of an output pixel
  const int out_c = ol.out.c, out_hw = ol.out.h * ol.out.w, nb_out = static_cast<int>(out_seg.size());
  std::vector<int64_t> seg_size;
  for (const hw::Segment& g : out_seg) seg_size.push_back(g.size);
  const int in_hw = net.input.h * net.input.w;
  std::string in_txt, exp_txt;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    if (static_cast<int64_t>(frames[f].size()) != net.input.size()) fail("VHDL: frame ", f, " has ", frames[f].size(), " values");
    if (static_cast<int64_t>(expected[f].size()) != ol.out.size()) fail("VHDL: expected output ", f, " has ", expected[f].size(), " values");
    for (int px = 0; px < in_hw; ++px) {
      for (int c = 0; c < net.input.c; ++c) {
        if (c) in_txt += ' ';
        in_txt += std::to_string(frames[f][static_cast<std::size_t>(c * in_hw + px)]);
      }
      in_txt += '\n';
    }
    for (int px = 0; px < out_hw; ++px)
      for (const hw::Segment& g : out_seg) {
        for (int j = 0; j < g.size; ++j) {
          if (j) exp_txt += ' ';
          exp_txt += std::to_string(expected[f][static_cast<std::size_t>((g.offset + j) * out_hw + px)]);
        }
        exp_txt += '\n';
      }
  }
  write_atomic(dir / "input.txt", in_txt);
  write_atomic(dir / "expected.txt", exp_txt);

  // Self-checking testbench.
  const int64_t max_cycles = (static_cast<int64_t>(frames.size()) + 2) * map.cycles_per_frame * 4 + 4 * map.latency_cycles + 10000;
  std::ostringstream tb;
  tb << "-- Generated by n2d2-flow (exporters/vhdl): self-checking testbench of " << d.top << ". Do not edit.\n"
     << "-- Cycle k = the k-th rising edge (as the SystemC model counts). At each falling edge the source offers the next\n"
     << "-- pixel when in_ready (registered) is high, and the sink takes a beat when out_valid is high and checks it.\n"
     << "library ieee;\nuse ieee.std_logic_1164.all;\nuse ieee.numeric_std.all;\nuse std.textio.all;\nlibrary " << L << ";\n\n"
     << "entity " << d.testbench << " is\n  generic (FRAMES : natural := " << frames.size() << "; MAX_CYCLES : natural := "
     << std::min<int64_t>(max_cycles, 2000000000) << ");\nend entity;\n\narchitecture sim of " << d.testbench << " is\n"
     << "  constant IN_C : natural := " << net.input.c << ";\n  constant IN_BITS : natural := " << net.input_bits << ";\n"
     << "  constant IN_SIGNED : boolean := " << vbool(net.input_signed) << ";\n  constant IN_HW : natural := " << in_hw << ";\n"
     << "  constant OUT_C : natural := " << out_c << ";\n  constant OUT_LANES : natural := " << out_lanes << ";\n"
     << "  constant OUT_BITS : natural := " << out_bits << ";\n  constant OUT_SIGNED : boolean := " << vbool(ol.out_signed) << ";\n"
     << "  constant OUT_HW : natural := " << out_hw << ";\n  constant NB_OUT : natural := " << nb_out << ";\n"
     << "  constant SEG_SIZE : integer_vector := " << int_vector(seg_size) << ";  -- lanes of each beat of an output pixel\n"
     << "  signal clk : std_logic := '1';\n  signal rst : std_logic := '0';\n"
     << "  signal in_data : std_logic_vector(IN_C * IN_BITS - 1 downto 0) := (others => '0');\n"
     << "  signal in_valid, in_ready, out_valid : std_logic;\n  signal out_ready : std_logic := '0';\n"
     << "  signal out_data : std_logic_vector(OUT_LANES * OUT_BITS - 1 downto 0);\nbegin\n"
     << "  clk <= not clk after 5 ns;\n"
     << "  dut : entity " << L << "." << d.top << "\n    port map (clk => clk, rst => rst, in_data => in_data, in_valid => in_valid, "
     << "in_ready => in_ready,\n              out_data => out_data, out_valid => out_valid, out_ready => out_ready);\n"
     << R"(  process
    file fin  : text open read_mode is "input.txt";
    file fexp : text open read_mode is "expected.txt";
    file fact : text open write_mode is "actual.txt";
    file fres : text open write_mode is "result.txt";
    variable li, le, la, lr : line;
    variable v, e, size : integer;
    variable cyc, fi, pxi, fo, bo, pxo, mism : natural := 0;
    variable first_in : integer_vector(0 to FRAMES) := (others => 0);
    variable lane : std_logic_vector(OUT_BITS - 1 downto 0);
  begin
    in_valid <= '0';
    loop
      wait until falling_edge(clk);
      cyc := cyc + 1;
      -- source: the next pixel when the input FIFO has room
      if fi < FRAMES and in_ready = '1' then
        readline(fin, li);
        for c in 0 to IN_C - 1 loop
          read(li, v);
          if IN_SIGNED then in_data((c + 1) * IN_BITS - 1 downto c * IN_BITS) <= std_logic_vector(to_signed(v, IN_BITS));
          else in_data((c + 1) * IN_BITS - 1 downto c * IN_BITS) <= std_logic_vector(to_unsigned(v, IN_BITS)); end if;
        end loop;
        in_valid <= '1';
        if pxi = 0 then first_in(fi) := cyc; end if;
        pxi := pxi + 1;
        if pxi = IN_HW then pxi := 0; fi := fi + 1; end if;
      else
        in_valid <= '0';
      end if;
      -- sink: always ready; check each beat against expected.txt
      if out_valid = '1' then
        out_ready <= '1';
        size := SEG_SIZE(SEG_SIZE'low + bo);
        readline(fexp, le);
        for j in 0 to size - 1 loop
          read(le, e);
          lane := out_data((j + 1) * OUT_BITS - 1 downto j * OUT_BITS);
          if OUT_SIGNED then v := to_integer(signed(lane)); else v := to_integer(unsigned(lane)); end if;
          if j > 0 then write(la, string'(" ")); end if;
          write(la, v);
          if v /= e then
            if mism < 10 then
              report "mismatch: frame " & integer'image(fo) & " pixel " & integer'image(pxo) & " beat " & integer'image(bo) &
                     " lane " & integer'image(j) & ": got " & integer'image(v) & ", expected " & integer'image(e) severity warning;
            end if;
            mism := mism + 1;
          end if;
        end loop;
        writeline(fact, la);
        bo := bo + 1;
        if bo = NB_OUT then
          bo := 0;
          pxo := pxo + 1;
          if pxo = OUT_HW then
            pxo := 0;
            write(lr, string'("frame ")); write(lr, fo); write(lr, string'(" first_in ")); write(lr, first_in(fo));
            write(lr, string'(" last_out ")); write(lr, cyc);
            writeline(fres, lr);
            fo := fo + 1;
          end if;
        end if;
      else
        out_ready <= '0';
      end if;
      exit when fo = FRAMES or cyc >= MAX_CYCLES;
    end loop;
    write(lr, string'("done frames ")); write(lr, fo); write(lr, string'(" mismatches ")); write(lr, mism);
    write(lr, string'(" cycles ")); write(lr, cyc);
    if fo < FRAMES then write(lr, string'(" timeout")); end if;
    writeline(fres, lr);
    report "n2d2 testbench: " & integer'image(fo) & " frames, " & integer'image(mism) & " mismatches, " & integer'image(cyc) & " cycles";
    std.env.finish;
  end process;
end architecture;
)";
  write_atomic(dir / (d.testbench + ".vhd"), tb.str());
  d.files.push_back(d.testbench + ".vhd");
  return d;
}

bool ghdl_available() { return run_shell("ghdl --version").first == 0; }

GhdlRun run_ghdl(const Design& d, const hw::Network& net, const hw::Mapping& map) {
  GhdlRun r;
  const std::string cd = "cd " + shell_quote(d.dir) + " && ";
  std::string files;
  for (const auto& f : d.files) files += " " + shell_quote(f);
  auto t0 = std::chrono::steady_clock::now();
  auto [rc, out] = run_shell(cd + "rm -f n2d2-obj08.cf && ghdl -a --std=08 --work=n2d2" + files + " && ghdl -e --std=08 --work=n2d2 " + d.testbench);
  r.log += out;
  if (rc != 0) fail("ghdl analysis of ", d.dir, " failed:\n", out);
  auto t1 = std::chrono::steady_clock::now();
  auto [rc2, out2] = run_shell(cd + "ghdl -r --std=08 --work=n2d2 " + d.testbench + " --ieee-asserts=disable --max-stack-alloc=0");
  auto t2 = std::chrono::steady_clock::now();
  r.log += out2;
  r.analyse_s = std::chrono::duration<double>(t1 - t0).count();
  r.run_s = std::chrono::duration<double>(t2 - t1).count();
  if (rc2 != 0) fail("ghdl run of ", d.testbench, " failed (exit ", rc2, "):\n", out2.substr(0, 4000));
  std::ifstream res(fs::path(d.dir) / "result.txt");
  std::string line;
  bool done = false;
  while (std::getline(res, line)) {
    std::istringstream s(line);
    std::string w;
    s >> w;
    if (w == "frame") {
      int64_t f, a, b;
      std::string k1, k2;
      s >> f >> k1 >> a >> k2 >> b;
      r.first_in.push_back(a);
      r.last_out.push_back(b);
    } else if (w == "done") {
      std::string k;
      int64_t frames;
      s >> k >> frames >> k >> r.mismatches >> k >> r.cycles;
      r.timed_out = static_cast<bool>(s >> k) && k == "timeout";
      done = true;
    }
  }
  if (!done) fail("ghdl run of ", d.testbench, ": no result line in ", d.dir, "/result.txt:\n", out2.substr(0, 4000));
  // Outputs, from actual.txt (stream order) back to C,H,W.
  const hw::Layer& ol = net.layers[static_cast<std::size_t>(net.output)];
  const hw::Segmentation& out_seg = map.layers[static_cast<std::size_t>(net.output)].out_seg;
  const int out_hw = ol.out.h * ol.out.w;
  std::ifstream act(fs::path(d.dir) / "actual.txt");
  const std::size_t nf = r.last_out.size();
  r.outputs.assign(nf, std::vector<int32_t>(static_cast<std::size_t>(ol.out.size())));
  for (std::size_t f = 0; f < nf; ++f)
    for (int px = 0; px < out_hw; ++px)
      for (const hw::Segment& g : out_seg) {
        if (!std::getline(act, line)) fail("ghdl: ", d.dir, "/actual.txt ends early (frame ", f, ")");
        std::istringstream s(line);
        for (int j = 0; j < g.size; ++j) {
          int64_t v;
          if (!(s >> v)) fail("ghdl: bad line in actual.txt: '", line, "'");
          r.outputs[f][static_cast<std::size_t>((g.offset + j) * out_hw + px)] = static_cast<int32_t>(v);
        }
      }
  if (nf > 0) {
    r.latency_cycles = r.last_out[0] - r.first_in[0] + 1;
    r.cycles_per_frame = nf > 1 ? static_cast<double>(r.last_out[nf - 1] - r.last_out[0]) / static_cast<double>(nf - 1)
                                : static_cast<double>(r.latency_cycles);
  }
  return r;
}

}  // namespace n2d2::vhdl
