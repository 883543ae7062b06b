// Cast and CastLike between numeric types and bool.
#include <cmath>
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {
// ONNX TensorProto codes
constexpr int64_t kFloat = 1, kUint8 = 2, kInt8 = 3, kInt32 = 6, kInt64 = 7, kString = 8, kBool = 9, kFloat16 = 10,
                  kDouble = 11, kUint64 = 13;
template <class T>
Tensor vec(std::vector<T> v) { return Tensor::from_vector<T>({static_cast<int64_t>(v.size())}, v); }
Tensor cast(const Tensor& x, int64_t to) {
  graph::Attributes a;
  a.set("to", to);
  return run_op("Cast", {x}, a)[0];
}
}  // namespace

TEST(Cast, FloatToIntegerTruncates) {
  EXPECT_EQ(cast(vec<float>({-1.7f, 2.9f, -0.5f}), kInt32).to_vector<int32_t>(), (std::vector<int32_t>{-1, 2, 0}));
  EXPECT_EQ(cast(vec<double>({255.9, 3.2}), kUint8).to_vector<uint8_t>(), (std::vector<uint8_t>{255, 3}));
  // Out of range saturates and NaN gives 0 (C leaves both undefined)
  EXPECT_EQ(cast(vec<float>({1e10f, -1e10f, NAN}), kInt32).to_vector<int32_t>(),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(), 0}));
  EXPECT_EQ(cast(vec<float>({-3, 300}), kUint8).to_vector<uint8_t>(), (std::vector<uint8_t>{0, 255}));
  EXPECT_EQ(cast(vec<double>({9.3e18, -9.3e18}), kInt64).to_vector<int64_t>(),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}));
  // 1.5 * 2^63 fits uint64 (but not int64) exactly
  EXPECT_EQ(cast(vec<float>({std::ldexp(1.5f, 63)}), kUint64).to_vector<uint64_t>(),
            (std::vector<uint64_t>{3ull << 62}));
}

TEST(Cast, BetweenIntegersFloatsAndBool) {
  // Integer narrowing keeps the low bits: 300 -> 44 (uint8), 200 -> -56 (int8)
  EXPECT_EQ(cast(vec<int32_t>({300}), kUint8).to_vector<uint8_t>(), (std::vector<uint8_t>{44}));
  EXPECT_EQ(cast(vec<int64_t>({200}), kInt8).to_vector<int8_t>(), (std::vector<int8_t>{-56}));
  test::expect_near(cast(vec<int64_t>({-3, 1 << 20}), kFloat), vec<float>({-3, 1 << 20}));
  test::expect_near(cast(vec<float>({0.1f}), kDouble), vec<double>({static_cast<double>(0.1f)}), 0, 0);
  // Anything to bool is "!= 0"; bool to numbers is 0/1
  EXPECT_EQ(cast(vec<float>({0, 0.1f, -0.f, NAN}), kBool).to_vector<bool>(),
            (std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(cast(vec<bool>({true, false}), kFloat).to_vector<float>(), (std::vector<float>{1, 0}));
  EXPECT_EQ(cast(vec<bool>({true}), kInt64).to_vector<int64_t>(), (std::vector<int64_t>{1}));
  Tensor same = vec<int32_t>({7});
  EXPECT_EQ(cast(same, kInt32).to_vector<int32_t>(), (std::vector<int32_t>{7}));
}

TEST(Cast, CastLikeTakesTheSecondInputsType) {
  Tensor y = run_op("CastLike", {vec<float>({3.5f, -1}), Tensor::scalar<int64_t>(0)}, {}, 1, 15)[0];
  EXPECT_EQ(y.dtype(), DType::I64);
  EXPECT_EQ(y.to_vector<int64_t>(), (std::vector<int64_t>{3, -1}));
  EXPECT_EQ(run_op("CastLike", {vec<uint8_t>({1, 0}), vec<bool>({})}, {}, 1, 15)[0].to_vector<bool>(),
            (std::vector<bool>{true, false}));
}

TEST(Cast, UnsupportedTypesAreDeclined) {
  EXPECT_THROW(cast(vec<float>({1}), kString), UnsupportedError);
  EXPECT_THROW(cast(vec<float>({1}), kFloat16), UnsupportedError);
  EXPECT_THROW(cast(Tensor(DType::F16, {1}), kFloat), UnsupportedError);
  EXPECT_THROW(run_op("Cast", {vec<float>({1})}), Error);  // `to` is required
}
