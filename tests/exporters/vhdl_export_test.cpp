// VHDL emission (exporters/vhdl) checked by GHDL: per-block testbenches (conv, grouped conv,
// max pooling, dense, residual add, concat) over odd shapes and parallelisms, and the LeNet-style
// Fashion-MNIST network, each against the frame-level integer reference (hw::network_reference) and the
// SystemC cycle model (same outputs, same cycles per frame). Skipped with a message when ghdl or
// SystemC is missing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

#include "exporters/vhdl/vhdl_export.h"
#include "graph/error.h"
#include "hw/allocator.h"
#include "hw/synth_check.h"
#include "tests/test_util.h"
#ifdef N2D2_HAVE_SYSTEMC
#include "frontends/data/idx.h"
#include "frontends/onnx/onnx_loader.h"
#include "graph/ops/quant_semantics.h"
#include "hw/from_graph.h"
#include "hw/systemc/simulate.h"
#endif

namespace n2d2 {
namespace {

namespace fs = std::filesystem;
using hw::Layer;
using hw::LayerKind;
using hw::Network;
using hw::Parallelism;
using hw::Rescale;

uint64_t seed() {
  const char* s = std::getenv("N2D2_SEED");
  uint64_t v = s ? std::strtoull(s, nullptr, 10) : 4242;
  std::printf("N2D2_SEED=%llu\n", static_cast<unsigned long long>(v));
  return v;
}

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / ("n2d2_vhdl_" + name + "_" + std::to_string(::getpid()));
}

void fill(Layer& l, std::mt19937_64& rng, Rescale mode) {
  std::uniform_int_distribution<int> w(-127, 127), b(-900, 900);
  int64_t n = l.kind == LayerKind::Conv ? int64_t{l.out.c} * l.cin_per_group() * l.taps()
                                        : l.kind == LayerKind::Dense ? int64_t{l.out.c} * l.in.size() : 0;
  l.weights.resize(static_cast<std::size_t>(n));
  for (auto& v : l.weights) v = w(rng);
  l.bias.clear();
  if (l.has_mac()) {
    l.bias.resize(static_cast<std::size_t>(l.out.c));
    for (auto& v : l.bias) v = b(rng);
  }
  l.rescale = l.kind == LayerKind::MaxPool ? Rescale::None : mode;
  int shift = 7 + static_cast<int>(std::log2(std::max(1, l.terms())) / 2);
  if (mode == Rescale::FixedPoint) {
    l.rescale_params.clear();
    for (int c = 0; c < l.out.c; ++c) l.rescale_params.push_back({1.f, 9000 + 371 * c, shift + 13 + c % 3, 0});
  } else if (mode == Rescale::DoubleShift) {
    l.rescale_params = {{1.f, 1, shift + 1, 1}};
  } else {
    l.rescale_params = {{1.f, 1, shift, 0}};
  }
}

Layer conv(const std::string& name, hw::Shape3 in, int cout, int k, int stride, int pad, int group = 1) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::Conv;
  l.in = in;
  l.kh = l.kw = k;
  l.sh = l.sw = stride;
  l.pad_t = l.pad_l = l.pad_b = l.pad_r = pad;
  l.group = group;
  l.out = {cout, (in.h + 2 * pad - k) / stride + 1, (in.w + 2 * pad - k) / stride + 1};
  return l;
}

Layer pool(const std::string& name, hw::Shape3 in, int k, int stride) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::MaxPool;
  l.in = in;
  l.kh = l.kw = k;
  l.sh = l.sw = stride;
  l.out = {in.c, (in.h - k) / stride + 1, (in.w - k) / stride + 1};
  return l;
}

Layer dense(const std::string& name, hw::Shape3 in, int n) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::Dense;
  l.in = in;
  l.out = {n, 1, 1};
  return l;
}

bool tools_or_skip(std::string& why) {
#ifndef N2D2_HAVE_SYSTEMC
  why = "SystemC is not built (the VHDL run is compared with the SystemC model)";
  return false;
#else
  if (!vhdl::ghdl_available()) {
    why = "ghdl not installed (scripts/setup.sh installs it)";
    return false;
  }
  return true;
#endif
}

#ifdef N2D2_HAVE_SYSTEMC
// Emits, runs GHDL and compares with the reference and the SystemC model.
void expect_vhdl_matches(const std::string& name, const Network& net, const hw::Mapping& map,
                         const std::vector<std::vector<int32_t>>& frames) {
  std::vector<std::vector<int32_t>> ref;
  for (const auto& f : frames) ref.push_back(hw::network_reference(net, f));
  fs::path dir = scratch(name);
  vhdl::Design d = vhdl::write_design(net, map, dir.string(), frames, ref);
  vhdl::GhdlRun g = vhdl::run_ghdl(d, net, map);
  hw::SimResult s = hw::simulate(net, map, frames);
  ASSERT_FALSE(s.deadlock);
  ASSERT_FALSE(g.timed_out) << g.log;
  ASSERT_EQ(g.outputs.size(), frames.size()) << g.log;
  EXPECT_EQ(g.mismatches, 0) << g.log;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(g.outputs[i], ref[i]) << "frame " << i;
    EXPECT_EQ(g.outputs[i], s.outputs[i]) << "frame " << i;
  }
  EXPECT_EQ(g.cycles_per_frame, s.cycles_per_frame) << "ghdl vs SystemC cycles per frame";
  // Blocks whose rescalers are shared (requant_lanes < po) push a beat ceil(po/lanes)+1 cycles after
  // its last MAC step, the SystemC model in that step: the RTL's frames come out a constant number
  // of cycles later. Without shared rescalers the cycles are equal beat for beat.
  bool shared = false;
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    shared |= net.layers[i].has_mac() && map.layers[i].cost.requant_lanes < hw::lanes_of(map.layers[i].out_seg);
  ASSERT_EQ(g.last_out.size(), s.last_out.size());
  const int64_t offset = g.last_out[0] - s.last_out[0];
  for (std::size_t i = 0; i < g.last_out.size(); ++i) EXPECT_EQ(g.last_out[i] - s.last_out[i], offset) << "frame " << i;
  if (!shared) {
    EXPECT_EQ(offset, 0);
  }
  EXPECT_GE(offset, 0);
  EXPECT_EQ(g.first_in, s.first_in);
  std::printf("%s: %zu frames bit-exact; cycles/frame ghdl %.1f systemc %.1f estimate %lld; latency ghdl %lld systemc %lld; "
              "ghdl analyse %.2f s, run %.2f s for %lld cycles\n",
              name.c_str(), frames.size(), g.cycles_per_frame, s.cycles_per_frame, static_cast<long long>(map.cycles_per_frame),
              static_cast<long long>(g.latency_cycles), static_cast<long long>(s.latency_cycles), g.analyse_s, g.run_s,
              static_cast<long long>(g.cycles));
  if (!::testing::Test::HasFailure() && !std::getenv("N2D2_KEEP")) fs::remove_all(dir);
}

std::vector<std::vector<int32_t>> random_frames(const Network& n, int count, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> px(0, 255);
  std::vector<std::vector<int32_t>> f(static_cast<std::size_t>(count), std::vector<int32_t>(static_cast<std::size_t>(n.input.size())));
  for (auto& v : f)
    for (auto& x : v) x = px(rng);
  return f;
}

Network chain(const std::string& name, hw::Shape3 input, std::vector<Layer> layers) {
  Network n;
  n.name = name;
  n.input = input;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    layers[i].inputs = {static_cast<int>(i) - 1};
    if (i > 0) {
      layers[i].in_bits = layers[i - 1].out_bits;
      layers[i].in_signed = layers[i - 1].out_signed;
    }
  }
  n.layers = std::move(layers);
  n.output = static_cast<int>(n.layers.size()) - 1;
  return n;
}
#endif

// conv 3x3 stride 1 pad 1 with input-channel and tap parallelism below the layer's (several MAC
// steps per output, shared Fixed-point rescalers), then conv 3x3 stride 2 from a 2-beat stream.
TEST(VhdlExport, ConvBlocksMatchReferenceAndSystemC) {
  std::string why;
  if (!tools_or_skip(why)) GTEST_SKIP() << why;
#ifdef N2D2_HAVE_SYSTEMC
  std::mt19937_64 rng(seed());
  Layer a = conv("c1", {3, 7, 9}, 5, 3, 1, 1), b = conv("c2", {5, 7, 9}, 4, 3, 2, 1);
  fill(a, rng, Rescale::FixedPoint);
  b.out_signed = true;
  fill(b, rng, Rescale::SingleShift);
  Network net = chain("convs", {3, 7, 9}, {a, b});
  const hw::Device& dev = hw::find_device("xc7z020");
  hw::Mapping m = hw::evaluate(net, dev, {Parallelism{3, 2, 4}, Parallelism{2, 1, 9}}, {200, {}, {}});
  ASSERT_LT(m.layers[0].cost.requant_lanes, 3);  // shared rescalers
  expect_vhdl_matches("convs", net, m, random_frames(net, 3, rng));
#endif
}

// Depthwise conv (group = channels) with Double-shift rescaling, then max pooling 2x2 stride 2
// with one tap per step, then a 3x3 stride 1 pool with all taps at once.
TEST(VhdlExport, DepthwiseAndPoolBlocksMatch) {
  std::string why;
  if (!tools_or_skip(why)) GTEST_SKIP() << why;
#ifdef N2D2_HAVE_SYSTEMC
  std::mt19937_64 rng(seed() + 1);
  Layer a = conv("dw", {4, 10, 8}, 4, 3, 1, 1, 4), p = pool("p1", {4, 10, 8}, 2, 2), q = pool("p2", {4, 5, 4}, 3, 1);
  fill(a, rng, Rescale::DoubleShift);
  fill(p, rng, Rescale::None);
  fill(q, rng, Rescale::None);
  Network net = chain("dwpool", {4, 10, 8}, {a, p, q});
  hw::Mapping m = hw::evaluate(net, hw::find_device("xc7z020"), {Parallelism{3, 1, 5}, Parallelism{1, 1, 1}, Parallelism{1, 1, 9}},
                               {200, {}, {}});
  expect_vhdl_matches("dwpool", net, m, random_frames(net, 3, rng));
#endif
}

// Dense from a multi-beat stream (odd beat split), PI > 1 with a partial last step, then a
// second dense with all outputs at once.
TEST(VhdlExport, DenseBlocksMatch) {
  std::string why;
  if (!tools_or_skip(why)) GTEST_SKIP() << why;
#ifdef N2D2_HAVE_SYSTEMC
  std::mt19937_64 rng(seed() + 2);
  Layer c = conv("c", {2, 5, 5}, 7, 3, 1, 0), f1 = dense("f1", {7, 3, 3}, 11), f2 = dense("f2", {11, 1, 1}, 3);
  fill(c, rng, Rescale::SingleShift);
  fill(f1, rng, Rescale::FixedPoint);
  f2.out_signed = true;
  fill(f2, rng, Rescale::SingleShift);
  Network net = chain("dense", {2, 5, 5}, {c, f1, f2});
  hw::Mapping m = hw::evaluate(net, hw::find_device("xc7z020"), {Parallelism{3, 2, 9}, Parallelism{4, 5, 1}, Parallelism{3, 11, 1}},
                               {200, {}, {}});
  expect_vhdl_matches("dense", net, m, random_frames(net, 4, rng));
#endif
}

// The LeNet-style Fashion-MNIST network of tests/golden/hw (the CLI run in docs/hw.md covers 10
// images): two test images through GHDL.
// Dense inputs whose beats are all full (C_IN a multiple of the lanes): the lane-banked input
// buffer, read PI elements per step across bank and word boundaries (6 = 2 x 3 lanes read 2 at a
// time, 5 lanes read 3 at a time, one lane read 2 at a time).
TEST(VhdlExport, DenseLaneBankedInputMatches) {
  std::string why;
  if (!tools_or_skip(why)) GTEST_SKIP() << why;
#ifdef N2D2_HAVE_SYSTEMC
  std::mt19937_64 rng(seed() + 3);
  Layer c = conv("c", {2, 4, 4}, 6, 3, 1, 0), f1 = dense("f1", {6, 2, 2}, 5), f2 = dense("f2", {5, 1, 1}, 4),
        f3 = dense("f3", {4, 1, 1}, 3);
  fill(c, rng, Rescale::SingleShift);
  fill(f1, rng, Rescale::SingleShift);
  fill(f2, rng, Rescale::SingleShift);
  fill(f3, rng, Rescale::SingleShift);
  Network net = chain("dbank", {2, 4, 4}, {c, f1, f2, f3});
  // f3: one-lane input (one bank), read two at a time
  hw::Mapping m = hw::evaluate(net, hw::find_device("xc7z020"),
                               {Parallelism{3, 1, 9}, Parallelism{5, 2, 1}, Parallelism{1, 3, 1}, Parallelism{2, 2, 1}}, {200, {}, {}});
  expect_vhdl_matches("dbank", net, m, random_frames(net, 3, rng));
#endif
}

TEST(VhdlExport, LenetFashionMnistBitExactAndCycleEqual) {
  std::string why;
  if (!tools_or_skip(why)) GTEST_SKIP() << why;
#ifdef N2D2_HAVE_SYSTEMC
  graph::Graph g = onnx::load_model(test::source_path("tests/golden/hw/lenet_q.onnx"));
  Network net = hw::network_from_graph(g);
  hw::Mapping m = hw::allocate(net, hw::find_device("xc7z020"), {200, {}, {}});
  hw::InputQuantization q = hw::input_quantization(g);
  std::vector<std::vector<int32_t>> frames;
  try {
    data::LabelledImages set = data::read_mnist(data::resolve_mnist_dir("fashion-mnist"), data::Split::Test, 2);
    Tensor x = data::images_to_float(set, 0, 2);
    for (int i = 0; i < 2; ++i) {
      std::vector<int32_t> f(static_cast<std::size_t>(net.input.size()));
      for (std::size_t k = 0; k < f.size(); ++k)
        f[k] = static_cast<int32_t>(quant::quantize(x.data<float>()[static_cast<std::size_t>(i) * f.size() + k], q.scale, q.nbbits, q.is_signed));
      frames.push_back(f);
    }
  } catch (const Error&) {
    std::mt19937_64 rng(seed());
    frames = random_frames(net, 2, rng);  // Fashion-MNIST not installed: random images
  }
  expect_vhdl_matches("lenet", net, m, frames);
#endif
}

TEST(SynthCheck, LenetEstimateAgainstRecordedYosys) {
  // yosys 0.23 synth_xilinx of this mapping's layer entities (docs/hw_synth_lenet.json, 2026-12-03;
  // the RTL unchanged since): DSP exact per layer, BRAM18 within 1, LUT total within 15 %.
#ifndef N2D2_HAVE_SYSTEMC
  GTEST_SKIP() << "built without SystemC (the ONNX frontend is linked with it here)";
#else
  graph::Graph g = onnx::load_model(test::source_path("tests/golden/hw/lenet_q.onnx"));
  Network net = hw::network_from_graph(g);
  hw::Mapping m = hw::allocate(net, hw::find_device("xc7z020"), {200, {}, {}});
  struct Row {
    int po, pk, dsp, bram18, lut;
  };
  const Row yosys[] = {{3, 25, 75, 0, 8233}, {1, 1, 0, 0, 351},   {4, 25, 101, 0, 12667}, {1, 1, 0, 0, 379},
                       {20, 1, 20, 14, 2862}, {7, 1, 7, 5, 1282}, {1, 1, 1, 0, 430}};
  ASSERT_EQ(m.layers.size(), std::size(yosys));
  int lut = 0, want = 0;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const hw::LayerMap& l = m.layers[i];
    SCOPED_TRACE(net.layers[i].name);
    ASSERT_EQ(l.par.po, yosys[i].po);  // the synthesized design
    ASSERT_EQ(l.par.pk, yosys[i].pk);
    EXPECT_EQ(l.cost.dsp, yosys[i].dsp);
    EXPECT_LE(std::abs(l.cost.bram - yosys[i].bram18), 1);
    lut += l.cost.lut;
    want += yosys[i].lut;
  }
  EXPECT_LE(std::abs(lut - want), 0.15 * want) << lut << " LUTs estimated, yosys " << want;
#endif
}

TEST(SynthCheck, ParsesYosysStat) {
  const std::string log = "=== top ===\n   Number of wires: 10\n   Number of cells:                 99\n     BUFG 1\n"
                          "     CARRY4 7\n     DSP48E1                        25\n     FDRE 300\n     FDSE 39\n     LUT2 10\n"
                          "     LUT6 5\n     MUXF7 3\n     RAM64M 2\n     RAMB18E1 3\n     RAMB36E1 2\n     SRLC32E 1\n\n"
                          "End of script.\n";
  hw::SynthCounts c = hw::parse_yosys_stat(log);
  EXPECT_EQ(c.dsp, 25);
  EXPECT_EQ(c.bram18(), 3 + 2 * 2);
  EXPECT_EQ(c.lut_logic, 15);
  EXPECT_EQ(c.lut, 15 + 2 * 4 + 1);
  EXPECT_EQ(c.ff, 339);
  EXPECT_EQ(hw::yosys_family("xc7z020"), "xc7");
  EXPECT_EQ(hw::yosys_family("xczu9eg"), "xcup");
  EXPECT_THROW(hw::yosys_family("arria10"), Error);
}

// One small conv layer through ghdl --synth + yosys synth_xilinx: its DSPs (MAC array + the
// shared Fixed-point rescaler) equal the estimator's.
TEST(SynthCheck, SmallConvLayerDspMatchesEstimate) {
  std::string why;
  if (!hw::synth_tools_available(&why)) GTEST_SKIP() << why;
  std::mt19937_64 rng(seed());
  Layer a = conv("c", {1, 6, 6}, 2, 3, 1, 0);
  fill(a, rng, Rescale::FixedPoint);
  a.inputs = {hw::kNetworkInput};
  Network net;
  net.name = "one";
  net.input = {1, 6, 6};
  net.layers = {a};
  net.output = 0;
  hw::Mapping m = hw::evaluate(net, hw::find_device("xc7z020"), {Parallelism{2, 1, 3}}, {200, {}, {}});
  fs::path dir = scratch("synth");
  vhdl::Design d = vhdl::write_design(net, m, dir.string(), {}, {});
  hw::SynthCounts c = hw::synthesize(d.dir, d.files, "n2d2", d.layer_entities[0], "xc7");
  std::printf("synth %s: yosys %d DSP %d BRAM18 %d LUT %d FF in %.1f s; estimate %d DSP %d BRAM18 %d LUT %d FF\n",
              d.layer_entities[0].c_str(), c.dsp, c.bram18(), c.lut, c.ff, c.seconds, m.layers[0].cost.dsp, m.layers[0].cost.bram,
              m.layers[0].cost.lut, m.layers[0].cost.ff);
  EXPECT_EQ(c.dsp, m.layers[0].cost.dsp);
  EXPECT_EQ(c.dsp, 2 * 3 + 1);
  EXPECT_GT(c.lut, 0);
  EXPECT_GT(c.ff, 0);
  fs::remove_all(dir);
}

// Graphs with branches: the layers read `inputs` (earlier layers or the network input).
Network branches(const std::string& name, hw::Shape3 input, std::vector<std::pair<Layer, std::vector<int>>> layers) {
  Network n;
  n.name = name;
  n.input = input;
  for (auto& [l, in] : layers) {
    l.inputs = in;
    n.layers.push_back(l);
  }
  n.output = static_cast<int>(n.layers.size()) - 1;
  return n;
}

Layer merge(const std::string& name, LayerKind kind, hw::Shape3 in, int out_c) {
  Layer l;
  l.name = name;
  l.kind = kind;
  l.in = in;
  l.out = {out_c, in.h, in.w};
  l.rescale = Rescale::None;
  return l;
}

// conv -> conv -> add(first conv, second conv): the first conv's stream forks into the second conv
// and the add's skip FIFO (depth sized by the mapping for the branch skew); 5 channels in beats of
// 3 + 2 on both add inputs; add 3 * a - 5 * b with per-channel Fixed-point rescaling to signed
// 8 bits. Every MAC block computes an output group in one step (unshared rescalers), so GHDL and
// SystemC agree cycle for cycle.
TEST(VhdlExport, ResidualAddMatchesReferenceAndSystemC) {
  std::string why;
  if (!tools_or_skip(why)) GTEST_SKIP() << why;
#ifdef N2D2_HAVE_SYSTEMC
  std::mt19937_64 rng(seed() + 4);
  Layer c1 = conv("c1", {4, 5, 6}, 5, 3, 1, 1), c2 = conv("c2", {5, 5, 6}, 5, 3, 1, 1);
  fill(c1, rng, Rescale::SingleShift);
  fill(c2, rng, Rescale::SingleShift);
  Layer add = merge("skip_add", LayerKind::Add, {5, 5, 6}, 5);
  add.a_mult = 3;
  add.b_mult = -5;
  add.rescale = Rescale::FixedPoint;
  for (int c = 0; c < 5; ++c) add.rescale_params.push_back({1.f, 9000 + 1234 * c, 16 + c % 2, 0});
  add.out_signed = true;
  Network net = branches("residual", {4, 5, 6}, {{c1, {hw::kNetworkInput}}, {c2, {0}}, {add, {0, 1}}});
  hw::Mapping m = hw::evaluate(net, hw::find_device("xc7z020"), {Parallelism{3, 4, 9}, Parallelism{3, 5, 9}, Parallelism{}},
                               {200, {}, {}});
  ASSERT_EQ(m.layers[2].in_segs[0], hw::split_channels(5, 3));
  ASSERT_EQ(m.layers[2].in_segs[1], hw::split_channels(5, 3));
  ASSERT_GT(m.layers[2].fifo_depth[0], m.layers[2].fifo_depth[1]);  // the skip path waits for c2
  // The add arithmetic by hand for one value: 3 * 200 - 5 * 17 = 515, Fixed-point (515 * 9000 + 2^15) >> 16 = 71.
  EXPECT_EQ(quant::requantize(3 * 200 - 5 * 17, quant::Rescaling::FixedPoint, add.rescale_params[0], 8, true), 71);
  expect_vhdl_matches("residual", net, m, random_frames(net, 3, rng));
#endif
}

// Concats: concat(conv 3x3, the network input, conv 1x1) -> 8 channels in 4 beats of 2 (the
// network input forks into both convs and the concat), max pooling 2x2 over it, then
// concat(pool, conv 1x1 of the pool) and concat(pool, another conv 1x1 of the pool): beats of 2,
// 2, 2, 2 and 3 lanes (an irregular segmentation; the pool's stream forks three ways), added
// (4 * a + 1 * b, per-channel Single-shift) as the network output.
TEST(VhdlExport, ConcatMatchesReferenceAndSystemC) {
  std::string why;
  if (!tools_or_skip(why)) GTEST_SKIP() << why;
#ifdef N2D2_HAVE_SYSTEMC
  std::mt19937_64 rng(seed() + 5);
  Layer a = conv("a", {2, 6, 6}, 4, 3, 1, 1), b = conv("b", {2, 6, 6}, 2, 1, 1, 0), p = pool("p", {8, 6, 6}, 2, 2),
        c = conv("c", {8, 3, 3}, 3, 1, 1, 0), e = conv("e", {8, 3, 3}, 3, 1, 1, 0);
  fill(a, rng, Rescale::SingleShift);
  fill(b, rng, Rescale::DoubleShift);
  fill(p, rng, Rescale::None);
  fill(c, rng, Rescale::SingleShift);
  fill(e, rng, Rescale::SingleShift);
  Layer cat1 = merge("cat1", LayerKind::Concat, {4, 6, 6}, 8), cat2 = merge("cat2", LayerKind::Concat, {8, 3, 3}, 11),
        cat3 = merge("cat3", LayerKind::Concat, {8, 3, 3}, 11), sum = merge("sum", LayerKind::Add, {11, 3, 3}, 11);
  sum.a_mult = 4;
  sum.b_mult = 1;
  sum.rescale = Rescale::SingleShift;
  for (int ch = 0; ch < 11; ++ch) sum.rescale_params.push_back({1.f, 1, 2 + ch % 3, 0});  // per channel: lanes must find theirs
  Network net = branches("concat", {2, 6, 6},
                         {{a, {hw::kNetworkInput}}, {b, {hw::kNetworkInput}}, {cat1, {0, hw::kNetworkInput, 1}}, {p, {2}}, {c, {3}},
                          {cat2, {3, 4}}, {e, {3}}, {cat3, {3, 6}}, {sum, {5, 7}}});
  hw::Mapping m = hw::evaluate(net, hw::find_device("xc7z020"),
                               {Parallelism{2, 2, 9}, Parallelism{2, 2, 1}, Parallelism{}, Parallelism{1, 1, 4}, Parallelism{3, 8, 1},
                                Parallelism{}, Parallelism{3, 8, 1}, Parallelism{}, Parallelism{}},
                               {200, {}, {}});
  ASSERT_EQ(m.layers[2].out_seg, hw::split_channels(8, 2));
  ASSERT_EQ(m.layers[8].in_segs[0].size(), 5u);
  EXPECT_EQ(m.layers[8].in_segs[0].back(), (hw::Segment{8, 3}));
  EXPECT_EQ(m.layers[8].out_seg, m.layers[8].in_segs[0]);
  expect_vhdl_matches("concat", net, m, random_frames(net, 3, rng));
#endif
}

// The add and concat entities through ghdl --synth + yosys: no DSP in the add's constant
// multipliers (shifts and adds), one per lane in its Fixed-point rescalers, as estimated; none in
// the concat; LUTs within 20 % of the estimate.
TEST(SynthCheck, AddAndConcatLayersMatchEstimate) {
  std::string why;
  if (!hw::synth_tools_available(&why)) GTEST_SKIP() << why;
  std::mt19937_64 rng(seed());
  Layer c1 = conv("c1", {3, 3, 3}, 3, 1, 1, 0);
  fill(c1, rng, Rescale::SingleShift);
  Layer add = merge("add", LayerKind::Add, {3, 3, 3}, 3), cat = merge("cat", LayerKind::Concat, {3, 3, 3}, 6);
  add.a_mult = 3;
  add.b_mult = -5;
  add.rescale = Rescale::FixedPoint;
  add.rescale_params = {{1.f, 9000, 16, 0}};
  Network net = branches("merge", {3, 3, 3}, {{c1, {hw::kNetworkInput}}, {add, {0, hw::kNetworkInput}}, {cat, {1, 0}}});
  hw::Mapping m = hw::evaluate(net, hw::find_device("xc7z020"), {Parallelism{3, 3, 1}, Parallelism{}, Parallelism{}}, {200, {}, {}});
  EXPECT_EQ(m.layers[1].cost.dsp, 3);  // the rescalers only
  EXPECT_EQ(m.layers[2].cost.dsp, 0);
  fs::path dir = scratch("synth_merge");
  vhdl::Design d = vhdl::write_design(net, m, dir.string(), {}, {});
  std::vector<hw::SynthCounts> c = hw::synthesize_all(d.dir, d.files, "n2d2", {d.layer_entities[1], d.layer_entities[2]}, "xc7", 2);
  for (int k = 0; k < 2; ++k) {
    const hw::BlockCost& e = m.layers[static_cast<std::size_t>(k + 1)].cost;
    std::printf("synth %s: yosys %d DSP %d BRAM18 %d LUT %d FF in %.1f s; estimate %d DSP %d BRAM18 %d LUT %d FF\n",
                d.layer_entities[static_cast<std::size_t>(k + 1)].c_str(), c[k].dsp, c[k].bram18(), c[k].lut, c[k].ff, c[k].seconds, e.dsp,
                e.bram, e.lut, e.ff);
    EXPECT_EQ(c[k].dsp, e.dsp);
    EXPECT_EQ(c[k].bram18(), 0);
    EXPECT_GT(c[k].lut, 0);
    EXPECT_NEAR(c[k].lut, e.lut, 0.2 * e.lut);
  }
  fs::remove_all(dir);
}

// What the VHDL blocks do not take is an error naming the layer: a conv reading a concat's
// irregular beats, an add of inputs in different lane formats.
TEST(VhdlExport, UnsupportedBranchesAreClearErrors) {
  std::mt19937_64 rng(1);
  Layer a = conv("a", {2, 4, 4}, 3, 3, 1, 1), c = conv("after_cat", {5, 4, 4}, 2, 1, 1, 0);
  fill(a, rng, Rescale::SingleShift);
  fill(c, rng, Rescale::SingleShift);
  Layer cat = merge("cat", LayerKind::Concat, {3, 4, 4}, 5);
  Network net = branches("irregular", {2, 4, 4}, {{a, {hw::kNetworkInput}}, {cat, {0, hw::kNetworkInput}}, {c, {1}}});
  hw::Mapping m = hw::evaluate(net, hw::find_device("xc7z020"), {Parallelism{2, 2, 9}, Parallelism{}, Parallelism{2, 5, 1}},
                               {200, {}, {}});
  ASSERT_NE(m.layers[2].in_segs[0], hw::split_channels(5, 2));  // beats of 2 + 1 (a) and 2 (the input) lanes
  try {
    vhdl::check_supported(net, m);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("after_cat"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a uniform channel split"), std::string::npos) << e.what();
  }
  // the concat itself and its irregular stream as the network output are fine
  Network head = net;
  head.layers.pop_back();
  head.output = 1;
  hw::Mapping hm = hw::evaluate(head, hw::find_device("xc7z020"), {Parallelism{2, 2, 9}, Parallelism{}}, {200, {}, {}});
  EXPECT_NO_THROW(vhdl::check_supported(head, hm));

  Layer s = merge("mixed_add", LayerKind::Add, {2, 4, 4}, 2);
  s.rescale = Rescale::SingleShift;
  s.rescale_params = {{1.f, 1, 1, 0}};
  Layer b = conv("b", {2, 4, 4}, 2, 1, 1, 0);
  fill(b, rng, Rescale::SingleShift);
  b.out_signed = true;  // the network input is unsigned
  Network mixed = branches("mixed", {2, 4, 4}, {{b, {hw::kNetworkInput}}, {s, {hw::kNetworkInput, 0}}});
  hw::Mapping mm = hw::evaluate(mixed, hw::find_device("xc7z020"), {Parallelism{2, 2, 1}, Parallelism{}}, {200, {}, {}});
  try {
    vhdl::check_supported(mixed, mm);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mixed_add"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("8-bit signed"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace n2d2
