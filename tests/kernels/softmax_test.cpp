// Softmax, LogSoftmax and Hardmax with hand-computed values: opset-13 rows along one axis
// (including strided rows of axis 0), opset <13 rows over everything from `axis` on, large
// inputs, float64, and thread independence.
#include <tbb/task_arena.h>

#include <cmath>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {

graph::Attributes axis(int64_t a) {
  graph::Attributes at;
  at.set("axis", a);
  return at;
}
Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }

const float kLn3 = std::log(3.f);

}  // namespace

TEST(Softmax, AlongTheLastAxis) {
  // softmax([0, ln 3]) = [1, 3] / 4; log of it: [ln 1/4, ln 3/4]
  Tensor t = f32({1, 2}, {0, kLn3});
  test::expect_near(run_op("Softmax", {t}, {}, 1, 13)[0], f32({1, 2}, {0.25f, 0.75f}));
  test::expect_near(run_op("LogSoftmax", {t}, {}, 1, 13)[0], f32({1, 2}, {std::log(0.25f), std::log(0.75f)}));
  // the same shifted by 1000: no overflow
  Tensor big = f32({1, 2}, {1000, 1000 + kLn3});
  test::expect_near(run_op("Softmax", {big}, {}, 1, 13)[0], f32({1, 2}, {0.25f, 0.75f}));
  test::expect_near(run_op("LogSoftmax", {big}, {}, 1, 13)[0], f32({1, 2}, {std::log(0.25f), std::log(0.75f)}), 1e-4);
}

TEST(Softmax, AlongAxis0OfAMatrix) {
  // x = [[0, 1], [ln 3, 1]]: column 0 -> [1/4, 3/4], column 1 -> [1/2, 1/2]
  Tensor x = f32({2, 2}, {0, 1, kLn3, 1});
  test::expect_near(run_op("Softmax", {x}, axis(0), 1, 13)[0], f32({2, 2}, {0.25f, 0.5f, 0.75f, 0.5f}));
  test::expect_near(run_op("Hardmax", {x}, axis(0), 1, 13)[0], f32({2, 2}, {0, 1, 1, 0}));
}

TEST(Softmax, Opset11CoercesTo2D) {
  // [1, 2, 2] of zeros: opset 11 axis 1 normalizes over all 4 values, opset 13 over pairs
  Tensor z = f32({1, 2, 2}, {0, 0, 0, 0});
  test::expect_near(run_op("Softmax", {z}, axis(1), 1, 11)[0], f32({1, 2, 2}, {0.25f, 0.25f, 0.25f, 0.25f}));
  test::expect_near(run_op("Softmax", {z}, axis(1), 1, 13)[0], f32({1, 2, 2}, {0.5f, 0.5f, 0.5f, 0.5f}));
  // opset 11's default axis is 1, opset 13's is -1: on [2, 1, 2] zeros, rows of 2 either way
  Tensor w = f32({2, 1, 2}, {0, 0, 0, 0});
  test::expect_near(run_op("LogSoftmax", {w}, {}, 1, 11)[0], f32({2, 1, 2}, {-std::log(2.f), -std::log(2.f), -std::log(2.f), -std::log(2.f)}));
  // Hardmax on [[1, 3], [3, 2]] (shape 1x2x2), axis 1: opset 11 takes the first of the 4 maxima
  // candidates [1, 3, 3, 2] (index 1); opset 13 compares (1, 3) and (3, 2) column-wise.
  Tensor h = f32({1, 2, 2}, {1, 3, 3, 2});
  test::expect_near(run_op("Hardmax", {h}, axis(1), 1, 11)[0], f32({1, 2, 2}, {0, 1, 0, 0}));
  test::expect_near(run_op("Hardmax", {h}, axis(1), 1, 13)[0], f32({1, 2, 2}, {0, 1, 1, 0}));
}

TEST(Softmax, HardmaxTakesTheFirstMaximum) {
  test::expect_near(run_op("Hardmax", {f32({2, 2}, {1, 1, 0, 2})}, {}, 1, 13)[0], f32({2, 2}, {1, 0, 0, 1}));
}

TEST(Softmax, Float64) {
  Tensor d = Tensor::from_vector<double>({3}, {0, std::log(2.0), std::log(5.0)});  // weights 1, 2, 5 of 8
  test::expect_near(run_op("Softmax", {d}, {}, 1, 13)[0], Tensor::from_vector<double>({3}, {0.125, 0.25, 0.625}), 1e-12);
}

TEST(Softmax, SameBitsForAnyThreadCount) {
  Tensor x = test::random_tensor({4, 300, 50}, 11, -5.f, 5.f);
  for (int64_t a : {1, 2}) {
    std::vector<Tensor> y1, y2;
    tbb::task_arena(1).execute([&] { y1 = run_op("Softmax", {x}, axis(a), 1, 13); });
    tbb::task_arena(2).execute([&] { y2 = run_op("Softmax", {x}, axis(a), 1, 13); });
    test::expect_equal(y1[0], y2[0]);
  }
}

TEST(Softmax, RejectsBadAxesAndTypes) {
  EXPECT_THROW(run_op("Softmax", {f32({2, 2}, {0, 0, 0, 0})}, axis(2), 1, 13), Error);
  EXPECT_THROW(run_op("LogSoftmax", {f32({2, 2}, {0, 0, 0, 0})}, axis(-3), 1, 11), Error);
  EXPECT_THROW(run_op("Softmax", {Tensor::from_vector<int32_t>({2}, {1, 2})}, {}, 1, 13), Error);
}
