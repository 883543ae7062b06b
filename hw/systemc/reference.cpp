// Frame-level reference of each block (C,H,W order), using the blocks' arithmetic.
#include "graph/error.h"
#include "hw/systemc/arith.h"
#include "hw/systemc/simulate.h"

namespace n2d2::hw {

std::vector<int32_t> layer_reference(const Layer& l, const std::vector<const std::vector<int32_t>*>& in) {
  std::vector<int32_t> y(static_cast<std::size_t>(l.out.size()));
  const auto& x = *in.at(0);
  auto at = [&](int iy, int ix, int c) { return x[(static_cast<std::size_t>(c) * l.in.h + iy) * l.in.w + ix]; };
  auto out = [&](int c, int h, int w) -> int32_t& { return y[(static_cast<std::size_t>(c) * l.out.h + h) * l.out.w + w]; };
  switch (l.kind) {
    case LayerKind::Conv:
      for (int c = 0; c < l.out.c; ++c)
        for (int h = 0; h < l.out.h; ++h)
          for (int w = 0; w < l.out.w; ++w) out(c, h, w) = detail::conv_value(l, c, h, w, at);
      break;
    case LayerKind::MaxPool:
      for (int c = 0; c < l.out.c; ++c)
        for (int h = 0; h < l.out.h; ++h)
          for (int w = 0; w < l.out.w; ++w) out(c, h, w) = detail::pool_value(l, c, h, w, at);
      break;
    case LayerKind::Dense:
      for (int n = 0; n < l.out.c; ++n) y[static_cast<std::size_t>(n)] = detail::dense_value(l, n, x.data());
      break;
    case LayerKind::Add: {
      const auto& b = *in.at(1);
      const int64_t hw = int64_t{l.out.h} * l.out.w;
      for (std::size_t i = 0; i < y.size(); ++i) y[i] = detail::add_value(l, static_cast<int>(static_cast<int64_t>(i) / hw), x[i], b[i]);
      break;
    }
    case LayerKind::Concat: {
      std::size_t o = 0;
      for (const auto* v : in)
        for (int32_t e : *v) y.at(o++) = e;
      if (o != y.size()) fail("concat '", l.name, "': inputs give ", o, " values for ", y.size());
      break;
    }
  }
  return y;
}

std::vector<int32_t> network_reference(const Network& n, const std::vector<int32_t>& x) {
  std::vector<std::vector<int32_t>> out(n.layers.size());
  for (std::size_t i = 0; i < n.layers.size(); ++i) {
    std::vector<const std::vector<int32_t>*> in;
    for (int p : n.layers[i].inputs) in.push_back(p == kNetworkInput ? &x : &out[static_cast<std::size_t>(p)]);
    out[i] = layer_reference(n.layers[i], in);
  }
  return out[static_cast<std::size_t>(n.output)];
}

}  // namespace n2d2::hw
