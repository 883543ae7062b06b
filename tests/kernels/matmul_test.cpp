// MatMul with hand-computed values: numpy semantics (1-D promotion, batch broadcasting on either
// side), integer types, and rejected shapes.
#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
}  // namespace

TEST(MatMul, MatricesAndVectors) {
  test::expect_near(run_op("MatMul", {f({2, 2}, {1, 2, 3, 4}), f({2, 2}, {5, 6, 7, 8})})[0], f({2, 2}, {19, 22, 43, 50}));
  // vector . vector is a 0-D result: 1*4 + 2*5 + 3*6
  test::expect_near(run_op("MatMul", {f({3}, {1, 2, 3}), f({3}, {4, 5, 6})})[0], Tensor::scalar<float>(32));
  // matrix x vector: row sums of [[1 2], [3 4]]; vector x matrix: [1 2] x I
  test::expect_near(run_op("MatMul", {f({2, 2}, {1, 2, 3, 4}), f({2}, {1, 1})})[0], f({2}, {3, 7}));
  test::expect_near(run_op("MatMul", {f({2}, {1, 2}), f({2, 2}, {1, 0, 0, 1})})[0], f({2}, {1, 2}));
}

TEST(MatMul, BatchBroadcasting) {
  // A [2,2,2] with one B [2,2]: each batch times B. A0 = I, A1 = all ones, B = [[1 2], [3 4]]
  test::expect_near(run_op("MatMul", {f({2, 2, 2}, {1, 0, 0, 1, 1, 1, 1, 1}), f({2, 2}, {1, 2, 3, 4})})[0],
                    f({2, 2, 2}, {1, 2, 3, 4, 4, 6, 4, 6}));
  // [2,1,2] x [2,1]: [1 2].[3 4] = 11, [5 6].[3 4] = 39
  test::expect_near(run_op("MatMul", {f({2, 1, 2}, {1, 2, 5, 6}), f({2, 1}, {3, 4})})[0], f({2, 1, 1}, {11, 39}));
  // both sides broadcast: A [2,1,1,2] (a0 = [1 2], a1 = [3 4]) x B [3,2,1] (b0 = [1 0], b1 = [0 1],
  // b2 = [1 1]) -> [2,3,1,1] with y[i][j] = a_i . b_j
  test::expect_near(run_op("MatMul", {f({2, 1, 1, 2}, {1, 2, 3, 4}), f({3, 2, 1}, {1, 0, 0, 1, 1, 1})})[0],
                    f({2, 3, 1, 1}, {1, 2, 3, 3, 4, 7}));
  // a 2-D A against batched B: [1 2] x B_i for B_0 = I, B_1 = 2I
  test::expect_near(run_op("MatMul", {f({1, 2}, {1, 2}), f({2, 2, 2}, {1, 0, 0, 1, 2, 0, 0, 2})})[0], f({2, 1, 2}, {1, 2, 2, 4}));
}

TEST(MatMul, IntegerAndDoubleTypes) {
  test::expect_equal(run_op("MatMul", {Tensor::from_vector<int64_t>({1, 2}, {3, -4}), Tensor::from_vector<int64_t>({2, 1}, {5, 6})})[0],
                     Tensor::from_vector<int64_t>({1, 1}, {-9}));
  test::expect_equal(run_op("MatMul", {Tensor::from_vector<uint32_t>({2}, {7, 8}), Tensor::from_vector<uint32_t>({2}, {1, 2})})[0],
                     Tensor::scalar<uint32_t>(23));
  test::expect_near(run_op("MatMul", {Tensor::from_vector<double>({1, 1}, {0.5}), Tensor::from_vector<double>({1, 1}, {0.25})})[0],
                    Tensor::from_vector<double>({1, 1}, {0.125}));
  // integers need MatMul-9
  EXPECT_THROW(run_op("MatMul", {Tensor::from_vector<int64_t>({1}, {1}), Tensor::from_vector<int64_t>({1}, {1})}, {}, 1, 8), Error);
}

TEST(MatMul, RejectsBadShapes) {
  EXPECT_THROW(run_op("MatMul", {f({2, 3}, {1, 2, 3, 4, 5, 6}), f({2, 3}, {1, 2, 3, 4, 5, 6})}), Error);  // K 3 vs 2
  EXPECT_THROW(run_op("MatMul", {f({2, 1, 2}, {1, 2, 3, 4}), f({3, 2, 1}, {1, 2, 3, 4, 5, 6})}), Error);  // batches 2 vs 3
  EXPECT_THROW(run_op("MatMul", {Tensor::scalar<float>(1), f({1}, {1})}), Error);                          // 0-D
  EXPECT_THROW(run_op("MatMul", {f({1}, {1}), Tensor::from_vector<double>({1}, {1})}), Error);              // mixed types
}
