#include "kernels/spatial/resize_taps.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace n2d2::kernels::detail {

namespace {

using graph::CoordinateTransform;
using graph::NearestRounding;
using graph::ResizeMode;

// The input coordinate of output coordinate x. As in the ONNX reference, the resized length is
// in_len * scale, not rounded.
double input_coordinate(CoordinateTransform t, double x, double scale, int64_t in_len, double roi_start, double roi_end) {
  const double out_len = static_cast<double>(in_len) * scale;
  const auto in_last = static_cast<double>(in_len - 1);
  switch (t) {
    case CoordinateTransform::HalfPixel: return (x + 0.5) / scale - 0.5;
    case CoordinateTransform::PytorchHalfPixel: return out_len > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    case CoordinateTransform::AlignCorners: return out_len == 1 ? 0.0 : x * in_last / (out_len - 1);
    case CoordinateTransform::TfHalfPixelForNn: return (x + 0.5) / scale;
    case CoordinateTransform::TfCropAndResize:
      return out_len > 1 ? roi_start * in_last + x * (roi_end - roi_start) * in_last / (out_len - 1)
                         : 0.5 * (roi_start + roi_end) * in_last;
    case CoordinateTransform::Asymmetric: break;
  }
  return x / scale;
}

double nearest_coordinate(NearestRounding r, double x, double scale) {
  switch (r) {
    case NearestRounding::Floor: return std::floor(x);
    case NearestRounding::Ceil: return std::ceil(x);
    case NearestRounding::Legacy: return scale < 1 ? std::ceil(x) : std::floor(x);
    case NearestRounding::RoundPreferCeil: return std::floor(x + 0.5);
    case NearestRounding::RoundPreferFloor: break;
  }
  return std::ceil(x - 0.5);
}

// The cubic convolution kernel at distance d >= 0 (Keys, with coefficient a).
double cubic_weight(double d, double a) {
  if (d <= 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
  if (d < 2) return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  return 0;
}

}  // namespace

AxisTaps axis_taps(const graph::ResizeSettings& s, int64_t in_len, int64_t out_len, double scale, double roi_start,
                   double roi_end) {
  AxisTaps t;
  t.first.reserve(static_cast<std::size_t>(out_len) + 1);
  t.first.push_back(0);
  t.outside.assign(static_cast<std::size_t>(out_len), false);
  auto add = [&](double i, double w) {
    if (w == 0) return;
    t.index.push_back(std::clamp(static_cast<int64_t>(i), int64_t{0}, in_len - 1));
    t.weight.push_back(w);
  };
  const auto in_last = static_cast<double>(in_len - 1);
  for (int64_t x = 0; x < out_len; ++x) {
    const double xo = input_coordinate(s.transform, static_cast<double>(x), scale, in_len, roi_start, roi_end);
    if (s.transform == CoordinateTransform::TfCropAndResize && (xo < 0 || xo > in_last)) {
      t.outside[static_cast<std::size_t>(x)] = true;
    } else if (s.mode == ResizeMode::Nearest) {
      add(nearest_coordinate(s.rounding, xo, scale), 1.0);
    } else if (s.mode == ResizeMode::Linear) {
      const double xc = std::clamp(xo, 0.0, in_last), i0 = std::floor(xc);
      add(i0, 1 - (xc - i0));
      add(i0 + 1, xc - i0);
    } else {
      // Taps floor(xo) - 1 .. floor(xo) + 2; with exclude_outside, those outside the input get
      // weight 0 and the others are renormalized.
      const double f = std::floor(xo);
      std::array<double, 4> w{};
      double sum = 0;
      for (int k = 0; k < 4; ++k) {
        const double i = f + k - 1;
        const bool out_of_input = i < 0 || i > in_last;
        w[k] = s.exclude_outside && out_of_input ? 0.0 : cubic_weight(std::abs(xo - i), s.cubic_coeff_a);
        sum += w[k];
      }
      for (int k = 0; k < 4; ++k) add(f + k - 1, s.exclude_outside && sum != 0 ? w[k] / sum : w[k]);
    }
    t.first.push_back(static_cast<int64_t>(t.index.size()));
  }
  return t;
}

}  // namespace n2d2::kernels::detail
