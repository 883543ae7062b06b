// Unary math: hand-computed values at points where the functions are exact or well known.
#include <cmath>
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {
Tensor f(std::vector<float> v) { return Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, v); }
Tensor d(std::vector<double> v) { return Tensor::from_vector<double>({static_cast<int64_t>(v.size())}, v); }
template <class T>
Tensor vec(std::vector<T> v) { return Tensor::from_vector<T>({static_cast<int64_t>(v.size())}, v); }
Tensor unary(const std::string& op, const Tensor& x, graph::Attributes a = {}) {
  return run_op(op, {x}, std::move(a))[0];
}
}  // namespace

TEST(UnaryMath, ExactValues) {
  test::expect_near(unary("Sqrt", f({0, 4, 2.25f, -1})), f({0, 2, 1.5f, NAN}));
  test::expect_near(unary("Exp", f({0, 1})), f({1, 2.7182818f}));
  test::expect_near(unary("Log", f({1, 2.7182818f, 0})), f({0, 1, -INFINITY}));
  test::expect_near(unary("Reciprocal", f({2, -0.5f})), f({0.5f, -2}));
  test::expect_near(unary("Floor", f({1.5f, -1.5f, 2})), f({1, -2, 2}));
  test::expect_near(unary("Ceil", f({1.5f, -1.5f, 2})), f({2, -1, 2}));
  // Round: halves go to the even neighbour
  test::expect_near(unary("Round", f({0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.6f})), f({0, 2, 2, -0.f, -2, 3}));
  test::expect_near(unary("Neg", f({1, -2, 0})), f({-1, 2, 0}));
  test::expect_near(unary("Abs", f({-2, 3})), f({2, 3}));
  test::expect_near(unary("Sign", f({-0.1f, 0, 7})), f({-1, 0, 1}));
  test::expect_near(unary("Sqrt", d({9})), d({3}), 0, 0);  // float64 too
}

TEST(UnaryMath, Trigonometric) {
  constexpr float kPi = 3.14159265f;
  test::expect_near(unary("Sin", f({0, kPi / 2, kPi / 6})), f({0, 1, 0.5f}));
  test::expect_near(unary("Cos", f({0, kPi / 3})), f({1, 0.5f}));
  test::expect_near(unary("Tan", f({0, kPi / 4})), f({0, 1}));
  test::expect_near(unary("Asin", f({0, 0.5f, 2})), f({0, kPi / 6, NAN}));
  test::expect_near(unary("Acos", f({1, 0.5f})), f({0, kPi / 3}));
  test::expect_near(unary("Atan", f({0, 1})), f({0, kPi / 4}));
  // sinh(1) = (e - 1/e)/2, cosh(1) = (e + 1/e)/2, asinh(sinh 1) = 1, acosh(1) = 0, atanh(0.5) = ln(3)/2
  test::expect_near(unary("Sinh", f({0, 1})), f({0, 1.1752012f}));
  test::expect_near(unary("Cosh", f({0, 1})), f({1, 1.5430806f}));
  test::expect_near(unary("Asinh", f({0, 1.1752012f})), f({0, 1}));
  test::expect_near(unary("Acosh", f({1, 1.5430806f})), f({0, 1}));
  test::expect_near(unary("Atanh", f({0, 0.5f})), f({0, 0.54930614f}));
  // erf(0) = 0, erf(1) = 0.8427008, odd
  test::expect_near(unary("Erf", f({0, 1, -1})), f({0, 0.8427008f, -0.8427008f}));
}

TEST(UnaryMath, IntegersWrapAndFloatOnlyOpsDecline) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(unary("Neg", vec<int32_t>({5, -3, kMin})).to_vector<int32_t>(), (std::vector<int32_t>{-5, 3, kMin}));
  EXPECT_EQ(unary("Abs", vec<int8_t>({-5, 4, -128})).to_vector<int8_t>(), (std::vector<int8_t>{5, 4, -128}));
  EXPECT_EQ(unary("Abs", vec<uint16_t>({65535})).to_vector<uint16_t>(), (std::vector<uint16_t>{65535}));
  EXPECT_EQ(unary("Sign", vec<int64_t>({-5, 0, 9})).to_vector<int64_t>(), (std::vector<int64_t>{-1, 0, 1}));
  EXPECT_EQ(unary("Sign", vec<uint8_t>({0, 200})).to_vector<uint8_t>(), (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(unary("Relu", vec<int32_t>({-5, 6})).to_vector<int32_t>(), (std::vector<int32_t>{0, 6}));
  EXPECT_THROW(unary("Sqrt", vec<int32_t>({4})), UnsupportedError);
  EXPECT_THROW(unary("Neg", vec<bool>({true})), UnsupportedError);
}

TEST(UnaryMath, IsNaNIsInf) {
  Tensor x = f({NAN, INFINITY, -INFINITY, 1});
  using B = std::vector<bool>;
  EXPECT_EQ(unary("IsNaN", x).to_vector<bool>(), (B{true, false, false, false}));
  EXPECT_EQ(unary("IsInf", x).to_vector<bool>(), (B{false, true, true, false}));
  graph::Attributes only_neg, only_pos;
  only_neg.set("detect_positive", int64_t{0});
  only_pos.set("detect_negative", int64_t{0});
  EXPECT_EQ(unary("IsInf", x, only_neg).to_vector<bool>(), (B{false, false, true, false}));
  EXPECT_EQ(unary("IsInf", x, only_pos).to_vector<bool>(), (B{false, true, false, false}));
  EXPECT_EQ(unary("IsNaN", d({NAN, 0})).to_vector<bool>(), (B{true, false}));
}

TEST(UnaryMath, LargeTensorMatchesDefinition) {
  // 100000 elements cross several parallel blocks: every element is exp of its input.
  Tensor x = test::random_tensor({100000}, 7, -5, 5);
  Tensor y = unary("Exp", x);
  for (int64_t i = 0; i < x.numel(); i += 997) EXPECT_EQ(y.data<float>()[i], std::exp(x.data<float>()[i]));
}
