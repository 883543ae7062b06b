// What a convolution adds after the sum of products, per output element: the bias, then an
// optional residual (an input of the output's shape), then an activation. Shared by the packed
// kernels and the reference of the fused op (graph pass fuse_conv_epilogue).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace n2d2::kernels::detail {

enum class Activation { None, Relu, Clip, LeakyRelu, Sigmoid, HardSwish };

// "Relu" -> Activation::Relu; false for a name that is not one of the fusable activations.
bool activation_from_name(const std::string& name, Activation& out);

struct ConvEpilogue {
  const float* bias = nullptr;      // [M], or nullptr
  const float* residual = nullptr;  // same layout as the output, or nullptr
  Activation act = Activation::None;
  float alpha = 0.f, beta = 0.f;  // Clip: min, max; LeakyRelu: alpha; HardSwish/Sigmoid: unused
};

inline float activate(Activation a, float v, float alpha, float beta) {
  switch (a) {
    case Activation::None: return v;
    case Activation::Relu: return v > 0.f ? v : 0.f;
    case Activation::Clip: return std::min(std::max(v, alpha), beta);
    case Activation::LeakyRelu: return v >= 0.f ? v : alpha * v;
    case Activation::Sigmoid: return 1.f / (1.f + std::exp(-v));
    case Activation::HardSwish: return v * std::min(std::max(v / 6.f + 0.5f, 0.f), 1.f);
  }
  return v;
}

// y[i] = act(y[i] + bias + residual[i]) for i < n (residual may be nullptr).
inline void apply_epilogue(float* y, const float* residual, int64_t n, float bias, const ConvEpilogue& e) {
  if (!residual && e.act == Activation::None) {
    if (bias != 0.f)
      for (int64_t i = 0; i < n; ++i) y[i] += bias;
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    float v = y[i] + bias;
    if (residual) v += residual[i];
    y[i] = activate(e.act, v, e.alpha, e.beta);
  }
}

}  // namespace n2d2::kernels::detail
