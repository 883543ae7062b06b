// Scaling-factor approximations per rescaling mode, with N2D2's fallbacks.
#include <cmath>
#include "graph/error.h"
#include "quant/rescaling.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::quant;

TEST(Rescaling, SingleShiftPicksTheNearestPowerOfTwo) {
  ScaleApprox a = approximate_scale(0.3, RescalingMode::SingleShift);  // 0.25 (err 0.05) vs 0.5 (0.2)
  EXPECT_EQ(a.op_mode, Rescaling::SingleShift);
  EXPECT_EQ(a.params.shift, 2);
  EXPECT_DOUBLE_EQ(a.value, 0.25);
  EXPECT_NEAR(a.rel_error, 0.05 / 0.3, 1e-12);
  EXPECT_EQ(approximate_scale(0.45, RescalingMode::SingleShift).params.shift, 1);
}

TEST(Rescaling, DoubleShift) {
  ScaleApprox a = approximate_scale(0.3, RescalingMode::DoubleShift);
  // The largest (2^left + 1) / 2^shift <= 0.3 (shift <= 62): 0.3 = 0.0100110011..b, so
  // 2^-2 + 2^-5 = 0.28125 (left 3, shift 5) and no (2^l + 1) / 2^s lies in (0.28125, 0.3].
  EXPECT_EQ(a.op_mode, Rescaling::DoubleShift);
  EXPECT_DOUBLE_EQ(a.value, 0.28125);
  EXPECT_LE(a.value, 0.3);
  EXPECT_LT(a.rel_error, 0.07);
  EXPECT_DOUBLE_EQ(a.value, (std::ldexp(1.0, a.params.left) + 1) / std::ldexp(1.0, a.params.shift));
  // A factor a float rounding below a representable one (the per-channel exact factors) keeps it.
  EXPECT_DOUBLE_EQ(approximate_scale(0.375 * (1 - 1e-7), RescalingMode::DoubleShift).value, 0.375);
  ScaleApprox b = approximate_scale(0.375, RescalingMode::DoubleShift);  // 1/4 + 1/8 exactly: (2 + 1) / 8
  EXPECT_EQ(b.params.left, 1);
  EXPECT_EQ(b.params.shift, 3);
  EXPECT_EQ(b.rel_error, 0.0);
}

TEST(Rescaling, FixedPointUsesTheMultiplierWidth) {
  ScaleApprox a = approximate_scale(0.3, RescalingMode::FixedPoint16);
  EXPECT_EQ(a.op_mode, Rescaling::FixedPoint);
  EXPECT_LT(a.params.multiplier, 1 << 15);
  EXPECT_GE(a.params.multiplier, 1 << 14);  // the largest shift that fits: most significant bit used
  EXPECT_LT(a.rel_error, 1.0 / (1 << 14));
  ScaleApprox b = approximate_scale(0.3, RescalingMode::FixedPoint32);
  EXPECT_LT(b.params.multiplier, int64_t{1} << 31);
  EXPECT_GE(b.params.multiplier, int64_t{1} << 30);
  EXPECT_LT(b.rel_error, 1e-9);
  ScaleApprox c = approximate_scale(3.0, RescalingMode::FixedPoint16);
  EXPECT_EQ(c.params.multiplier, 3 << 13);
  EXPECT_EQ(c.params.shift, 13);
}

TEST(Rescaling, ShiftModesFallBackAboveOne) {
  for (RescalingMode m : {RescalingMode::SingleShift, RescalingMode::DoubleShift}) {
    ScaleApprox a = approximate_scale(8.78614, m);
    EXPECT_TRUE(a.fallback);
    EXPECT_EQ(a.mode, RescalingMode::FixedPoint16);
    EXPECT_EQ(a.op_mode, Rescaling::FixedPoint);
    EXPECT_LT(a.rel_error, 1e-3);
  }
  EXPECT_FALSE(approximate_scale(0.99, RescalingMode::SingleShift).fallback);
}

TEST(Rescaling, FloatingPointAndErrors) {
  ScaleApprox a = approximate_scale(0.1, RescalingMode::FloatingPoint);
  EXPECT_EQ(a.params.scale, 0.1f);
  EXPECT_LT(a.rel_error, 1e-7);
  EXPECT_THROW(approximate_scale(0.0, RescalingMode::SingleShift), Error);
  EXPECT_THROW(approximate_scale(-1.0, RescalingMode::FixedPoint16), Error);
  EXPECT_THROW(parse_rescaling_mode("Triple-shift"), Error);
  EXPECT_EQ(parse_rescaling_mode("Double-shift"), RescalingMode::DoubleShift);
}

TEST(Rescaling, ShiftCeiling) {
  EXPECT_DOUBLE_EQ(shift_ceiling(0.3, RescalingMode::SingleShift), 0.5);
  EXPECT_DOUBLE_EQ(shift_ceiling(0.25, RescalingMode::SingleShift), 0.25);
  EXPECT_DOUBLE_EQ(shift_ceiling(0.3, RescalingMode::DoubleShift), 5.0 / 16);  // (4 + 1) / 16 = 0.3125
  EXPECT_DOUBLE_EQ(shift_ceiling(0.375, RescalingMode::DoubleShift), 0.375);
  EXPECT_DOUBLE_EQ(shift_ceiling(0.3, RescalingMode::FixedPoint16), 0.3);
  EXPECT_DOUBLE_EQ(shift_ceiling(2.0, RescalingMode::SingleShift), 2.0);
  for (double a : {0.001, 0.013, 0.17, 0.49, 0.51, 0.99}) {
    EXPECT_EQ(approximate_scale(shift_ceiling(a, RescalingMode::SingleShift), RescalingMode::SingleShift).rel_error, 0.0);
    EXPECT_EQ(approximate_scale(shift_ceiling(a, RescalingMode::DoubleShift), RescalingMode::DoubleShift).rel_error, 0.0);
    EXPECT_GE(shift_ceiling(a, RescalingMode::DoubleShift), a);
  }
}
