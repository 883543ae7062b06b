#include "hw/zoo.h"

#include <bit>
#include <cmath>
#include <random>
#include <string>

namespace n2d2::hw::zoo {
namespace {
Shape3 shape_of(const Network& net, int input) {
  return input == kNetworkInput ? net.input : net.layers[static_cast<std::size_t>(input)].out;
}
}  // namespace

Layer conv(const Network& net, int input, int cout, int k, int stride, int pad, int group) {
  Layer l;
  l.kind = LayerKind::Conv;
  l.inputs = {input};
  l.in = shape_of(net, input);
  l.kh = l.kw = k;
  l.sh = l.sw = stride;
  l.pad_t = l.pad_l = l.pad_b = l.pad_r = pad;
  l.group = group;
  l.out = {cout, (l.in.h + 2 * pad - k) / stride + 1, (l.in.w + 2 * pad - k) / stride + 1};
  l.name = "conv" + std::to_string(net.layers.size());
  return l;
}

Layer dense(const Network& net, int input, int n) {
  Layer l;
  l.kind = LayerKind::Dense;
  l.inputs = {input};
  l.in = shape_of(net, input);
  l.out = {n, 1, 1};
  l.name = "fc" + std::to_string(net.layers.size());
  return l;
}

Layer maxpool(const Network& net, int input, int k, int stride) {
  Layer l;
  l.kind = LayerKind::MaxPool;
  l.inputs = {input};
  l.in = shape_of(net, input);
  l.kh = l.kw = k;
  l.sh = l.sw = stride;
  l.out = {l.in.c, (l.in.h - k) / stride + 1, (l.in.w - k) / stride + 1};
  l.rescale = Rescale::None;
  l.name = "pool" + std::to_string(net.layers.size());
  return l;
}

int add(Network& net, Layer l) {
  net.layers.push_back(std::move(l));
  net.output = static_cast<int>(net.layers.size()) - 1;
  return net.output;
}

void randomize(Network& net, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> w(-127, 127), b(-500, 500);
  for (Layer& l : net.layers) {
    if (!l.has_mac()) {
      if (l.kind == LayerKind::Add) l.rescale_params = {{1.f, 1, 1, 0}};
      continue;
    }
    int64_t n = l.kind == LayerKind::Conv ? int64_t{l.out.c} * l.cin_per_group() * l.taps() : int64_t{l.out.c} * l.in.size();
    l.weights.resize(static_cast<std::size_t>(n));
    for (auto& v : l.weights) v = w(rng);
    l.bias.resize(static_cast<std::size_t>(l.out.c));
    for (auto& v : l.bias) v = b(rng);
    // keep activations in range: about 127 * 73 * sqrt(terms) / 2^shift ~ 32
    int shift = 8 + static_cast<int>(std::bit_width(static_cast<unsigned>(l.terms()))) / 2;
    if (l.rescale == Rescale::FixedPoint) l.rescale_params = {{1.f, 16384, shift + 14, 0}};
    else if (l.rescale == Rescale::DoubleShift) l.rescale_params = {{1.f, 1, shift + 1, 1}};
    else l.rescale_params = {{1.f, 1, shift, 0}};
  }
}

Network lenet() {
  Network n;
  n.name = "lenet";
  n.input = {1, 28, 28};
  int x = add(n, conv(n, kNetworkInput, 6, 5, 1, 0));
  x = add(n, maxpool(n, x, 2, 2));
  x = add(n, conv(n, x, 16, 5, 1, 0));
  x = add(n, maxpool(n, x, 2, 2));
  x = add(n, dense(n, x, 120));
  x = add(n, dense(n, x, 84));
  Layer last = dense(n, x, 10);
  last.out_signed = true;
  add(n, std::move(last));
  return n;
}

Network mobilenet(int height, int width, double alpha) {
  Network n;
  n.name = "mobilenet";
  n.input = {3, height, width};
  auto ch = [&](int c) { return static_cast<int>(std::lround(c * alpha)); };
  int x = add(n, conv(n, kNetworkInput, ch(32), 3, 2, 1));
  struct Block {
    int cout, stride;
  };
  const Block blocks[] = {{64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}, {512, 1},
                          {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  for (const Block& b : blocks) {
    int c = n.layers[static_cast<std::size_t>(x)].out.c;
    x = add(n, conv(n, x, c, 3, b.stride, 1, c));
    x = add(n, conv(n, x, ch(b.cout), 1, 1, 0));
  }
  return n;
}

}  // namespace n2d2::hw::zoo
