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

// The activation code of the AVX2 micro-kernels' register epilogue (micro.h MicroEpilogue), -1
// for those they leave to apply_epilogue.
inline int micro_act(Activation a) {
  switch (a) {
    case Activation::None: return 0;
    case Activation::Relu: return 1;
    case Activation::Clip: return 2;
    case Activation::LeakyRelu: return 3;
    default: return -1;
  }
}

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

template <Activation A>
void apply_epilogue_as(float* y, const float* residual, int64_t n, float bias, float alpha, float beta) {
  if (residual) {
    for (int64_t i = 0; i < n; ++i) y[i] = activate(A, y[i] + bias + residual[i], alpha, beta);
  } else {
    for (int64_t i = 0; i < n; ++i) y[i] = activate(A, y[i] + bias, alpha, beta);
  }
}

// y[i] = act(y[i] + bias + residual[i]) for i < n (residual may be nullptr). One loop per
// activation, so that the compiler can vectorize each.
inline void apply_epilogue(float* y, const float* residual, int64_t n, float bias, const ConvEpilogue& e) {
  switch (e.act) {
    case Activation::None: return apply_epilogue_as<Activation::None>(y, residual, n, bias, e.alpha, e.beta);
    case Activation::Relu: return apply_epilogue_as<Activation::Relu>(y, residual, n, bias, e.alpha, e.beta);
    case Activation::Clip: return apply_epilogue_as<Activation::Clip>(y, residual, n, bias, e.alpha, e.beta);
    case Activation::LeakyRelu: return apply_epilogue_as<Activation::LeakyRelu>(y, residual, n, bias, e.alpha, e.beta);
    case Activation::Sigmoid: return apply_epilogue_as<Activation::Sigmoid>(y, residual, n, bias, e.alpha, e.beta);
    case Activation::HardSwish: return apply_epilogue_as<Activation::HardSwish>(y, residual, n, bias, e.alpha, e.beta);
  }
}

}  // namespace n2d2::kernels::detail
