// Conv: hand-computed cases (padding modes, strides, dilations, groups, 1-D to 3-D), the
// pointwise (matrix product) paths, a comparison with the definition over many geometries, thread
// independence and the shapes shape inference rejects.
#include <array>

#include <tbb/task_arena.h>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {
using ints = std::vector<int64_t>;
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
// x = 1x1x3x3 [[1 2 3], [4 5 6], [7 8 9]]
Tensor x33() { return f({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }
// w = [[1 0], [0 1]]: y[i][j] = x[i][j] + x[i+1][j+1]
Tensor diag2() { return f({1, 1, 2, 2}, {1, 0, 0, 1}); }

// The definition, in double: y[n][m][o] = b[m] + sum over c in m's group and taps k of
// x[n][c][o * stride - pad_begin + k * dilation] * w[m][c][k], out-of-range taps reading 0.
// Shapes are N x C x D x H x W (1-D and 2-D problems use leading 1s).
Tensor conv_definition(const Tensor& x, const Tensor& w, const Tensor* b, Shape out, std::array<int64_t, 3> s,
                       std::array<int64_t, 3> d, std::array<int64_t, 3> p, int64_t group) {
  const Shape &xs = x.shape(), &ws = w.shape();
  Tensor y(DType::F32, out);
  int64_t cin_g = xs[1] / group, cout_g = out[1] / group;
  for (int64_t n = 0; n < out[0]; ++n)
    for (int64_t m = 0; m < out[1]; ++m)
      for (int64_t od = 0; od < out[2]; ++od)
        for (int64_t oh = 0; oh < out[3]; ++oh)
          for (int64_t ow = 0; ow < out[4]; ++ow) {
            double acc = b ? b->data<float>()[m] : 0.0;
            for (int64_t ic = 0; ic < cin_g; ++ic)
              for (int64_t kd = 0; kd < ws[2]; ++kd)
                for (int64_t kh = 0; kh < ws[3]; ++kh)
                  for (int64_t kw = 0; kw < ws[4]; ++kw) {
                    int64_t id = od * s[0] - p[0] + kd * d[0], ih = oh * s[1] - p[1] + kh * d[1], iw = ow * s[2] - p[2] + kw * d[2];
                    if (id < 0 || id >= xs[2] || ih < 0 || ih >= xs[3] || iw < 0 || iw >= xs[4]) continue;
                    int64_t c = (m / cout_g) * cin_g + ic;
                    acc += static_cast<double>(x.data<float>()[(((n * xs[1] + c) * xs[2] + id) * xs[3] + ih) * xs[4] + iw]) *
                           w.data<float>()[(((m * ws[1] + ic) * ws[2] + kd) * ws[3] + kh) * ws[4] + kw];
                  }
            y.data_mut<float>()[(((n * out[1] + m) * out[2] + od) * out[3] + oh) * out[4] + ow] = static_cast<float>(acc);
          }
  return y;
}
}  // namespace

TEST(Conv, ValidConvolutionWithBias) {
  // [[1+5, 2+6], [4+8, 5+9]] + 10
  test::expect_near(run_op("Conv", {x33(), diag2(), f({1}, {10})})[0], f({1, 1, 2, 2}, {16, 18, 22, 24}));
}

TEST(Conv, ExplicitPadsAndStrides) {
  // pads 1 everywhere, stride 2: windows start at (-1,-1), (-1,1), (1,-1), (1,1):
  // x[-1][-1] + x[0][0] = 1, x[-1][1] + x[0][2] = 3, x[1][-1] + x[2][0] = 7, x[1][1] + x[2][2] = 14
  test::expect_near(run_op("Conv", {x33(), diag2()}, attrs({{"pads", ints{1, 1, 1, 1}}, {"strides", ints{2, 2}}}))[0],
                    f({1, 1, 2, 2}, {1, 3, 7, 14}));
  // pads 1 row above and below, none on columns, column stride 2: 4 rows starting at -1, 0, 1, 2
  // and one column window: y[r] = x[r][0] + x[r+1][1] = [0 + 2, 1 + 5, 4 + 8, 7 + 0]
  test::expect_near(run_op("Conv", {x33(), diag2()}, attrs({{"pads", ints{1, 0, 1, 0}}, {"strides", ints{1, 2}}}))[0],
                    f({1, 1, 4, 1}, {2, 6, 12, 7}));
}

TEST(Conv, AutoPadModes) {
  // 2x2 kernel, stride 1: SAME keeps 3x3 with one row/column of padding.
  // SAME_UPPER pads after: y[i][j] = x[i][j] + x[i+1][j+1] (0 outside).
  test::expect_near(run_op("Conv", {x33(), diag2()}, attrs({{"auto_pad", std::string("SAME_UPPER")}}))[0],
                    f({1, 1, 3, 3}, {6, 8, 3, 12, 14, 6, 7, 8, 9}));
  // SAME_LOWER pads before: y[i][j] = x[i-1][j-1] + x[i][j].
  test::expect_near(run_op("Conv", {x33(), diag2()}, attrs({{"auto_pad", std::string("SAME_LOWER")}}))[0],
                    f({1, 1, 3, 3}, {1, 2, 3, 4, 6, 8, 7, 12, 14}));
  // VALID ignores pads; stride 2 leaves one window: 1 + 5
  test::expect_near(run_op("Conv", {x33(), diag2()},
                           attrs({{"auto_pad", std::string("VALID")}, {"strides", ints{2, 2}}, {"pads", ints{1, 1, 1, 1}}}))[0],
                    f({1, 1, 1, 1}, {6}));
}

TEST(Conv, Dilations) {
  // 2x2 kernel with dilation 2 spans the whole 3x3 input: x[0][0] + x[2][2] = 10
  test::expect_near(run_op("Conv", {x33(), diag2()}, attrs({{"dilations", ints{2, 2}}}))[0], f({1, 1, 1, 1}, {10}));
  // dilation on one axis: rows 0 and 2, columns j and j+1: [1 + 8, 2 + 9]
  test::expect_near(run_op("Conv", {x33(), diag2()}, attrs({{"dilations", ints{2, 1}}}))[0], f({1, 1, 1, 2}, {9, 11}));
}

TEST(Conv, GroupsAndDepthwise) {
  // group 2 over 4 channels [1 2 3 4]: output 0 = 1*1 + 1*2, output 1 = 1*3 - 1*4
  test::expect_near(run_op("Conv", {f({1, 4, 1, 1}, {1, 2, 3, 4}), f({2, 2, 1, 1}, {1, 1, 1, -1})}, attrs({{"group", int64_t{2}}}))[0],
                    f({1, 2, 1, 1}, {3, -1}));
  // depthwise 3x1 kernel [1 1 1] per channel with pads 1 on rows: running sums of 3 rows
  Tensor x = f({1, 2, 3, 1}, {1, 2, 3, 10, 20, 30});
  test::expect_near(run_op("Conv", {x, f({2, 1, 3, 1}, {1, 1, 1, 1, 1, 1})}, attrs({{"group", int64_t{2}}, {"pads", ints{1, 0, 1, 0}}}))[0],
                    f({1, 2, 3, 1}, {3, 6, 5, 30, 60, 50}));
  // depth multiplier 2: channel c feeds outputs 2c and 2c+1
  test::expect_near(run_op("Conv", {f({1, 2, 1, 1}, {1, 2}), f({4, 1, 1, 1}, {1, 2, 3, 4})}, attrs({{"group", int64_t{2}}}))[0],
                    f({1, 4, 1, 1}, {1, 2, 6, 8}));
}

TEST(Conv, OneAndThreeSpatialAxes) {
  // 1-D: [1 2 3 4] * [1 -1] -> [-1 -1 -1]
  test::expect_near(run_op("Conv", {f({1, 1, 4}, {1, 2, 3, 4}), f({1, 1, 2}, {1, -1})})[0], f({1, 1, 3}, {-1, -1, -1}));
  // 3-D: a 2x2x2 kernel of ones over the 2x2x2 cube 1..8 sums it: 36
  std::vector<float> cube = {1, 2, 3, 4, 5, 6, 7, 8};
  test::expect_near(run_op("Conv", {f({1, 1, 2, 2, 2}, cube), f({1, 1, 2, 2, 2}, std::vector<float>(8, 1))})[0],
                    f({1, 1, 1, 1, 1}, {36}));
  // 3-D with a 1x1x2 kernel: pairs along the last axis
  test::expect_near(run_op("Conv", {f({1, 1, 2, 2, 2}, cube), f({1, 1, 1, 1, 2}, {1, 1})})[0],
                    f({1, 1, 2, 2, 1}, {3, 7, 11, 15}));
}

TEST(Conv, PointwiseConvolutions) {
  // 1x1 kernel, two images: y[n][m] = sum_c w[m][c] x[n][c] + b[m]. Image 0 = [1 2] at both
  // positions, image 1 = [3 -1]; w = [[1 1], [2 -1]], b = [0.5 -1]
  Tensor x = f({2, 2, 1, 2}, {1, 1, 2, 2, 3, 3, -1, -1});
  Tensor w = f({2, 2, 1, 1}, {1, 1, 2, -1}), b = f({2}, {0.5f, -1});
  test::expect_near(run_op("Conv", {x, w, b})[0], f({2, 2, 1, 2}, {3.5f, 3.5f, -1, -1, 2.5f, 2.5f, 6, 6}));
  // grouped 1x1 (a path of its own): group 2, one channel each: [2 * 1, 3 * 2] at both positions
  test::expect_near(run_op("Conv", {f({1, 2, 1, 2}, {1, 1, 2, 2}), f({2, 1, 1, 1}, {2, 3})}, attrs({{"group", int64_t{2}}}))[0],
                    f({1, 2, 1, 2}, {2, 2, 6, 6}));
  // float64 takes the reference product
  Tensor xd = Tensor::from_vector<double>({1, 2, 1, 1}, {1, 2}), wd = Tensor::from_vector<double>({1, 2, 1, 1}, {3, 4});
  test::expect_near(run_op("Conv", {xd, wd})[0], Tensor::from_vector<double>({1, 1, 1, 1}, {11}));
}

TEST(Conv, PointwiseMatchesDefinitionOnOddShapes) {
  // 1x1 convolutions read the input in place (the packed kernels); check them against the definition.
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

TEST(Conv, MatchesTheDefinitionOverGeometries) {
  struct Case {
    Shape x, w;
    std::array<int64_t, 3> s, d, pb, pe;
    int64_t group;
  };
  // N x C x D x H x W shapes, D = 1 for planar problems.
  const Case cases[] = {
      {{1, 3, 1, 7, 9}, {4, 3, 1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}, 1},     // 3x3 "same"
      {{2, 4, 1, 8, 7}, {6, 2, 1, 3, 2}, {1, 2, 3}, {1, 1, 2}, {0, 2, 0}, {0, 0, 3}, 2},     // strides, dilation, odd pads, groups
      {{1, 4, 1, 9, 9}, {4, 1, 1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}, 4},     // depthwise stride 2
      {{1, 2, 5, 4, 6}, {3, 2, 2, 3, 2}, {2, 1, 2}, {2, 1, 1}, {1, 0, 1}, {0, 2, 1}, 1},     // 3-D
      {{1, 3, 1, 1, 40}, {2, 3, 1, 1, 5}, {1, 1, 3}, {1, 1, 2}, {0, 0, 4}, {0, 0, 0}, 1},    // long rows, stride 3
      {{1, 2, 1, 5, 5}, {2, 2, 1, 1, 1}, {1, 2, 2}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}, 1},     // strided 1x1
  };
  uint64_t seed = 100;
  for (const Case& c : cases) {
    Tensor x = test::random_tensor(c.x, seed++), w = test::random_tensor(c.w, seed++), b = test::random_tensor({c.w[0]}, seed++);
    ints strides(c.s.begin(), c.s.end()), dil(c.d.begin(), c.d.end()), pads(c.pb.begin(), c.pb.end());
    pads.insert(pads.end(), c.pe.begin(), c.pe.end());
    Tensor y = run_op("Conv", {x, w, b}, attrs({{"strides", strides}, {"dilations", dil}, {"pads", pads}, {"group", c.group}}))[0];
    Shape out = y.shape();
    SCOPED_TRACE(shape_str(c.x) + " * " + shape_str(c.w) + " -> " + shape_str(out));
    for (int a = 0; a < 3; ++a)
      EXPECT_EQ(out[2 + a], (c.x[2 + a] + c.pb[a] + c.pe[a] - (c.w[2 + a] - 1) * c.d[a] - 1) / c.s[a] + 1);
    test::expect_near(y, conv_definition(x, w, &b, out, c.s, c.d, c.pb, c.group), 1e-5, 1e-5);
  }
}

TEST(Conv, LargeProblemIsIndependentOfThreads) {
  // 2x16x17x19 conv 3x3 pad 1, 8 outputs: the same bits in arenas of 1 and 2 threads.
  Tensor x = test::random_tensor({2, 16, 17, 19}, 3), w = test::random_tensor({8, 16, 3, 3}, 4);
  graph::Attributes a = attrs({{"pads", ints{1, 1, 1, 1}}});
  Tensor y1, y2;
  tbb::task_arena(1).execute([&] { y1 = run_op("Conv", {x, w}, a)[0]; });
  tbb::task_arena(2).execute([&] { y2 = run_op("Conv", {x, w}, a)[0]; });
  test::expect_equal(y1, y2);
}

TEST(Conv, RejectsInconsistentShapesAndAttributes) {
  Tensor x = f({1, 2, 1, 2}, {1, 2, 10, 20});
  EXPECT_THROW(run_op("Conv", {x, f({2, 3, 1, 1}, {1, 1, 1, 1, 1, 1})}), Error);                   // 2 channels, W wants 3
  EXPECT_THROW(run_op("Conv", {x, f({1, 2, 1}, {1, 1})}), Error);                                   // W rank differs
  EXPECT_THROW(run_op("Conv", {x, f({1, 2, 1, 1}, {1, 1}), f({2}, {0, 0})}), Error);                 // 2 biases, 1 output
  EXPECT_THROW(run_op("Conv", {x, f({3, 1, 1, 1}, {1, 1, 1})}, attrs({{"group", int64_t{2}}})), Error);  // 3 outputs, 2 groups
  EXPECT_THROW(run_op("Conv", {x33(), f({1, 1, 4, 4}, std::vector<float>(16, 1))}), Error);          // window > input
  EXPECT_THROW(run_op("Conv", {x33(), diag2()}, attrs({{"kernel_shape", ints{3, 3}}})), Error);      // disagrees with W
  EXPECT_THROW(run_op("Conv", {x33(), diag2()}, attrs({{"pads", ints{-1, 0, 0, 0}}})), Error);
  EXPECT_THROW(run_op("Conv", {x33(), diag2()}, attrs({{"strides", ints{1}}})), Error);              // one stride, 2 axes
  EXPECT_THROW(run_op("Conv", {x33(), diag2()}, attrs({{"auto_pad", std::string("SAME")}})), Error);
  EXPECT_THROW(run_op("Conv", {Tensor::from_vector<int32_t>({1, 1, 2, 2}, {1, 2, 3, 4}), diag2()}), Error);
}
