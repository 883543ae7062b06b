// The integer semantics of n2d2-flow's quantized networks (ops of the ai.n2d2 domain), in one
// place. Every integer kernel (reference, AVX2, AVX-512 VNNI), the exporters (standalone C++,
// ONNX integer graphs) and the hardware model reproduce exactly these functions; they depend on
// nothing but <cstdint> so that generated code and testbenches can copy them verbatim.
//
// Value ranges. An n-bit signed value lies in [-(2^(n-1)-1), 2^(n-1)-1] (symmetric, as N2D2:
// -128 is never produced for n = 8); an n-bit unsigned value in [0, 2^n-1]. n is 2..16.
// Containers: int8/uint8 for n <= 8, int16/uint16 for n <= 16.
//
// Accumulation (QConv, QGemm, QAdd, QGlobalSumPool). Products and sums are exact (computed in
// int64) and the final sum is saturated to int32. Fast kernels only run where no partial sum can
// leave int32, so they agree with this bit for bit.
//
// Rounding.
//   - float -> integer (Quantize, Requantize Floating-point): round half away from zero.
//   - integer right shift by s >= 1 (all other rescalings): add 2^(s-1), then arithmetic shift
//     right (floor): round half toward +infinity. s = 0 is the identity.
//
// Requantize modes (y = sat(f(acc)), per tensor or per output channel):
//   Floating-point  f = round_half_away(float(acc) * scale)       (float32 product, IEEE, no FMA)
//   Fixed-point     f = (acc * multiplier + 2^(shift-1)) >> shift  (int64 product; Fixed-point16
//                   keeps |multiplier| < 2^15, Fixed-point32 < 2^31)
//   Single-shift    f = (acc + 2^(shift-1)) >> shift               (scale 2^-shift)
//   Double-shift    f = ((acc << left) + acc + 2^(shift-1)) >> shift
//                   (scale 2^(left-shift) + 2^-shift, computed in int64)
#pragma once

#include <cstdint>

namespace n2d2::quant {

constexpr int kMinBits = 2, kMaxBits = 16;

constexpr int64_t max_value(int nbbits, bool is_signed) {
  return is_signed ? (int64_t{1} << (nbbits - 1)) - 1 : (int64_t{1} << nbbits) - 1;
}
constexpr int64_t min_value(int nbbits, bool is_signed) { return is_signed ? -max_value(nbbits, true) : 0; }

constexpr int64_t saturate(int64_t v, int nbbits, bool is_signed) {
  int64_t lo = min_value(nbbits, is_signed), hi = max_value(nbbits, is_signed);
  return v < lo ? lo : v > hi ? hi : v;
}

constexpr int32_t saturate_i32(int64_t v) {
  return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : static_cast<int32_t>(v);
}

// Round half away from zero of a finite double, saturated to the int64 range (NaN gives 0).
constexpr int64_t round_half_away(double x) {
  if (!(x == x)) return 0;
  if (x >= 9.2e18) return INT64_MAX;
  if (x <= -9.2e18) return INT64_MIN;
  double a = x < 0 ? -x : x;
  int64_t t = static_cast<int64_t>(a);  // truncation of |x|
  if (a - static_cast<double>(t) >= 0.5) ++t;
  return x < 0 ? -t : t;
}

// Rounding arithmetic shift right: (v + 2^(s-1)) >> s for s >= 1, v for s = 0.
constexpr int64_t shift_round(int64_t v, int s) {
  return s <= 0 ? v : (v + (int64_t{1} << (s - 1))) >> s;
}

enum class Rescaling : uint8_t { FloatingPoint, FixedPoint, SingleShift, DoubleShift };

// One channel's rescaling parameters.
struct RescaleParams {
  float scale = 1.f;        // Floating-point
  int64_t multiplier = 1;   // Fixed-point
  int shift = 0;            // Fixed-point, Single-shift, Double-shift (right shift)
  int left = 0;             // Double-shift
};

// The rescaled accumulator before saturation.
inline int64_t rescale(int64_t acc, Rescaling mode, const RescaleParams& p) {
  switch (mode) {
    case Rescaling::FloatingPoint: {
      volatile float prod = static_cast<float>(acc) * p.scale;  // volatile: no contraction, no excess precision
      return round_half_away(static_cast<double>(prod));
    }
    case Rescaling::FixedPoint: return shift_round(acc * p.multiplier, p.shift);
    case Rescaling::SingleShift: return shift_round(acc, p.shift);
    case Rescaling::DoubleShift: return shift_round(acc * (int64_t{1} << p.left) + acc, p.shift);
  }
  return acc;
}

inline int64_t requantize(int64_t acc, Rescaling mode, const RescaleParams& p, int nbbits, bool is_signed) {
  return saturate(rescale(acc, mode, p), nbbits, is_signed);
}

// Quantize: q = sat(round_half_away(double(x) / double(scale))), scale > 0 (real = q * scale).
inline int64_t quantize(float x, float scale, int nbbits, bool is_signed) {
  return saturate(round_half_away(static_cast<double>(x) / static_cast<double>(scale)), nbbits, is_signed);
}

// Dequantize: float(q) * scale in float32.
inline float dequantize(int64_t q, float scale) {
  volatile float r = static_cast<float>(q) * scale;
  return r;
}

}  // namespace n2d2::quant
