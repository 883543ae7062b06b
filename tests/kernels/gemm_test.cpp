// Gemm with hand-computed values: transposes, alpha/beta, every broadcast form of C, optional C
// (opset 11+), integer and float64 types, long inner dimensions, and rejected shapes.
#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
// a = [[1 2], [3 4]], b = [[5 6], [7 8]]: a * b = [[19 22], [43 50]]
Tensor a22() { return f({2, 2}, {1, 2, 3, 4}); }
Tensor b22() { return f({2, 2}, {5, 6, 7, 8}); }
}  // namespace

TEST(Gemm, Transposes) {
  test::expect_near(run_op("Gemm", {a22(), b22()})[0], f({2, 2}, {19, 22, 43, 50}));
  // a * b^T = [[1*5 + 2*6, 1*7 + 2*8], [3*5 + 4*6, 3*7 + 4*8]]
  test::expect_near(run_op("Gemm", {a22(), b22()}, attrs({{"transB", int64_t{1}}}))[0], f({2, 2}, {17, 23, 39, 53}));
  // a^T * b = [[1*5 + 3*7, 1*6 + 3*8], [2*5 + 4*7, 2*6 + 4*8]]
  test::expect_near(run_op("Gemm", {a22(), b22()}, attrs({{"transA", int64_t{1}}}))[0], f({2, 2}, {26, 30, 38, 44}));
  // a^T * b^T = (b * a)^T, b * a = [[23 34], [31 46]]
  test::expect_near(run_op("Gemm", {a22(), b22()}, attrs({{"transA", int64_t{1}}, {"transB", int64_t{1}}}))[0],
                    f({2, 2}, {23, 31, 34, 46}));
  // non-square: [1 2 3] (1x3) times B^T with B = [[1 0 1], [0 1 0]] (2x3): [1 + 3, 2]
  test::expect_near(run_op("Gemm", {f({1, 3}, {1, 2, 3}), f({2, 3}, {1, 0, 1, 0, 1, 0})}, attrs({{"transB", int64_t{1}}}))[0],
                    f({1, 2}, {4, 2}));
}

TEST(Gemm, AlphaBetaAndBroadcastC) {
  // alpha 2, C = [1 2] on every row: 2 * [[19 22], [43 50]] + [1 2]
  test::expect_near(run_op("Gemm", {a22(), b22(), f({2}, {1, 2})}, attrs({{"alpha", 2.f}}))[0], f({2, 2}, {39, 46, 87, 102}));
  // beta 0.5, C a column [M, 1] = [[2], [4]]: rows + 1 and + 2
  test::expect_near(run_op("Gemm", {a22(), b22(), f({2, 1}, {2, 4})}, attrs({{"beta", 0.5f}}))[0], f({2, 2}, {20, 23, 45, 52}));
  // scalar C and a one-element vector C: + 10 everywhere
  test::expect_near(run_op("Gemm", {a22(), b22(), Tensor::scalar<float>(10)})[0], f({2, 2}, {29, 32, 53, 60}));
  test::expect_near(run_op("Gemm", {a22(), b22(), f({1}, {10})})[0], f({2, 2}, {29, 32, 53, 60}));
  // full [M, N] C with beta -1
  test::expect_near(run_op("Gemm", {a22(), b22(), f({2, 2}, {1, 2, 3, 4})}, attrs({{"beta", -1.f}}))[0], f({2, 2}, {18, 20, 40, 46}));
}

TEST(Gemm, OptionalCByVersion) {
  // C is optional from Gemm-11 on; Gemm-7 and Gemm-9 require it
  test::expect_near(run_op("Gemm", {a22(), b22()}, {}, 1, 11)[0], f({2, 2}, {19, 22, 43, 50}));
  EXPECT_THROW(run_op("Gemm", {a22(), b22()}, {}, 1, 9), Error);
  test::expect_near(run_op("Gemm", {a22(), b22(), f({2}, {1, 1})}, {}, 1, 7)[0], f({2, 2}, {20, 23, 44, 51}));
}

TEST(Gemm, IntegerAndDoubleTypes) {
  test::expect_equal(run_op("Gemm", {Tensor::from_vector<int32_t>({2, 2}, {1, 2, 3, 4}), Tensor::from_vector<int32_t>({2, 2}, {5, 6, 7, 8}),
                                     Tensor::from_vector<int32_t>({2}, {1, -1})})[0],
                     Tensor::from_vector<int32_t>({2, 2}, {20, 21, 44, 49}));
  test::expect_equal(run_op("Gemm", {Tensor::from_vector<int64_t>({1, 2}, {3, 4}), Tensor::from_vector<int64_t>({1, 2}, {5, 6})},
                            attrs({{"transB", int64_t{1}}}))[0],
                     Tensor::from_vector<int64_t>({1, 1}, {39}));
  test::expect_near(run_op("Gemm", {Tensor::from_vector<double>({1, 2}, {0.5, 0.25}), Tensor::from_vector<double>({2, 1}, {2, 4})})[0],
                    Tensor::from_vector<double>({1, 1}, {2}));
}

TEST(Gemm, LongInnerDimensionsMatchTheDefinition) {
  // K = 37 (not a multiple of any vector width), every transpose combination, against double sums
  const int64_t M = 3, N = 5, K = 37;
  Tensor a = test::random_tensor({M, K}, 21), b = test::random_tensor({K, N}, 22);
  Tensor at(DType::F32, {K, M}), bt(DType::F32, {N, K}), want(DType::F32, {M, N});
  for (int64_t i = 0; i < M; ++i)
    for (int64_t k = 0; k < K; ++k) at.data_mut<float>()[k * M + i] = a.data<float>()[i * K + k];
  for (int64_t k = 0; k < K; ++k)
    for (int64_t j = 0; j < N; ++j) bt.data_mut<float>()[j * K + k] = b.data<float>()[k * N + j];
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double s = 0;
      for (int64_t k = 0; k < K; ++k) s += static_cast<double>(a.data<float>()[i * K + k]) * b.data<float>()[k * N + j];
      want.data_mut<float>()[i * N + j] = static_cast<float>(s);
    }
  for (int64_t ta : {0, 1})
    for (int64_t tb : {0, 1}) {
      SCOPED_TRACE("transA " + std::to_string(ta) + " transB " + std::to_string(tb));
      test::expect_near(run_op("Gemm", {ta ? at : a, tb ? bt : b}, attrs({{"transA", ta}, {"transB", tb}}))[0], want, 1e-5, 1e-5);
    }
}

TEST(Gemm, RejectsBadShapes) {
  EXPECT_THROW(run_op("Gemm", {a22(), f({3, 2}, {1, 2, 3, 4, 5, 6})}), Error);         // K 2 vs 3
  EXPECT_THROW(run_op("Gemm", {a22(), b22(), f({3}, {1, 2, 3})}), Error);              // C [3] vs N 2
  EXPECT_THROW(run_op("Gemm", {a22(), b22(), f({2, 2, 1}, {1, 2, 3, 4})}), Error);     // C rank 3
  EXPECT_THROW(run_op("Gemm", {f({1, 2, 2}, {1, 2, 3, 4}), b22()}), Error);            // A rank 3
  EXPECT_THROW(run_op("Gemm", {a22(), Tensor::from_vector<double>({2, 2}, {1, 2, 3, 4})}), Error);  // mixed types
}
