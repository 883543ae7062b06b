// A testbench per block kind: a one- or two-block network with seeded random integer weights is
// simulated cycle by cycle in SystemC and its outputs compared with the frame-level integer
// reference; the measured cycles per frame are compared with the estimator.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>

#include "hw/allocator.h"
#include "hw/systemc/simulate.h"
#include "hw/zoo.h"

namespace n2d2::hw {
namespace {

uint64_t seed() {
  const char* s = std::getenv("N2D2_SEED");
  uint64_t v = s ? std::strtoull(s, nullptr, 10) : 12345;
  std::printf("N2D2_SEED=%llu\n", static_cast<unsigned long long>(v));
  return v;
}

void fill(Layer& l, std::mt19937_64& rng, Rescale mode = Rescale::SingleShift) {
  std::uniform_int_distribution<int> w(-127, 127), b(-500, 500);
  int64_t n = l.kind == LayerKind::Conv ? int64_t{l.out.c} * l.cin_per_group() * l.taps()
                                        : l.kind == LayerKind::Dense ? int64_t{l.out.c} * l.in.size() : 0;
  l.weights.resize(static_cast<std::size_t>(n));
  for (auto& v : l.weights) v = w(rng);
  if (l.has_mac()) {
    l.bias.resize(static_cast<std::size_t>(l.out.c));
    for (auto& v : l.bias) v = b(rng);
  }
  l.rescale = l.kind == LayerKind::MaxPool || l.kind == LayerKind::Concat ? Rescale::None : mode;
  int shift = l.kind == LayerKind::Add ? 2 : 8 + static_cast<int>(std::log2(std::max(1, l.terms())) / 2);
  if (mode == Rescale::FixedPoint) {
    l.rescale_params.clear();
    for (int c = 0; c < l.out.c; ++c) l.rescale_params.push_back({1.f, 9000 + 37 * c, shift + 13, 0});
  } else if (mode == Rescale::DoubleShift) {
    l.rescale_params = {{1.f, 1, shift + 1, 1}};
  } else {
    l.rescale_params = {{1.f, 1, shift, 0}};
  }
}

std::vector<std::vector<int32_t>> frames(const Network& n, int count, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> px(0, 255);
  std::vector<std::vector<int32_t>> f(static_cast<std::size_t>(count), std::vector<int32_t>(static_cast<std::size_t>(n.input.size())));
  for (auto& v : f)
    for (auto& x : v) x = px(rng);
  return f;
}

void check(const Network& n, const std::string& device, int count = 6, Budget budget = {}) {
  std::mt19937_64 rng(seed());
  Mapping m = allocate(n, find_device(device), {200, budget, {}});
  auto f = frames(n, count, rng);
  SimResult r = simulate(n, m, f);
  ASSERT_FALSE(r.deadlock) << "deadlock after " << r.total_cycles << " cycles";
  ASSERT_EQ(r.outputs.size(), f.size());
  for (std::size_t i = 0; i < f.size(); ++i) ASSERT_EQ(r.outputs[i], network_reference(n, f[i])) << "frame " << i;
  double err = std::abs(r.cycles_per_frame - static_cast<double>(m.cycles_per_frame)) / static_cast<double>(m.cycles_per_frame);
  EXPECT_LE(err, 0.02) << "measured " << r.cycles_per_frame << " cycles/frame, estimated " << m.cycles_per_frame;
  for (const FifoStats& s : r.fifos) EXPECT_LE(s.max_occupancy, s.depth) << s.name;
}

Network single(Shape3 in, Layer (*make)(const Network&)) {
  Network n;
  n.name = "tb";
  n.input = in;
  zoo::add(n, make(n));
  return n;
}

TEST(HwSystemC, ConvBlock) {
  std::mt19937_64 rng(1);
  Network n = single({3, 11, 13}, [](const Network& net) { return zoo::conv(net, kNetworkInput, 5, 3, 2, 1); });
  fill(n.layers[0], rng);
  check(n, "xc7z020");
  // a DSP budget forces input-channel and tap parallelism below the full window
  check(n, "xc7z020", 4, {7, 0, 0});
}

TEST(HwSystemC, ConvBlockFixedPointAndDoubleShift) {
  std::mt19937_64 rng(2);
  Network n = single({4, 9, 7}, [](const Network& net) { return zoo::conv(net, kNetworkInput, 6, 3, 1, 1); });
  fill(n.layers[0], rng, Rescale::FixedPoint);
  check(n, "xczu9eg");
  fill(n.layers[0], rng, Rescale::DoubleShift);
  check(n, "xczu9eg");
}

TEST(HwSystemC, DepthwiseConvBlock) {
  std::mt19937_64 rng(3);
  Network n = single({6, 10, 9}, [](const Network& net) { return zoo::conv(net, kNetworkInput, 6, 3, 1, 1, 6); });
  fill(n.layers[0], rng);
  check(n, "xc7z020");
}

TEST(HwSystemC, PoolBlock) {
  std::mt19937_64 rng(4);
  Network n;
  n.input = {3, 12, 10};
  int c = zoo::add(n, zoo::conv(n, kNetworkInput, 4, 1, 1, 0));
  fill(n.layers[0], rng);
  Layer p = zoo::maxpool(n, c, 3, 2);
  fill(p, rng);
  zoo::add(n, p);
  check(n, "xc7z020");
}

TEST(HwSystemC, DenseBlock) {
  std::mt19937_64 rng(5);
  Network n;
  n.input = {2, 5, 4};
  int c = zoo::add(n, zoo::conv(n, kNetworkInput, 3, 3, 1, 1));
  fill(n.layers[0], rng);
  Layer d = zoo::dense(n, c, 7);
  fill(d, rng);
  zoo::add(n, d);
  check(n, "xc7z020");
}

TEST(HwSystemC, AddAndConcatBlocks) {
  std::mt19937_64 rng(6);
  Network n;
  n.input = {4, 9, 8};
  int a = zoo::add(n, zoo::conv(n, kNetworkInput, 4, 3, 1, 1));
  int b = zoo::add(n, zoo::conv(n, a, 4, 3, 1, 1));
  fill(n.layers[0], rng);
  fill(n.layers[1], rng);
  Layer s;
  s.kind = LayerKind::Add;
  s.name = "add";
  s.inputs = {a, b};
  s.in = s.out = n.layers[0].out;
  s.a_mult = 3;
  s.b_mult = 2;
  fill(s, rng);
  int sum = zoo::add(n, s);
  Layer cat;
  cat.kind = LayerKind::Concat;
  cat.name = "cat";
  cat.inputs = {sum, a};
  cat.in = n.layers[0].out;
  cat.out = {8, 9, 8};
  fill(cat, rng);
  zoo::add(n, cat);
  for (int out : {1, 2}) {
    Network part = n;
    part.layers.resize(static_cast<std::size_t>(out) + 1);
    part.output = out;
    SCOPED_TRACE("output layer " + std::to_string(out));
    check(part, "xczu9eg");
  }
  check(n, "xczu9eg");
}

}  // namespace
}  // namespace n2d2::hw
