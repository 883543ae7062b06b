// Activations and Clip, with attribute defaults from the ONNX spec and hand-computed values.
#include <cmath>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {
Tensor f(std::vector<float> v) { return Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, v); }
Tensor act(const std::string& op, const Tensor& x, graph::Attributes a = {}, int64_t opset = 17) {
  return run_op(op, {x}, std::move(a), 1, opset)[0];
}
const Tensor kX = f({-2, -0.5f, 0, 3});
}  // namespace

TEST(Activation, ReluFamily) {
  test::expect_near(act("Relu", kX), f({0, 0, 0, 3}));
  test::expect_near(act("LeakyRelu", kX), f({-0.02f, -0.005f, 0, 3}));  // default alpha 0.01
  test::expect_near(act("LeakyRelu", kX, attrs({{"alpha", 0.1f}})), f({-0.2f, -0.05f, 0, 3}));
  test::expect_near(act("ThresholdedRelu", f({0.5f, 1, 1.5f})), f({0, 0, 1.5f}));  // default alpha 1: x > 1
  test::expect_near(act("ThresholdedRelu", kX, attrs({{"alpha", -1.f}})), f({0, -0.5f, 0, 3}));
  // Elu default alpha 1: -2 -> e^-2 - 1; Celu(x; 2): -2 -> 2(e^-1 - 1)
  test::expect_near(act("Elu", kX), f({std::exp(-2.f) - 1, std::exp(-0.5f) - 1, 0, 3}));
  test::expect_near(act("Celu", kX, attrs({{"alpha", 2.f}})),
                    f({2 * (std::exp(-1.f) - 1), 2 * (std::exp(-0.25f) - 1), 0, 3}));
  // Selu defaults: gamma*x for x > 0, gamma*alpha*(e^x - 1) below
  constexpr float kA = 1.67326319f, kG = 1.05070102f;
  test::expect_near(act("Selu", kX), f({kG * kA * (std::exp(-2.f) - 1), kG * kA * (std::exp(-0.5f) - 1), 0, kG * 3}));
}

TEST(Activation, SmoothAndHard) {
  // sigmoid(0) = 0.5, sigmoid(-x) = 1 - sigmoid(x); large |x| saturates without overflow
  test::expect_near(act("Sigmoid", f({0, 3, -3, -100, 100})),
                    f({0.5f, 1 / (1 + std::exp(-3.f)), 1 - 1 / (1 + std::exp(-3.f)), 0, 1}), 1e-7);
  test::expect_near(act("Tanh", f({0, 1})), f({0, 0.76159416f}));
  // softplus(0) = ln 2, softplus(100) = 100, softsign(3) = 3/4
  test::expect_near(act("Softplus", f({0, 100, -100})), f({0.69314718f, 100, 0}), 1e-7);
  test::expect_near(act("Softsign", kX), f({-2.f / 3, -0.5f / 1.5f, 0, 0.75f}));
  // HardSigmoid default: max(0, min(1, 0.2x + 0.5)): -2 -> 0.1, -0.5 -> 0.4, 3 -> 1
  test::expect_near(act("HardSigmoid", kX), f({0.1f, 0.4f, 0.5f, 1}));
  test::expect_near(act("HardSigmoid", kX, attrs({{"alpha", 0.5f}, {"beta", 0.f}})), f({0, 0, 0, 1}));
  // HardSwish: x * max(0, min(1, x/6 + 1/2)): -2 -> -2/6, -0.5 -> -0.5 * 5/12, 3 -> 3
  test::expect_near(act("HardSwish", kX), f({-1.f / 3, -0.5f * 5 / 12, 0, 3}));
}

TEST(Activation, Shrink) {
  // defaults lambd 0.5, bias 0: |x| <= 0.5 -> 0; lambd 1.5, bias 1.5: -2 -> -0.5, 3 -> 1.5
  test::expect_near(act("Shrink", kX), f({-2, 0, 0, 3}));
  test::expect_near(act("Shrink", kX, attrs({{"lambd", 1.5f}, {"bias", 1.5f}})), f({-0.5f, 0, 0, 1.5f}));
}

TEST(Activation, ClipAllVersions) {
  Tensor x = f({-2, -0.5f, 0.5f, 3});
  // Clip-6: attributes, defaults are the float range
  test::expect_near(act("Clip", x, attrs({{"min", 0.f}, {"max", 1.f}}), 6), f({0, 0, 0.5f, 1}));
  test::expect_near(act("Clip", x, {}, 6), x);
  // Clip-11+: optional min/max inputs (min only, max only through an absent min)
  test::expect_near(run_op("Clip", {x, Tensor::scalar<float>(-1)}, {}, 1, 13)[0], f({-1, -0.5f, 0.5f, 3}));
  test::expect_near(run_op("Clip", {x, Tensor(), Tensor::scalar<float>(0)}, {}, 1, 13)[0], f({-2, -0.5f, 0, 0}));
  test::expect_near(run_op("Clip", {x}, {}, 1, 13)[0], x);
  // min > max gives max everywhere (as numpy.clip); NaN stays NaN
  test::expect_near(run_op("Clip", {f({-5, 5, NAN}), Tensor::scalar<float>(2), Tensor::scalar<float>(1)}, {}, 1, 13)[0],
                    f({1, 1, NAN}));
  // Clip-12+: integer types
  Tensor i = Tensor::from_vector<int32_t>({3}, {-7, 4, 9});
  Tensor clipped = run_op("Clip", {i, Tensor::scalar<int32_t>(0), Tensor::scalar<int32_t>(5)}, {}, 1, 13)[0];
  EXPECT_EQ(clipped.to_vector<int32_t>(), (std::vector<int32_t>{0, 4, 5}));
  EXPECT_THROW(run_op("Clip", {x, Tensor::scalar<double>(0)}, {}, 1, 13), Error);  // bound type differs
  EXPECT_THROW(run_op("Clip", {x, f({0, 1})}, {}, 1, 13), Error);                  // bound is not a scalar
}

TEST(Activation, FloatOnlyOpsDeclineIntegers) {
  EXPECT_THROW(act("Sigmoid", Tensor::from_vector<int32_t>({1}, {1})), UnsupportedError);
}
