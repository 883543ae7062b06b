// nn family with hand-computed values.
#include <array>
#include <cmath>

#include <tbb/task_arena.h>

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
using ints = std::vector<int64_t>;
// x = 1x1x3x3 [[1 2 3], [4 5 6], [7 8 9]]
Tensor x33() { return f({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }
}  // namespace

TEST(Conv, ValidSamePaddingStridesAndBias) {
  Tensor w = f({1, 1, 2, 2}, {1, 0, 0, 1});  // x[i][j] + x[i+1][j+1]
  // valid: [[1+5, 2+6], [4+8, 5+9]] + bias 10
  test::expect_near(run_op("Conv", {x33(), w, f({1}, {10})})[0], f({1, 1, 2, 2}, {16, 18, 22, 24}));
  // pads 1 on every side, stride 2: outputs at (-1,-1), (-1,1), (1,-1), (1,1) -> [[0+1, 0+3], [0+7, 5+0]]... computed:
  // (-1,-1): x[-1][-1] + x[0][0] = 1; (-1,1): x[-1][1] + x[0][2] = 3; (1,-1): x[1][-1] + x[2][0] = 7; (1,1): x[1][1] + x[2][2] = 14
  test::expect_near(run_op("Conv", {x33(), w}, attrs({{"pads", ints{1, 1, 1, 1}}, {"strides", ints{2, 2}}}))[0],
                    f({1, 1, 2, 2}, {1, 3, 7, 14}));
  // SAME_UPPER keeps 3x3: padding at the end only; bottom-right = x[2][2] + 0 = 9
  Tensor same = run_op("Conv", {x33(), w}, attrs({{"auto_pad", std::string("SAME_UPPER")}}))[0];
  EXPECT_EQ(same.shape(), (Shape{1, 1, 3, 3}));
  EXPECT_EQ(same.to_vector<float>()[8], 9.f);
  EXPECT_EQ(same.to_vector<float>()[0], 6.f);
  // dilation 2 with a 2x2 kernel: x[0][0] + x[2][2] = 10
  test::expect_near(run_op("Conv", {x33(), w}, attrs({{"dilations", ints{2, 2}}}))[0], f({1, 1, 1, 1}, {10}));
}

TEST(Conv, GroupsAndDepthwise) {
  // two channels, depthwise 1x1 weights 2 and 3
  Tensor x = f({1, 2, 1, 2}, {1, 2, 10, 20});
  test::expect_near(run_op("Conv", {x, f({2, 1, 1, 1}, {2, 3})}, attrs({{"group", int64_t{2}}}))[0],
                    f({1, 2, 1, 2}, {2, 4, 30, 60}));
  EXPECT_THROW(run_op("Conv", {x, f({2, 3, 1, 1}, {1, 1, 1, 1, 1, 1})}), Error);  // channel mismatch
}

TEST(Conv, OneDimensionalAndTransposed) {
  // 1-D: [1 2 3 4] * [1 -1] -> [-1 -1 -1]
  test::expect_near(run_op("Conv", {f({1, 1, 4}, {1, 2, 3, 4}), f({1, 1, 2}, {1, -1})})[0], f({1, 1, 3}, {-1, -1, -1}));
  // ConvTranspose stride 2 of [1 2] with kernel [1 1]: [1 1 2 2]
  test::expect_near(run_op("ConvTranspose", {f({1, 1, 2}, {1, 2}), f({1, 1, 2}, {1, 1})}, attrs({{"strides", ints{2}}}))[0],
                    f({1, 1, 4}, {1, 1, 2, 2}));
  // stride 1 overlaps add: [1 2] * [1 1] -> [1 3 2]
  test::expect_near(run_op("ConvTranspose", {f({1, 1, 2}, {1, 2}), f({1, 1, 2}, {1, 1})})[0], f({1, 1, 3}, {1, 3, 2}));
}

TEST(Gemm, TransposesAlphaBetaAndBroadcastC) {
  Tensor a = f({2, 2}, {1, 2, 3, 4}), b = f({2, 2}, {5, 6, 7, 8});
  // A*B = [[19 22], [43 50]]; with alpha 2, beta 1, C = [1 2] broadcast on rows
  test::expect_near(run_op("Gemm", {a, b, f({2}, {1, 2})}, attrs({{"alpha", 2.f}}))[0], f({2, 2}, {39, 46, 87, 102}));
  // A * B^T = [[17 23], [39 53]]
  test::expect_near(run_op("Gemm", {a, b}, attrs({{"transB", int64_t{1}}}))[0], f({2, 2}, {17, 23, 39, 53}));
  // A^T * B = [[26 30], [38 44]]
  test::expect_near(run_op("Gemm", {a, b}, attrs({{"transA", int64_t{1}}}))[0], f({2, 2}, {26, 30, 38, 44}));
  EXPECT_THROW(run_op("Gemm", {a, f({3, 2}, {1, 2, 3, 4, 5, 6})}), Error);
}

TEST(MatMul, BatchedBroadcastAndVectors) {
  // [2,1,2] x [2,1] -> [2,1,1]: [1 2]·[3 4]=11, [5 6]·[3 4]=39
  test::expect_near(run_op("MatMul", {f({2, 1, 2}, {1, 2, 5, 6}), f({2, 1}, {3, 4})})[0], f({2, 1, 1}, {11, 39}));
  // vector x matrix: [1 2] x [[1 0],[0 1]] = [1 2] (1-D result)
  test::expect_near(run_op("MatMul", {f({2}, {1, 2}), f({2, 2}, {1, 0, 0, 1})})[0], f({2}, {1, 2}));
  EXPECT_THROW(run_op("MatMul", {f({2, 3}, {1, 2, 3, 4, 5, 6}), f({2, 3}, {1, 2, 3, 4, 5, 6})}), Error);
}

TEST(Pool, MaxAverageCeilAndIndices) {
  graph::Attributes k2 = attrs({{"kernel_shape", ints{2, 2}}});
  auto mp = run_op("MaxPool", {x33()}, k2, 2, 12);
  test::expect_near(mp[0], f({1, 1, 2, 2}, {5, 6, 8, 9}));
  EXPECT_EQ(mp[1].to_vector<int64_t>(), (ints{4, 5, 7, 8}));
  // stride 2 + ceil_mode: windows at 0 and 2 -> [[5 6], [8 9]] with the last window clipped
  graph::Attributes ceil = attrs({{"kernel_shape", ints{2, 2}}, {"strides", ints{2, 2}}, {"ceil_mode", int64_t{1}}});
  test::expect_near(run_op("MaxPool", {x33()}, ceil, 1, 12)[0], f({1, 1, 2, 2}, {5, 6, 8, 9}));
  // average with pads 1: corner window covers x[0][0] only (count_include_pad=0) -> 1; with pads counted -> 1/4
  graph::Attributes avg = attrs({{"kernel_shape", ints{2, 2}}, {"pads", ints{1, 1, 1, 1}}, {"strides", ints{2, 2}}});
  EXPECT_EQ(run_op("AveragePool", {x33()}, avg, 1, 11)[0].to_vector<float>()[0], 1.f);
  avg.set("count_include_pad", int64_t{1});
  EXPECT_EQ(run_op("AveragePool", {x33()}, avg, 1, 11)[0].to_vector<float>()[0], 0.25f);
  test::expect_near(run_op("GlobalAveragePool", {x33()})[0], f({1, 1, 1, 1}, {5}));
  test::expect_near(run_op("GlobalMaxPool", {x33()})[0], f({1, 1, 1, 1}, {9}));
}

TEST(Normalization, BatchLayerInstance) {
  // BN: per channel (x - mean) / sqrt(var + eps) * scale + bias; channel 1: (4 - 2)/sqrt(4) * 3 + 1 = 4
  Tensor x = f({1, 2, 1, 1}, {1, 4});
  Tensor y = run_op("BatchNormalization", {x, f({2}, {1, 3}), f({2}, {0, 1}), f({2}, {1, 2}), f({2}, {1, 4})},
                    attrs({{"epsilon", 0.f}}))[0];
  test::expect_near(y, f({1, 2, 1, 1}, {0, 4}));
  // LayerNorm over the last axis of [1 3]: mean 2, var 1 -> [-1, 1]
  auto ln = run_op("LayerNormalization", {f({1, 2}, {1, 3}), f({2}, {1, 1}), f({2}, {0, 0})}, attrs({{"epsilon", 0.f}}), 3, 17);
  test::expect_near(ln[0], f({1, 2}, {-1, 1}));
  test::expect_near(ln[1], f({1, 1}, {2}));
  test::expect_near(ln[2], f({1, 1}, {1}));
  // InstanceNorm of [0 2] per (n, c): [-1 1] * scale 2 + bias 1 = [-1 3]
  test::expect_near(run_op("InstanceNormalization", {f({1, 1, 2}, {0, 2}), f({1}, {2}), f({1}, {1})}, attrs({{"epsilon", 0.f}}))[0],
                    f({1, 1, 2}, {-1, 3}), 1e-5, 1e-5);
}

TEST(Conv, LargeProblemIsIndependentOfThreads) {
  // 2x16x17x19 conv 3x3 pad 1, 8 outputs: the same bits run in arenas of 1 and 2 threads.
  Tensor x = test::random_tensor({2, 16, 17, 19}, 3), w = test::random_tensor({8, 16, 3, 3}, 4);
  graph::Attributes a = attrs({{"pads", ints{1, 1, 1, 1}}});
  Tensor y1, y2;
  tbb::task_arena(1).execute([&] { y1 = run_op("Conv", {x, w}, a)[0]; });
  tbb::task_arena(2).execute([&] { y2 = run_op("Conv", {x, w}, a)[0]; });
  test::expect_equal(y1, y2);
  // Spot-check one output against the definition.
  double ref = 0;
  for (int c = 0; c < 16; ++c)
    for (int kh = 0; kh < 3; ++kh)
      for (int kw = 0; kw < 3; ++kw) {
        int ih = 5 + kh - 1, iw = 7 + kw - 1;
        ref += static_cast<double>(x.data<float>()[((1 * 16 + c) * 17 + ih) * 19 + iw]) * w.data<float>()[((3 * 16 + c) * 3 + kh) * 3 + kw];
      }
  EXPECT_NEAR(y1.data<float>()[((1 * 8 + 3) * 17 + 5) * 19 + 7], ref, 1e-4);
}

TEST(Conv, PointwiseGemmPathMatchesDefinitionOnOddShapes) {
  // 1x1 convolutions take the GEMM path (conv1x1_f32_gemm); check it against the definition.
  for (auto [N, C, M, H, W] : std::vector<std::array<int64_t, 5>>{{1, 3, 5, 7, 9}, {2, 17, 33, 5, 3}, {1, 64, 24, 1, 1}}) {
    Tensor x = test::random_tensor({N, C, H, W}, 11), w = test::random_tensor({M, C, 1, 1}, 12), b = test::random_tensor({M}, 13);
    Tensor y = run_op("Conv", {x, w, b})[0];
    ASSERT_EQ(y.shape(), (Shape{N, M, H, W}));
    for (int64_t n = 0; n < N; ++n)
      for (int64_t m = 0; m < M; ++m)
        for (int64_t i = 0; i < H * W; i += 3) {
          double ref = b.data<float>()[m];
          for (int64_t c = 0; c < C; ++c) ref += static_cast<double>(w.data<float>()[m * C + c]) * x.data<float>()[(n * C + c) * H * W + i];
          ASSERT_NEAR(y.data<float>()[(n * M + m) * H * W + i], ref, 1e-4) << N << "x" << C << "x" << M;
        }
  }
}
