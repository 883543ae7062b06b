// Arithmetic with numpy broadcasting, integer semantics, Pow/Mod/BitShift, PRelu and the
// variadic Min/Max/Sum/Mean, with hand-computed values.
#include <cmath>
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
template <class T>
Tensor vec(std::vector<T> v) { return Tensor::from_vector<T>({static_cast<int64_t>(v.size())}, v); }
template <class T>
std::vector<T> out(const std::string& op, std::vector<Tensor> in, graph::Attributes a = {}, int64_t opset = 17) {
  return run_op(op, in, std::move(a), 1, opset)[0].to_vector<T>();
}
}  // namespace

TEST(Arithmetic, Broadcasting) {
  // [2,1] op [3] -> [2,3]: rows 10 op [1,2,3], 20 op [1,2,3]
  Tensor a = f({2, 1}, {10, 20}), b = f({3}, {1, 2, 3});
  test::expect_near(run_op("Add", {a, b})[0], f({2, 3}, {11, 12, 13, 21, 22, 23}));
  test::expect_near(run_op("Sub", {a, b})[0], f({2, 3}, {9, 8, 7, 19, 18, 17}));
  test::expect_near(run_op("Mul", {b, a})[0], f({2, 3}, {10, 20, 30, 20, 40, 60}));
  test::expect_near(run_op("Div", {a, b})[0], f({2, 3}, {10, 5, 10.f / 3, 20, 10, 20.f / 3}));
  // Scalar with [2,2], and a middle broadcast axis [2,1,2] + [3,1] -> [2,3,2]
  test::expect_near(run_op("Sub", {Tensor::scalar<float>(1), f({2, 2}, {1, 2, 3, 4})})[0], f({2, 2}, {0, -1, -2, -3}));
  Tensor y = run_op("Add", {f({2, 1, 2}, {0, 1, 10, 11}), f({3, 1}, {100, 200, 300})})[0];
  test::expect_near(y, f({2, 3, 2}, {100, 101, 200, 201, 300, 301, 110, 111, 210, 211, 310, 311}));
  // Empty tensors broadcast too: [0,3] + [3] -> [0,3]
  EXPECT_EQ(run_op("Add", {Tensor(DType::F32, {0, 3}), b})[0].shape(), (Shape{0, 3}));
}

TEST(Arithmetic, LegacyBroadcastAttribute) {
  // Add-6 with broadcast=1, axis=1: B [3] is aligned with A's axis 1 of [2,3,2]
  Tensor a(DType::F32, {2, 3, 2});
  Tensor y = run_op("Add", {a, f({3}, {1, 2, 3})}, attrs({{"broadcast", int64_t{1}}, {"axis", int64_t{1}}}), 1, 6)[0];
  test::expect_near(y, f({2, 3, 2}, {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}));
}

TEST(Arithmetic, IntegersTruncateAndWrap) {
  // C truncation: -7/2 = -3; int8 127+1 wraps to -128; uint8 200*2 = 400 mod 256 = 144
  EXPECT_EQ(out<int32_t>("Div", {vec<int32_t>({-7, 7}), vec<int32_t>({2, 2})}), (std::vector<int32_t>{-3, 3}));
  EXPECT_EQ(out<int8_t>("Add", {vec<int8_t>({127}), vec<int8_t>({1})}), (std::vector<int8_t>{-128}));
  EXPECT_EQ(out<uint8_t>("Mul", {vec<uint8_t>({200}), vec<uint8_t>({2})}), (std::vector<uint8_t>{144}));
  EXPECT_EQ(out<uint8_t>("Sub", {vec<uint8_t>({1}), vec<uint8_t>({2})}), (std::vector<uint8_t>{255}));
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(out<int64_t>("Mul", {vec<int64_t>({kMin}), vec<int64_t>({-1})}), (std::vector<int64_t>{kMin}));
  EXPECT_EQ(out<int64_t>("Div", {vec<int64_t>({kMin}), vec<int64_t>({-1})}), (std::vector<int64_t>{kMin}));
  EXPECT_THROW(run_op("Div", {vec<int32_t>({1, 2}), vec<int32_t>({1, 0})}), Error);
  EXPECT_THROW(run_op("Add", {f({2}, {1, 2}), f({3}, {1, 2, 3})}), Error);         // not broadcastable
  EXPECT_THROW(run_op("Add", {f({1}, {1}), vec<int32_t>({1})}), Error);            // mixed types
  EXPECT_THROW(run_op("Add", {vec<bool>({true}), vec<bool>({true})}), UnsupportedError);  // no kernel for bool
}

TEST(Arithmetic, Mod) {
  // fmod=0 takes the divisor's sign: -7 mod 3 = 2, 7 mod -3 = -2, -7 mod -3 = -1; 6 mod -3 = 0
  EXPECT_EQ(out<int32_t>("Mod", {vec<int32_t>({-7, 7, -7, 6}), vec<int32_t>({3, -3, -3, -3})}),
            (std::vector<int32_t>{2, -2, -1, 0}));
  // fmod=1 takes the dividend's: -7 fmod 3 = -1, 7 fmod -3 = 1
  EXPECT_EQ(out<int32_t>("Mod", {vec<int32_t>({-7, 7}), vec<int32_t>({3, -3})}, attrs({{"fmod", int64_t{1}}})),
            (std::vector<int32_t>{-1, 1}));
  // 250 = 35*7 + 5
  EXPECT_EQ(out<uint8_t>("Mod", {vec<uint8_t>({250}), vec<uint8_t>({7})}), (std::vector<uint8_t>{5}));
  EXPECT_EQ(out<int8_t>("Mod", {vec<int8_t>({-128}), vec<int8_t>({-1})}), (std::vector<int8_t>{0}));
  // float fmod: -5.5 fmod 2 = -1.5; 5.5 fmod -2 = 1.5
  test::expect_near(run_op("Mod", {f({2}, {-5.5f, 5.5f}), f({2}, {2, -2})}, attrs({{"fmod", int64_t{1}}}))[0],
                    f({2}, {-1.5f, 1.5f}));
  EXPECT_THROW(run_op("Mod", {vec<int64_t>({3}), vec<int64_t>({0})}), Error);
}

TEST(Arithmetic, Pow) {
  // float base, int64 exponent (opset 12+ mixes types): 2^2 = 4, 9^2 = 81; 4^0.5 = 2
  test::expect_near(run_op("Pow", {f({2}, {2, 9}), Tensor::from_vector<int64_t>({1}, {2})})[0], f({2}, {4, 81}));
  test::expect_near(run_op("Pow", {f({1}, {4}), f({1}, {0.5f})})[0], f({1}, {2}));
  // integer powers: 3^4 = 81, (-2)^3 = -8, x^0 = 1, 2^-1 = 0 (truncated 1/2), (-1)^-3 = -1
  EXPECT_EQ(out<int32_t>("Pow", {vec<int32_t>({3, -2, 5, 2, -1}), vec<int32_t>({4, 3, 0, -1, -3})}),
            (std::vector<int32_t>{81, -8, 1, 0, -1}));
  // int base, float exponent: 2^3.0 = 8
  EXPECT_EQ(out<int64_t>("Pow", {vec<int64_t>({2}), f({1}, {3})}), (std::vector<int64_t>{8}));
  // A huge exponent finishes (squaring) and wraps: 2^64 = 0 mod 2^64
  EXPECT_EQ(out<int64_t>("Pow", {vec<int64_t>({2}), vec<int64_t>({64})}), (std::vector<int64_t>{0}));
  EXPECT_EQ(out<int64_t>("Pow", {vec<int64_t>({1}), vec<int64_t>({std::numeric_limits<int64_t>::max()})}),
            (std::vector<int64_t>{1}));
}

TEST(Arithmetic, BitShift) {
  graph::Attributes left = attrs({{"direction", std::string("LEFT")}});
  graph::Attributes right = attrs({{"direction", std::string("RIGHT")}});
  // 16 << [1,2,3] = 32, 64, 128; 16 >> [1,2,3] = 8, 4, 2; uint8 16 << 4 = 256 mod 256 = 0
  EXPECT_EQ(out<uint8_t>("BitShift", {vec<uint8_t>({16}), vec<uint8_t>({1, 2, 4})}, left),
            (std::vector<uint8_t>{32, 64, 0}));
  EXPECT_EQ(out<uint32_t>("BitShift", {vec<uint32_t>({16, 16, 16}), vec<uint32_t>({1, 2, 3})}, right),
            (std::vector<uint32_t>{8, 4, 2}));
  EXPECT_EQ(out<uint64_t>("BitShift", {vec<uint64_t>({1}), vec<uint64_t>({64})}, left), (std::vector<uint64_t>{0}));
  EXPECT_THROW(run_op("BitShift", {vec<int32_t>({1}), vec<int32_t>({1})}, left), UnsupportedError);
  EXPECT_THROW(run_op("BitShift", {vec<uint8_t>({1}), vec<uint8_t>({1})}), Error);  // direction is required
}

TEST(Arithmetic, PRelu) {
  // slope [2,1] broadcast to x [2,2]: negative values scaled per row
  Tensor x = f({2, 2}, {-1, 1, -1, 1});
  test::expect_near(run_op("PRelu", {x, f({2, 1}, {0.5f, 2})})[0], f({2, 2}, {-0.5f, 1, -2, 1}));
  // PRelu-6 aligns a per-channel slope [C] at axis 1 of [N,C,W]
  Tensor x3 = f({1, 2, 2}, {-1, -2, -1, -2});
  test::expect_near(run_op("PRelu", {x3, f({2}, {0.5f, 3})}, {}, 1, 6)[0], f({1, 2, 2}, {-0.5f, -1, -3, -6}));
  EXPECT_EQ(out<int32_t>("PRelu", {vec<int32_t>({-4, 4}), vec<int32_t>({2})}), (std::vector<int32_t>{-8, 4}));
  EXPECT_THROW(run_op("PRelu", {x, f({3}, {1, 2, 3})}), Error);  // slope must broadcast to x
}

TEST(Variadic, MinMaxSumMean) {
  Tensor a = f({3}, {1, 2, 3}), b = f({3}, {3, 2, 1}), c = f({1}, {2});
  test::expect_near(run_op("Max", {a, b, c})[0], f({3}, {3, 2, 3}));
  test::expect_near(run_op("Min", {a, b, c})[0], f({3}, {1, 2, 1}));
  test::expect_near(run_op("Sum", {a, b, c})[0], f({3}, {6, 6, 6}));
  test::expect_near(run_op("Mean", {a, b, c})[0], f({3}, {2, 2, 2}));
  test::expect_near(run_op("Sum", {a})[0], a);
  // The output is the broadcast of all inputs: [2,1] and [3] -> [2,3]; the first input broadcasts too
  test::expect_near(run_op("Max", {f({3}, {0, 5, 10}), f({2, 1}, {4, 6})})[0], f({2, 3}, {4, 5, 10, 6, 6, 10}));
  // NaN wins in Min/Max
  test::expect_near(run_op("Max", {f({2}, {NAN, 1}), f({2}, {1, NAN})})[0], f({2}, {NAN, NAN}));
  test::expect_near(run_op("Min", {f({2}, {NAN, 1}), f({2}, {1, NAN})})[0], f({2}, {NAN, NAN}));
  // Integer types: Max int8, Min uint64, Mean int32 truncates (1+2)/2 = 1
  EXPECT_EQ(out<int8_t>("Max", {vec<int8_t>({-128, 5}), vec<int8_t>({-1, 127})}), (std::vector<int8_t>{-1, 127}));
  EXPECT_EQ(out<uint64_t>("Min", {vec<uint64_t>({~0ull, 5}), vec<uint64_t>({7})}), (std::vector<uint64_t>{7, 5}));
  EXPECT_EQ(out<int32_t>("Mean", {vec<int32_t>({1}), vec<int32_t>({2})}), (std::vector<int32_t>{1}));
  EXPECT_THROW(run_op("Sum", {a, f({2}, {1, 2})}), Error);
}

TEST(Arithmetic, LargeBroadcastMatchesDefinition) {
  // Rows of 40000 are cut into segments of 16384 and shapes [3,40000] op [40000] / [3,1] keep
  // per-input offsets across the cuts; same-shape inputs merge into one flat row.
  const int64_t n = 40000;
  Tensor a = test::random_tensor({3, n}, 1), b = test::random_tensor({n}, 2), c = test::random_tensor({3, 1}, 3);
  Tensor d = test::random_tensor({3, n}, 4);
  Tensor y = run_op("Add", {a, b})[0], z = run_op("Mul", {c, a})[0], w = run_op("Sub", {a, d})[0];
  const float *pa = a.data<float>(), *pb = b.data<float>(), *pc = c.data<float>(), *pd = d.data<float>();
  for (int64_t r = 0; r < 3; ++r)
    for (int64_t k : {int64_t{0}, int64_t{16383}, int64_t{16384}, int64_t{32768}, n - 1}) {
      int64_t i = r * n + k;
      EXPECT_EQ(y.data<float>()[i], pa[i] + pb[k]);
      EXPECT_EQ(z.data<float>()[i], pc[r] * pa[i]);
      EXPECT_EQ(w.data<float>()[i], pa[i] - pd[i]);
    }
  // Many short rows: [20000,2] + [20000,1]
  Tensor e = test::random_tensor({20000, 2}, 5), g = test::random_tensor({20000, 1}, 6);
  Tensor h = run_op("Add", {e, g})[0];
  for (int64_t r : {0, 8191, 8192, 19999})
    for (int64_t k : {0, 1}) EXPECT_EQ(h.data<float>()[r * 2 + k], e.data<float>()[r * 2 + k] + g.data<float>()[r]);
}
