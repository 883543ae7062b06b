// n2d2-flow hw: maps an integer network onto a DNeuro-style dataflow FPGA pipeline (one block per
// layer chained by FIFOs), allocates each layer's parallelism under the device budgets and prints
// the per-layer resources and cycles, the pipeline's FPS and latency (text, JSON, bar chart PNG).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "apps/n2d2-flow/args.h"
#include "apps/n2d2-flow/commands.h"
#include "apps/n2d2-flow/json_writer.h"
#include "apps/n2d2-flow/session.h"
#include "graph/error.h"
#include "hw/allocator.h"
#include "hw/from_graph.h"
#include "hw/zoo.h"
#include "hw/synth_check.h"
#include "exporters/vhdl/vhdl_export.h"
#include "graph/ops/quant_semantics.h"
#include "frontends/data/idx.h"
#include <random>
#ifdef N2D2_HAVE_SYSTEMC

#include "hw/systemc/verify.h"
#endif

namespace n2d2::cli {
namespace {

const char* kHwUsage =
    "usage: n2d2-flow hw MODEL --device D --clock MHZ [--dsp N] [--bram N] [--lut N] [--int8-packing]\n"
    "                    [--line-buffers lutram|bram]\n"
    "                    [-o DIR] [--json FILE] [--simulate N [--data fashion-mnist|DIR]] [--seed S]\n"
    "Maps an integer network (ai.n2d2 ops, from n2d2-flow quantize) onto a dataflow pipeline of\n"
    "per-layer blocks and estimates DSP, block RAM (BRAM18 / M20K), LUT, FF, cycles per frame,\n"
    "FPS and latency. MODEL may also be zoo:lenet or zoo:mobilenet (shape-only reference networks).\n"
    "Devices: xc7z020, xczu9eg, xcvu9p, arria10 (10AS027). --dsp/--bram/--lut lower the budgets;\n"
    "--int8-packing packs two int8 MACs per DSP48E2 (UltraScale+). --line-buffers: lutram (default)\n"
    "costs the VHDL blocks' LUT-RAM line buffers (calibrated against yosys); bram estimates DNeuro's\n"
    "block-RAM line buffers (no VHDL for them yet). -o DIR writes report.txt,\n"
    "report.json and layers.png there. --simulate N runs N frames through the SystemC cycle model\n"
    "(test images of --data, else seeded random inputs; zoo networks get seeded random weights) and\n"
    "compares its outputs bit for bit with the integer reference and its cycles with the estimate.\n"
    "--emit-vhdl writes the VHDL-2008 design to DIR/vhdl (needs -o) and, with --simulate and ghdl, runs\n"
    "its testbench on the same frames. --synth-check synthesizes every layer entity with ghdl --synth +\n"
    "yosys synth_xilinx and puts the DSP / BRAM18 / LUT / FF counts next to the estimate, --synth-jobs N\n"
    "entities at a time (default: the number of CPUs).\n";

std::string fmt(const char* f, auto... a) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, a...);
  return buf;
}

std::string table(const hw::Network& net, const hw::Mapping& m) {
  std::string s;
  s += fmt("device %s (%s), clock %.1f MHz, budget %d DSP / %d %s / %d LUT%s\n", m.device.name.c_str(),
           m.device.family.c_str(), m.options.clock_mhz, m.options.budget.dsp ? m.options.budget.dsp : m.device.dsp,
           m.options.budget.bram ? m.options.budget.bram : m.device.bram18, m.device.memory_unit().c_str(),
           m.options.budget.lut ? m.options.budget.lut : m.device.lut,
           (std::string(m.options.block.int8_packing ? ", int8 packing" : "") +
            (m.options.block.bram_line_buffers ? ", block-RAM line buffers" : ""))
               .c_str());
  s += fmt("%-3s %-16s %-7s %-14s %-12s %5s %4s %4s %4s %4s %10s %10s %5s %6s %6s %s\n", "#", "layer", "block", "in",
           "out", "po", "pi", "pk", "acc", "DSP", "cycles", "MACs", "mem", "LUT", "FF", "FIFO in");
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const hw::Layer& l = net.layers[i];
    const hw::LayerMap& lm = m.layers[i];
    std::string fifos;
    for (int d : lm.fifo_depth) fifos += (fifos.empty() ? "" : ",") + std::to_string(d);
    s += fmt("%-3zu %-16s %-7s %-14s %-12s %5d %4d %4d %4d %4d %10lld %10lld %5d %6d %6d %s%s\n", i,
             l.name.substr(0, 16).c_str(), hw::kind_name(l.kind),
             fmt("%dx%dx%d", l.in.c, l.in.h, l.in.w).c_str(), fmt("%dx%dx%d", l.out.c, l.out.h, l.out.w).c_str(), lm.par.po,
             lm.par.pi, lm.par.pk, lm.cost.acc_bits, lm.cost.dsp, static_cast<long long>(lm.cost.cycles),
             static_cast<long long>(l.macs()), lm.cost.bram, lm.cost.lut, lm.cost.ff, fifos.c_str(),
             static_cast<int>(i) == m.bottleneck ? "  <- slowest" : "");
  }
  s += fmt("total: %d DSP, %d %s, %d LUT, %d FF; %lld MACs per frame\n", m.dsp, m.bram, m.device.memory_unit().c_str(), m.lut,
           m.ff, static_cast<long long>(m.macs));
  s += fmt("estimate: %lld cycles per frame -> %.2f FPS at %.1f MHz; latency %lld cycles (%.1f us); %.3f MAC/DSP/cycle\n",
           static_cast<long long>(m.cycles_per_frame), m.fps(), m.options.clock_mhz, static_cast<long long>(m.latency_cycles),
           m.latency_us(), m.mac_per_dsp_cycle());
  return s;
}

void json_body(JsonWriter& j, const std::string& model, const hw::Network& net, const hw::Mapping& m, double estimate_ms) {
  j.key("model").value(model).key("device").value(m.device.name).key("clock_mhz").value(m.options.clock_mhz);
  j.key("dsp").value(m.dsp).key("bram18").value(m.bram).key("memory_unit").value(m.device.memory_unit());
  j.key("lut").value(m.lut).key("ff").value(m.ff);
  j.key("estimated_fps").value(m.fps()).key("estimated_cycles_per_frame").value(m.cycles_per_frame);
  j.key("estimated_latency_cycles").value(m.latency_cycles).key("macs_per_frame").value(m.macs);
  j.key("mac_per_dsp_cycle").value(m.mac_per_dsp_cycle()).key("int8_packing").value(m.options.block.int8_packing);
  j.key("line_buffers").value(m.options.block.bram_line_buffers ? "bram" : "lutram");
  j.key("estimate_ms").value(estimate_ms);
  j.key("layers").begin_array();
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const hw::Layer& l = net.layers[i];
    const hw::LayerMap& lm = m.layers[i];
    j.begin_object().key("name").value(l.name).key("block").value(hw::kind_name(l.kind));
    j.key("in").array(std::vector<int>{l.in.c, l.in.h, l.in.w}).key("out").array(std::vector<int>{l.out.c, l.out.h, l.out.w});
    j.key("po").value(lm.par.po).key("pi").value(lm.par.pi).key("pk").value(lm.par.pk).key("acc_bits").value(lm.cost.acc_bits);
    j.key("rescale").value(hw::rescale_name(l.rescale));
    j.key("dsp").value(lm.cost.dsp).key("bram18").value(lm.cost.bram).key("lut").value(lm.cost.lut).key("ff").value(lm.cost.ff);
    j.key("lut_features").begin_object();
    for (int f = 0; f < hw::kNumLutFeatures; ++f) j.key(hw::kLutFeatureNames[f]).value(lm.cost.lut_features[f]);
    j.end_object().key("ff_features").begin_object();
    for (int f = 0; f < hw::kNumFfFeatures; ++f) j.key(hw::kFfFeatureNames[f]).value(lm.cost.ff_features[f]);
    j.end_object();
    j.key("cycles_per_frame").value(lm.cost.cycles).key("macs").value(l.macs());
    j.key("fifo_depths").array(lm.fifo_depth).end_object();
  }
  j.end_array();
}

// Horizontal bars per layer: cycles per frame (relative to the slowest) and DSP share.
void write_chart(const std::string& path, const hw::Network& net, const hw::Mapping& m) {
  const int row = 22, left = 170, width = 900, n = static_cast<int>(net.layers.size());
  cv::Mat img(60 + n * row, left + width + 20, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::putText(img, fmt("%s on %s @ %.0f MHz: %.1f FPS, %d DSP", net.name.c_str(), m.device.name.c_str(), m.options.clock_mhz,
                       m.fps(), m.dsp),
              {10, 20}, cv::FONT_HERSHEY_SIMPLEX, 0.5, {0, 0, 0}, 1, cv::LINE_AA);
  cv::putText(img, "blue: cycles per frame vs the slowest layer   orange: DSPs vs the largest layer", {10, 42}, cv::FONT_HERSHEY_SIMPLEX, 0.45,
              {80, 80, 80}, 1, cv::LINE_AA);
  int max_dsp = 1;
  for (const auto& l : m.layers) max_dsp = std::max(max_dsp, l.cost.dsp);
  for (int i = 0; i < n; ++i) {
    const auto& lm = m.layers[static_cast<std::size_t>(i)];
    int y = 55 + i * row;
    cv::putText(img, net.layers[static_cast<std::size_t>(i)].name.substr(0, 20), {5, y + 13}, cv::FONT_HERSHEY_SIMPLEX, 0.4,
                {0, 0, 0}, 1, cv::LINE_AA);
    int wc = static_cast<int>(width * static_cast<double>(lm.cost.cycles) / static_cast<double>(m.cycles_per_frame));
    int wd = static_cast<int>(width * static_cast<double>(lm.cost.dsp) / max_dsp);
    cv::rectangle(img, {left, y}, {left + std::max(wc, 1), y + 9}, {200, 120, 40}, cv::FILLED);
    cv::rectangle(img, {left, y + 10}, {left + std::max(wd, 1), y + 18}, {40, 140, 240}, cv::FILLED);
  }
  std::vector<uchar> buf;
  if (!cv::imencode(".png", img, buf)) fail("cannot encode ", path);
  write_text_atomic(path, std::string(buf.begin(), buf.end()));
}

// --emit-vhdl / --synth-check: the design in DIR/vhdl, its GHDL run on the simulated frames, and
// yosys' counts per layer next to the estimate. Returns 1 when GHDL's outputs or cycles differ.
int emit_vhdl(const Args& a, const hw::Network& net, const hw::Mapping& map, const std::vector<std::vector<int32_t>>& frames,
              const std::vector<std::vector<int32_t>>& sc_outputs, double sc_cycles_per_frame, JsonWriter& j, std::string& text) {
  const std::string dir = (std::filesystem::path(a.get("-o")) / "vhdl").string();
  std::vector<std::vector<int32_t>> expected;
#ifdef N2D2_HAVE_SYSTEMC
  for (const auto& f : frames) expected.push_back(hw::network_reference(net, f));
#endif
  const auto& use = expected.size() == frames.size() ? frames : expected;  // no reference: no testbench frames
  vhdl::Design d = vhdl::write_design(net, map, dir, use, expected, "n2d2_net");
  std::string s = fmt("vhdl: wrote %s (%zu files, top %s, testbench %s with %zu frames)\n", dir.c_str(), d.files.size(), d.top.c_str(),
                      d.testbench.c_str(), use.size());
  int rc = 0;
  if (a.has("--emit-vhdl") && !use.empty()) {
    if (!vhdl::ghdl_available()) {
      s += "vhdl: ghdl not found: the design is not simulated\n";
    } else {
      std::fprintf(stderr, "simulating %zu frames with ghdl...\n", use.size());
      vhdl::GhdlRun g = vhdl::run_ghdl(d, net, map);
      bool exact = !g.timed_out && g.mismatches == 0 && g.outputs == expected && (sc_outputs.empty() || g.outputs == sc_outputs);
      // Per-frame cycles need two frames (one frame gives its latency, which shared rescalers lengthen).
      bool cycles = sc_outputs.empty() || g.outputs.size() < 2 || g.cycles_per_frame == sc_cycles_per_frame;
      s += fmt("vhdl: ghdl %zu frames, outputs %s the integer reference%s; %.1f cycles per frame (SystemC %.1f, estimate %lld); "
               "latency %lld cycles\n", g.outputs.size(), exact ? "bit-identical to" : "DIFFER from",
               sc_outputs.empty() ? "" : " and SystemC", g.cycles_per_frame, sc_cycles_per_frame,
               static_cast<long long>(map.cycles_per_frame), static_cast<long long>(g.latency_cycles));
      s += fmt("vhdl: ghdl analysis %.1f s, run %.1f s for %lld cycles (%.1f s per frame, %.3g cycles/s)\n", g.analyse_s, g.run_s,
               static_cast<long long>(g.cycles), g.run_s / static_cast<double>(std::max<std::size_t>(1, g.outputs.size())),
               static_cast<double>(g.cycles) / std::max(1e-9, g.run_s));
      j.key("vhdl_images").value(static_cast<int64_t>(g.outputs.size())).key("vhdl_bit_exact").value(exact);
      j.key("vhdl_cycles_per_frame").value(g.cycles_per_frame).key("vhdl_latency_cycles").value(g.latency_cycles);
      j.key("vhdl_cycles_equal_systemc").value(cycles).key("ghdl_run_s").value(g.run_s);
      if (!exact || !cycles) rc = 1;
    }
  }
  if (a.has("--synth-check")) {
    std::string why;
    if (!hw::synth_tools_available(&why)) fail("--synth-check: ", why);
    const std::string family = hw::yosys_family(map.device.name);
    hw::SynthCounts total;
    s += fmt("synth-check (ghdl --synth + yosys synth_xilinx -family %s), per layer: yosys / estimate\n", family.c_str());
    s += fmt("%-16s %11s %11s %13s %13s %7s\n", "layer", "DSP", "BRAM18", "LUT", "FF", "time");
    j.key("synth_layers").begin_array();
    const int jobs = static_cast<int>(a.get_int("--synth-jobs", std::max(1u, std::thread::hardware_concurrency()), 1));
    std::fprintf(stderr, "synthesizing %zu layer entities, %d at a time...\n", d.layer_entities.size(), jobs);
    auto t0 = std::chrono::steady_clock::now();
    std::vector<hw::SynthCounts> counts = hw::synthesize_all(d.dir, d.files, "n2d2", d.layer_entities, family, jobs);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const hw::SynthCounts& c = counts[i];
      const hw::BlockCost& e = map.layers[i].cost;
      s += fmt("%-16s %5d/%-5d %5d/%-5d %6d/%-6d %6d/%-6d %6.1fs\n", net.layers[i].name.substr(0, 16).c_str(), c.dsp, e.dsp, c.bram18(),
               e.bram, c.lut, e.lut, c.ff, e.ff, c.seconds);
      j.begin_object().key("name").value(net.layers[i].name).key("yosys_dsp").value(c.dsp).key("yosys_bram").value(c.bram18());
      j.key("yosys_lut").value(c.lut).key("yosys_ff").value(c.ff).key("dsp").value(e.dsp).key("bram18").value(e.bram);
      j.key("lut").value(e.lut).key("ff").value(e.ff).key("seconds").value(c.seconds).end_object();
      total.dsp += c.dsp, total.ramb18 += c.bram18(), total.lut += c.lut, total.ff += c.ff, total.seconds += c.seconds;
    }
    j.end_array();
    s += fmt("%-16s %5d/%-5d %5d/%-5d %6d/%-6d %6d/%-6d %6.1fs\n", "total", total.dsp, map.dsp, total.ramb18, map.bram, total.lut,
             map.lut, total.ff, map.ff, total.seconds);
    s += fmt("synth-check: %.1f s wall, %d entities at a time\n", wall, jobs);
    j.key("synth_wall_s").value(wall).key("synth_jobs").value(jobs);
    j.key("yosys_dsp").value(total.dsp).key("yosys_bram").value(total.ramb18).key("yosys_lut").value(total.lut).key("yosys_ff").value(total.ff);
  }
  std::cout << s;
  text += s;
  return rc;
}

}  // namespace

int cmd_hw(int argc, char** argv) {
  std::set<std::string> with_value = {"--device", "--clock", "--dsp", "--bram", "--lut", "-o", "--json", "--simulate", "--data", "--seed",
                                       "--synth-jobs", "--line-buffers"};
  with_value.insert(kModelOptions.begin(), kModelOptions.end());
  Args a(argc, argv, 2, with_value, {"--help", "-h", "--int8-packing", "--emit-vhdl", "--synth-check"});
  if (a.has("--help") || a.has("-h")) {
    std::cout << kHwUsage;
    return 0;
  }
  if (a.positional().size() != 1) {
    std::cerr << kHwUsage;
    fail("hw takes exactly one MODEL argument");
  }
  if (!a.has("--device")) fail("hw needs --device (xc7z020, xczu9eg, xcvu9p, arria10)");
  const std::string model = a.positional()[0];
  const hw::Device& dev = hw::find_device(a.get("--device"));
  hw::MapOptions opt;
  std::string clock = a.get("--clock", "200");
  try {
    std::size_t pos = 0;
    opt.clock_mhz = std::stod(clock, &pos);
    if (pos != clock.size() || !(opt.clock_mhz > 0) || opt.clock_mhz > 2000) throw std::invalid_argument("");
  } catch (const std::exception&) {
    fail("--clock: '", clock, "' is not a clock in MHz (0 < f <= 2000)");
  }
  opt.budget.dsp = static_cast<int>(a.get_int("--dsp", 0, 1));
  opt.budget.bram = static_cast<int>(a.get_int("--bram", 0, 1));
  opt.budget.lut = static_cast<int>(a.get_int("--lut", 0, 1));
  opt.block.int8_packing = a.has("--int8-packing");
  if (a.has("--line-buffers")) {
    const std::string lb = a.get("--line-buffers");
    if (lb != "lutram" && lb != "bram") fail("--line-buffers: expected lutram or bram, got '", lb, "'");
    opt.block.bram_line_buffers = lb == "bram";
  }
  if (opt.block.bram_line_buffers && (a.has("--emit-vhdl") || a.has("--synth-check")))
    fail("--line-buffers bram is an estimate of DNeuro's block-RAM line buffers; the VHDL blocks implement LUT-RAM line "
         "buffers (--line-buffers lutram, the default) only");

  const int64_t sim_frames = a.get_int("--simulate", 0, 1);
  const uint64_t seed = static_cast<uint64_t>(a.get_int("--seed", 1, 0));
  if (a.has("--data") && !sim_frames) fail("--data needs --simulate N");
  hw::Network net;
  graph::Graph graph;
  const bool zoo = model.rfind("zoo:", 0) == 0;
  if (zoo && model != "zoo:lenet" && model != "zoo:mobilenet") fail("unknown zoo network '", model, "' (zoo:lenet, zoo:mobilenet)");
  if (model == "zoo:lenet") {
    net = hw::zoo::lenet();
  } else if (model == "zoo:mobilenet") {
    net = hw::zoo::mobilenet();
  } else {
    LoadedModel m = load_model(model, ModelOptions::from_args(a), Verbosity::from_env(), true, true);
    graph = m.loaded;
    net = hw::network_from_graph(graph);
  }
  // Simulation inputs are checked before anything is printed.
  Tensor images;
  if (sim_frames && zoo && a.has("--data")) fail("--data: zoo networks take seeded random inputs");
  if (sim_frames && !zoo) {
    if (a.has("--data")) {
      data::LabelledImages set = data::read_mnist(data::resolve_mnist_dir(a.get("--data")), data::Split::Test, sim_frames);
      if (set.size() < sim_frames) fail("--data: ", set.images_path, " has ", set.size(), " images, --simulate asks for ", sim_frames);
      if (net.input.c != 1 || net.input.h != set.rows() || net.input.w != set.cols())
        fail("--data: images are 1x", set.rows(), "x", set.cols(), ", the network takes ", net.input.c, "x", net.input.h, "x", net.input.w);
      images = data::images_to_float(set, 0, sim_frames);
    } else {
      images = Tensor(DType::F32, {sim_frames, net.input.c, net.input.h, net.input.w});
      std::mt19937_64 rng(seed);
      std::uniform_real_distribution<float> u(0.f, 1.f);
      for (int64_t i = 0; i < images.numel(); ++i) images.data_mut<float>()[i] = u(rng);
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  hw::Mapping map = hw::allocate(net, dev, opt);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::string text = table(net, map) + fmt("estimated in %.1f ms\n", ms);
  std::cout << text << std::flush;
  JsonWriter j;
  j.begin_object();
  json_body(j, model, net, map, ms);
  int rc = 0;
  std::vector<std::vector<int32_t>> hw_frames, sc_outputs;  // quantized frames and SystemC outputs, for --emit-vhdl
  double sc_cycles_per_frame = 0;
  if ((a.has("--emit-vhdl") || a.has("--synth-check")) && !a.has("-o")) fail("--emit-vhdl / --synth-check need -o DIR (the design goes to DIR/vhdl)");
  if (sim_frames) {
#ifdef N2D2_HAVE_SYSTEMC
    hw::SimResult sim;
    bool exact = false;
    std::string detail;
    std::fprintf(stderr, "simulating %lld frames in SystemC...\n", static_cast<long long>(sim_frames));
    if (zoo) {
      hw::zoo::randomize(net, seed);
      std::mt19937_64 rng(seed);
      std::uniform_int_distribution<int> px(0, net.input_signed ? 254 : 255);
      std::vector<std::vector<int32_t>> frames(static_cast<std::size_t>(sim_frames), std::vector<int32_t>(static_cast<std::size_t>(net.input.size())));
      for (auto& f : frames)
        for (auto& x : f) x = px(rng) - (net.input_signed ? 127 : 0);
      sim = hw::simulate(net, map, frames);
      hw_frames = frames;
      exact = !sim.deadlock;
      for (std::size_t i = 0; i < frames.size() && exact; ++i)
        if (sim.outputs[i] != hw::network_reference(net, frames[i])) exact = false, detail = fmt("frame %zu differs", i);
    } else {
      hw::Verification v = hw::verify(graph, net, map, images);
      const hw::InputQuantization q = hw::input_quantization(graph);
      const int64_t fsize = net.input.size();
      for (int64_t i = 0; i < images.dim(0); ++i) {
        std::vector<int32_t> f(static_cast<std::size_t>(fsize));
        for (int64_t k = 0; k < fsize; ++k)
          f[static_cast<std::size_t>(k)] = static_cast<int32_t>(quant::quantize(images.data<float>()[i * fsize + k], q.scale, q.nbbits, q.is_signed));
        hw_frames.push_back(std::move(f));
      }
      sim = v.sim;
      exact = v.bit_exact();
      detail = v.first_mismatch;
    }
    if (sim.deadlock) fail("SystemC simulation deadlocked after ", sim.total_cycles, " cycles");
    sc_outputs = sim.outputs;
    sc_cycles_per_frame = sim.cycles_per_frame;
    double fps = map.options.clock_mhz * 1e6 / sim.cycles_per_frame;
    double diff = 100.0 * (sim.cycles_per_frame - static_cast<double>(map.cycles_per_frame)) / static_cast<double>(map.cycles_per_frame);
    std::string s = fmt("systemc: %lld frames, outputs %s the integer reference%s%s\n", static_cast<long long>(sim_frames),
                        exact ? "bit-identical to" : "DIFFER from", detail.empty() ? "" : ": ", detail.c_str());
    s += fmt("systemc: %.1f cycles per frame (estimate %lld, %+.2f%%) -> %.2f FPS; latency %lld cycles (estimate %lld)\n",
             sim.cycles_per_frame, static_cast<long long>(map.cycles_per_frame), diff, fps,
             static_cast<long long>(sim.latency_cycles), static_cast<long long>(map.latency_cycles));
    s += fmt("systemc: %lld cycles in %.2f s: %.3g cycles/s, %.3g stage-cycles/s (%zu blocks)\n",
             static_cast<long long>(sim.total_cycles), sim.wall_s, static_cast<double>(sim.total_cycles) / sim.wall_s,
             sim.stage_cycles_per_s, sim.blocks.size());
    s += "systemc blocks (busy / output stalls / starved cycles):";
    for (const auto& b : sim.blocks) s += fmt(" %s %lld/%lld/%lld;", b.name.c_str(), static_cast<long long>(b.busy),
                                              static_cast<long long>(b.stall_out), static_cast<long long>(b.starved));
    s += "\nsystemc FIFOs (max occupancy / depth):";
    for (const auto& f : sim.fifos) s += fmt(" %s %d/%d;", f.name.c_str(), f.max_occupancy, f.depth);
    s += "\n";
    std::cout << s;
    text += s;
    j.key("images").value(sim_frames).key("bit_exact").value(exact);
    j.key("systemc_cycles_per_frame").value(sim.cycles_per_frame).key("systemc_fps").value(fps);
    j.key("systemc_latency_cycles").value(sim.latency_cycles).key("systemc_vs_estimate_percent").value(diff);
    j.key("systemc_cycles_per_s").value(static_cast<double>(sim.total_cycles) / sim.wall_s);
    j.key("systemc_stage_cycles_per_s").value(sim.stage_cycles_per_s);
    j.key("fifos").begin_array();
    for (const auto& f : sim.fifos)
      j.begin_object().key("name").value(f.name).key("depth").value(f.depth).key("max_occupancy").value(f.max_occupancy).end_object();
    j.end_array();
    j.key("stalls").begin_array();
    for (const auto& b : sim.blocks)
      j.begin_object().key("name").value(b.name).key("busy").value(b.busy).key("stall_out").value(b.stall_out).key("starved").value(b.starved).end_object();
    j.end_array();
    if (!exact) rc = 1;
#else
    fail("--simulate: this build has no SystemC (install it and reconfigure: pkg-config systemc)");
#endif
  }
  if (a.has("--emit-vhdl") || a.has("--synth-check")) rc = std::max(rc, emit_vhdl(a, net, map, hw_frames, sc_outputs, sc_cycles_per_frame, j, text));
  j.end_object();
  if (a.has("-o")) {
    std::filesystem::path dir = a.get("-o");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) fail("-o: cannot create '", dir.string(), "': ", ec.message());
    write_text_atomic((dir / "report.txt").string(), text);
    write_text_atomic((dir / "report.json").string(), j.str());
    write_chart((dir / "layers.png").string(), net, map);
    std::printf("wrote %s/{report.txt,report.json,layers.png}\n", dir.string().c_str());
  }
  if (a.has("--json")) write_text_atomic(a.get("--json"), j.str());
  return rc;
}

}  // namespace n2d2::cli
