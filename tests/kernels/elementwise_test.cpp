// Elementwise family with hand-computed values.
#include <cmath>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {
graph::Attributes attrs(std::initializer_list<std::pair<const char*, graph::AttrValue>> kv) {
  graph::Attributes a;
  for (const auto& [k, v] : kv) a.set(k, v);
  return a;
}
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
}  // namespace

TEST(Binary, BroadcastingAddSubMulDiv) {
  // [2,1] + [3] -> [2,3]: rows 10+[1,2,3], 20+[1,2,3]
  Tensor a = f({2, 1}, {10, 20}), b = f({3}, {1, 2, 3});
  test::expect_near(run_op("Add", {a, b})[0], f({2, 3}, {11, 12, 13, 21, 22, 23}));
  test::expect_near(run_op("Sub", {a, b})[0], f({2, 3}, {9, 8, 7, 19, 18, 17}));
  test::expect_near(run_op("Mul", {b, a})[0], f({2, 3}, {10, 20, 30, 20, 40, 60}));
  test::expect_near(run_op("Div", {a, b})[0], f({2, 3}, {10, 5, 10.f / 3, 20, 10, 20.f / 3}));
  EXPECT_THROW(run_op("Add", {f({2}, {1, 2}), f({3}, {1, 2, 3})}), Error);
  EXPECT_THROW(run_op("Add", {f({1}, {1}), Tensor::from_vector<int32_t>({1}, {1})}), Error);
}

TEST(Binary, IntegerDivisionModAndPow) {
  auto i32 = [](std::vector<int32_t> v) { return Tensor::from_vector<int32_t>({static_cast<int64_t>(v.size())}, v); };
  // C truncation: -7/2 = -3
  EXPECT_EQ(run_op("Div", {i32({-7, 7}), i32({2, 2})})[0].to_vector<int32_t>(), (std::vector<int32_t>{-3, 3}));
  // Mod fmod=0 takes the divisor's sign: -7 mod 3 = 2, 7 mod -3 = -2; fmod=1: -7 fmod 3 = -1
  EXPECT_EQ(run_op("Mod", {i32({-7, 7}), i32({3, -3})})[0].to_vector<int32_t>(), (std::vector<int32_t>{2, -2}));
  EXPECT_EQ(run_op("Mod", {i32({-7, 7}), i32({3, -3})}, attrs({{"fmod", int64_t{1}}}))[0].to_vector<int32_t>(),
            (std::vector<int32_t>{-1, 1}));
  EXPECT_THROW(run_op("Div", {i32({1}), i32({0})}), Error);
  // Pow with an integer exponent on floats, and integer powers: 3^4 = 81
  test::expect_near(run_op("Pow", {f({2}, {2, 9}), Tensor::from_vector<int64_t>({1}, {2})})[0], f({2}, {4, 81}));
  EXPECT_EQ(run_op("Pow", {i32({3}), i32({4})})[0].to_vector<int32_t>(), (std::vector<int32_t>{81}));
}

TEST(Binary, CompareLogicWhereAndVariadic) {
  Tensor a = f({3}, {1, 2, 3}), b = f({3}, {3, 2, 1});
  EXPECT_EQ(run_op("Less", {a, b})[0].to_vector<bool>(), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(run_op("GreaterOrEqual", {a, b})[0].to_vector<bool>(), (std::vector<bool>{false, true, true}));
  Tensor t = Tensor::from_vector<bool>({2}, {true, false}), u = Tensor::from_vector<bool>({1}, {true});
  EXPECT_EQ(run_op("Xor", {t, u})[0].to_vector<bool>(), (std::vector<bool>{false, true}));
  EXPECT_EQ(run_op("Not", {t})[0].to_vector<bool>(), (std::vector<bool>{false, true}));
  // Where(cond [3], x [3], y scalar)
  Tensor cond = Tensor::from_vector<bool>({3}, {true, false, true});
  test::expect_near(run_op("Where", {cond, a, Tensor::scalar<float>(-1)})[0], f({3}, {1, -1, 3}));
  // Max/Min/Mean/Sum over three inputs with broadcasting
  Tensor c = f({1}, {2});
  test::expect_near(run_op("Max", {a, b, c})[0], f({3}, {3, 2, 3}));
  test::expect_near(run_op("Min", {a, b, c})[0], f({3}, {1, 2, 1}));
  test::expect_near(run_op("Sum", {a, b, c})[0], f({3}, {6, 6, 6}));
  test::expect_near(run_op("Mean", {a, b, c})[0], f({3}, {2, 2, 2}));
  test::expect_near(run_op("Sum", {a})[0], a);
}

TEST(Unary, ActivationsAndMath) {
  Tensor x = f({4}, {-2, -0.5f, 0, 3});
  test::expect_near(run_op("Relu", {x})[0], f({4}, {0, 0, 0, 3}));
  test::expect_near(run_op("LeakyRelu", {x}, attrs({{"alpha", 0.1f}}))[0], f({4}, {-0.2f, -0.05f, 0, 3}));
  // sigmoid(0) = 0.5, sigmoid(3) = 1/(1+e^-3)
  auto s = run_op("Sigmoid", {x})[0].to_vector<float>();
  EXPECT_FLOAT_EQ(s[2], 0.5f);
  EXPECT_NEAR(s[3], 1 / (1 + std::exp(-3.f)), 1e-6);
  // HardSigmoid default: max(0, min(1, 0.2x + 0.5)): -2 -> 0.1, 3 -> 1
  test::expect_near(run_op("HardSigmoid", {x})[0], f({4}, {0.1f, 0.4f, 0.5f, 1}));
  // HardSwish: x * hardsigmoid(x; 1/6, 0.5): 3 -> 3, -2 -> -2*(1/6) = -1/3
  test::expect_near(run_op("HardSwish", {x})[0], f({4}, {-1.f / 3, -0.5f * (0.5f - 0.5f / 6), 0, 3}));
  test::expect_near(run_op("Round", {f({4}, {0.5f, 1.5f, 2.5f, -0.5f})})[0], f({4}, {0, 2, 2, -0.f}));
  test::expect_near(run_op("Abs", {x})[0], f({4}, {2, 0.5f, 0, 3}));
  test::expect_near(run_op("Elu", {f({1}, {-1})})[0], f({1}, {std::exp(-1.f) - 1}));
  EXPECT_EQ(run_op("Sign", {Tensor::from_vector<int64_t>({3}, {-5, 0, 9})})[0].to_vector<int64_t>(),
            (std::vector<int64_t>{-1, 0, 1}));
}

TEST(Unary, ClipPReluIsNaNCast) {
  Tensor x = f({4}, {-2, -0.5f, 0.5f, 3});
  // Clip-6 attributes and Clip-11 inputs (min only)
  test::expect_near(run_op("Clip", {x}, attrs({{"min", 0.f}, {"max", 1.f}}), 1, 6)[0], f({4}, {0, 0, 0.5f, 1}));
  test::expect_near(run_op("Clip", {x, Tensor::scalar<float>(-1)}, {}, 1, 13)[0], f({4}, {-1, -0.5f, 0.5f, 3}));
  // PRelu with a per-channel slope [2,1] on x [2,2]
  Tensor x2 = f({2, 2}, {-1, 1, -1, 1});
  test::expect_near(run_op("PRelu", {x2, f({2, 1}, {0.5f, 2})})[0], f({2, 2}, {-0.5f, 1, -2, 1}));
  Tensor n = f({3}, {NAN, INFINITY, 1});
  EXPECT_EQ(run_op("IsNaN", {n})[0].to_vector<bool>(), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(run_op("IsInf", {n})[0].to_vector<bool>(), (std::vector<bool>{false, true, false}));
  // Cast float -> int32 truncates; -> bool is "!= 0"; to=7 is int64
  EXPECT_EQ(run_op("Cast", {f({2}, {-1.7f, 2.9f})}, attrs({{"to", int64_t{6}}}))[0].to_vector<int32_t>(),
            (std::vector<int32_t>{-1, 2}));
  EXPECT_EQ(run_op("Cast", {f({2}, {0, 0.1f})}, attrs({{"to", int64_t{9}}}))[0].to_vector<bool>(), (std::vector<bool>{false, true}));
  EXPECT_EQ(run_op("CastLike", {f({1}, {3.5f}), Tensor::scalar<int64_t>(0)}, {}, 1, 15)[0].to_vector<int64_t>(),
            (std::vector<int64_t>{3}));
  EXPECT_THROW(run_op("Cast", {f({1}, {1})}, attrs({{"to", int64_t{8}}})), UnsupportedError);  // to string
}

TEST(Binary, LargeBroadcastIsIndependentOfBlocking) {
  // 300x257 + 257 crosses several parallel blocks; spot-check against the definition.
  Tensor a = test::random_tensor({300, 257}, 1), b = test::random_tensor({257}, 2);
  Tensor y = run_op("Add", {a, b})[0];
  for (int64_t r : {0, 63, 64, 299})
    for (int64_t c : {0, 100, 256}) EXPECT_EQ(y.data<float>()[r * 257 + c], a.data<float>()[r * 257 + c] + b.data<float>()[c]);
}
