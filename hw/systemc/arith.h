// The integer arithmetic of the blocks (graph/ops/quant_semantics.h applied per output value),
// shared by the SystemC modules and the frame-level layer reference.
#pragma once

#include <cstdint>

#include "graph/ops/quant_semantics.h"
#include "hw/layer.h"

namespace n2d2::hw::detail {

inline int32_t requant(const Layer& l, int c, int64_t acc) {
  if (l.rescale == Rescale::None) return static_cast<int32_t>(acc);
  const quant::RescaleParams& p = l.rescale_params.size() == 1 ? l.rescale_params[0] : l.rescale_params.at(static_cast<std::size_t>(c));
  quant::Rescaling m = l.rescale == Rescale::FixedPoint    ? quant::Rescaling::FixedPoint
                       : l.rescale == Rescale::DoubleShift ? quant::Rescaling::DoubleShift
                                                           : quant::Rescaling::SingleShift;
  return static_cast<int32_t>(quant::requantize(quant::saturate_i32(acc), m, p, l.out_bits, l.out_signed));
}

// One conv output value; `px(iy, ix, ci)` returns the input at a pixel inside the image.
template <class Px>
int32_t conv_value(const Layer& l, int oc, int ho, int wo, Px&& px) {
  const int cout_g = l.out.c / l.group, cin_g = l.cin_per_group(), g = oc / cout_g;
  int64_t acc = l.bias.empty() ? 0 : l.bias[static_cast<std::size_t>(oc)];
  const int32_t* w = l.weights.data() + static_cast<std::size_t>(oc) * cin_g * l.kh * l.kw;
  for (int ky = 0; ky < l.kh; ++ky) {
    int iy = ho * l.sh - l.pad_t + ky;
    if (iy < 0 || iy >= l.in.h) continue;
    for (int kx = 0; kx < l.kw; ++kx) {
      int ix = wo * l.sw - l.pad_l + kx;
      if (ix < 0 || ix >= l.in.w) continue;
      for (int ic = 0; ic < cin_g; ++ic)
        acc += int64_t{px(iy, ix, g * cin_g + ic)} * w[(ic * l.kh + ky) * l.kw + kx];
    }
  }
  return requant(l, oc, acc);
}

template <class Px>
int32_t pool_value(const Layer& l, int c, int ho, int wo, Px&& px) {
  int32_t m = INT32_MIN;
  for (int ky = 0; ky < l.kh; ++ky)
    for (int kx = 0; kx < l.kw; ++kx) {
      int32_t v = px(ho * l.sh - l.pad_t + ky, wo * l.sw - l.pad_l + kx, c);
      m = v > m ? v : m;
    }
  return m;
}

// x in C,H,W order
inline int32_t dense_value(const Layer& l, int n, const int32_t* x) {
  const int64_t k = l.in.size();
  int64_t acc = l.bias.empty() ? 0 : l.bias[static_cast<std::size_t>(n)];
  const int32_t* w = l.weights.data() + static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  for (int64_t i = 0; i < k; ++i) acc += int64_t{x[i]} * w[i];
  return requant(l, n, acc);
}

inline int32_t add_value(const Layer& l, int c, int32_t a, int32_t b) {
  return requant(l, c, l.a_mult * int64_t{a} + l.b_mult * int64_t{b});
}

}  // namespace n2d2::hw::detail
