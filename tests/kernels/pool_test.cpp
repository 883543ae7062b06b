// Pooling with hand-computed values: MaxPool (Indices, storage_order, dilations, pads, int8 and
// uint8), AveragePool (count_include_pad, ceil_mode), LpPool, auto_pad, the global forms, 1-D to
// 3-D, and the inputs shape inference rejects.
#include <cmath>
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {
using ints = std::vector<int64_t>;
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
// x = 1x1x3x3 [[1 2 3], [4 5 6], [7 8 9]]
Tensor x33() { return f({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }
// [1 2 3 4] as 1x1x1x4
Tensor row4() { return f({1, 1, 1, 4}, {1, 2, 3, 4}); }
}  // namespace

TEST(MaxPool, WindowsAndIndices) {
  // 2x2 windows, stride 1: maxima at the bottom-right of each window: x[1][1], x[1][2], x[2][1], x[2][2]
  auto mp = run_op("MaxPool", {x33()}, attrs({{"kernel_shape", ints{2, 2}}}), 2, 12);
  test::expect_near(mp[0], f({1, 1, 2, 2}, {5, 6, 8, 9}));
  EXPECT_EQ(mp[1].to_vector<int64_t>(), (ints{4, 5, 7, 8}));  // row-major offsets
  // storage_order=1: column-major offsets h + w * H: (1,1) -> 4, (1,2) -> 7, (2,1) -> 5, (2,2) -> 8
  auto cm = run_op("MaxPool", {x33()}, attrs({{"kernel_shape", ints{2, 2}}, {"storage_order", int64_t{1}}}), 2, 12);
  EXPECT_EQ(cm[1].to_vector<int64_t>(), (ints{4, 7, 5, 8}));
  // Indices count from the start of the tensor: the second channel's offsets start at 4
  auto two = run_op("MaxPool", {f({1, 2, 2, 2}, {1, 2, 3, 4, 8, 7, 6, 5})}, attrs({{"kernel_shape", ints{2, 2}}}), 2, 12);
  test::expect_near(two[0], f({1, 2, 1, 1}, {4, 8}));
  EXPECT_EQ(two[1].to_vector<int64_t>(), (ints{3, 4}));
}

TEST(MaxPool, StridesCeilModeDilationsAndPads) {
  // stride 2 over 3x3: floor keeps one window; ceil_mode adds the clipped ones: [[5 6], [8 9]]
  graph::Attributes s2 = attrs({{"kernel_shape", ints{2, 2}}, {"strides", ints{2, 2}}});
  test::expect_near(run_op("MaxPool", {x33()}, s2, 1, 12)[0], f({1, 1, 1, 1}, {5}));
  s2.set("ceil_mode", int64_t{1});
  test::expect_near(run_op("MaxPool", {x33()}, s2, 1, 12)[0], f({1, 1, 2, 2}, {5, 6, 8, 9}));
  // dilation 2 on 4x4 (1..16): window {x[i][j], x[i][j+2], x[i+2][j], x[i+2][j+2]}: max x[i+2][j+2]
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = static_cast<float>(i + 1);
  test::expect_near(run_op("MaxPool", {f({1, 1, 4, 4}, v)}, attrs({{"kernel_shape", ints{2, 2}}, {"dilations", ints{2, 2}}}), 1, 12)[0],
                    f({1, 1, 2, 2}, {11, 12, 15, 16}));
  // padding never wins, even against negative values: corner window {pad, pad, pad, -1} -> -1
  Tensor neg = f({1, 1, 3, 3}, {-1, -2, -3, -4, -5, -6, -7, -8, -9});
  test::expect_near(run_op("MaxPool", {neg}, attrs({{"kernel_shape", ints{2, 2}}, {"strides", ints{2, 2}}, {"pads", ints{1, 1, 1, 1}}}), 1, 12)[0],
                    f({1, 1, 2, 2}, {-1, -2, -4, -5}));
  // a window wholly in the padding (pads 2, kernel 2): the lowest float, Indices -1
  auto edge = run_op("MaxPool", {f({1, 1, 2}, {1, 2})}, attrs({{"kernel_shape", ints{2}}, {"pads", ints{2, 0}}}), 2, 12);
  EXPECT_EQ(edge[0].to_vector<float>(), (std::vector<float>{std::numeric_limits<float>::lowest(), 1, 2}));
  EXPECT_EQ(edge[1].to_vector<int64_t>(), (ints{-1, 0, 1}));
}

TEST(MaxPool, AutoPad) {
  // kernel [1 2] over [1 2 3 4], stride 1, SAME: one column of padding, after (UPPER) or before (LOWER)
  graph::Attributes a = attrs({{"kernel_shape", ints{1, 2}}, {"auto_pad", std::string("SAME_UPPER")}});
  test::expect_near(run_op("MaxPool", {row4()}, a, 1, 12)[0], f({1, 1, 1, 4}, {2, 3, 4, 4}));
  a.set("auto_pad", std::string("SAME_LOWER"));
  test::expect_near(run_op("MaxPool", {row4()}, a, 1, 12)[0], f({1, 1, 1, 4}, {1, 2, 3, 4}));
  // VALID, stride 2: [max(1,2), max(3,4)]
  a.set("auto_pad", std::string("VALID"));
  a.set("strides", ints{1, 2});
  test::expect_near(run_op("MaxPool", {row4()}, a, 1, 12)[0], f({1, 1, 1, 2}, {2, 4}));
}

TEST(MaxPool, OneAndThreeSpatialAxesAndIntegerTypes) {
  test::expect_near(run_op("MaxPool", {f({1, 1, 3}, {1, 3, 2})}, attrs({{"kernel_shape", ints{2}}}), 1, 12)[0], f({1, 1, 2}, {3, 3}));
  test::expect_near(run_op("MaxPool", {f({1, 1, 2, 2, 2}, {1, 8, 3, 4, 5, 6, 7, 2})}, attrs({{"kernel_shape", ints{2, 2, 2}}}), 1, 12)[0],
                    f({1, 1, 1, 1, 1}, {8}));
  // MaxPool-12 takes int8 and uint8: pairs [200 10] [255 0] and [-128 -1] [5 -7]
  graph::Attributes k2 = attrs({{"kernel_shape", ints{2}}, {"strides", ints{2}}});
  test::expect_equal(run_op("MaxPool", {Tensor::from_vector<uint8_t>({1, 1, 4}, {200, 10, 255, 0})}, k2, 1, 12)[0],
                     Tensor::from_vector<uint8_t>({1, 1, 2}, {200, 255}));
  test::expect_equal(run_op("MaxPool", {Tensor::from_vector<int8_t>({1, 1, 4}, {-128, -1, 5, -7})}, k2, 1, 12)[0],
                     Tensor::from_vector<int8_t>({1, 1, 2}, {-1, 5}));
  // before opset 12, floating types only
  EXPECT_THROW(run_op("MaxPool", {Tensor::from_vector<uint8_t>({1, 1, 4}, {1, 2, 3, 4})}, k2, 1, 11), Error);
}

TEST(AveragePool, PadsCountIncludePadAndCeilMode) {
  // pads 1, stride 2: the corner window holds x[0][0] only: 1 when pads are not counted, 1/4 when they are
  graph::Attributes avg = attrs({{"kernel_shape", ints{2, 2}}, {"pads", ints{1, 1, 1, 1}}, {"strides", ints{2, 2}}});
  test::expect_near(run_op("AveragePool", {x33()}, avg, 1, 11)[0], f({1, 1, 2, 2}, {1, 2.5f, 5.5f, 7}));
  avg.set("count_include_pad", int64_t{1});
  // windows: {1}/4, {2,3}/4, {4,7}/4, {5,6,8,9}/4
  test::expect_near(run_op("AveragePool", {x33()}, avg, 1, 11)[0], f({1, 1, 2, 2}, {0.25f, 1.25f, 2.75f, 7}));
  // ceil_mode over [1..5], kernel 2 stride 2: the last window holds 5 alone, padding or not
  Tensor x5 = f({1, 1, 5}, {1, 2, 3, 4, 5});
  graph::Attributes ceil = attrs({{"kernel_shape", ints{2}}, {"strides", ints{2}}, {"ceil_mode", int64_t{1}}});
  test::expect_near(run_op("AveragePool", {x5}, ceil, 1, 11)[0], f({1, 1, 3}, {1.5f, 3.5f, 5}));
  ceil.set("count_include_pad", int64_t{1});
  test::expect_near(run_op("AveragePool", {x5}, ceil, 1, 11)[0], f({1, 1, 3}, {1.5f, 3.5f, 5}));
  // SAME_UPPER: the last window [4, pad] averages 4 alone
  test::expect_near(
      run_op("AveragePool", {row4()}, attrs({{"kernel_shape", ints{1, 2}}, {"auto_pad", std::string("SAME_UPPER")}}), 1, 11)[0],
      f({1, 1, 1, 4}, {1.5f, 2.5f, 3.5f, 4}));
  // float64, 3-D: the mean of 1..8
  Tensor cube = Tensor::from_vector<double>({1, 1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  test::expect_near(run_op("AveragePool", {cube}, attrs({{"kernel_shape", ints{2, 2, 2}}}), 1, 11)[0],
                    Tensor::from_vector<double>({1, 1, 1, 1, 1}, {4.5}));
}

TEST(LpPool, NormsOfWindows) {
  // p = 2 over [3 4]: 5; p = 1 sums magnitudes: |-3| + 4 = 7; p = 3 over [1 2]: 9^(1/3)
  graph::Attributes k2 = attrs({{"kernel_shape", ints{2}}});
  test::expect_near(run_op("LpPool", {f({1, 1, 2}, {3, 4})}, k2, 1, 11)[0], f({1, 1, 1}, {5}));
  k2.set("p", int64_t{1});
  test::expect_near(run_op("LpPool", {f({1, 1, 2}, {-3, 4})}, k2, 1, 11)[0], f({1, 1, 1}, {7}));
  k2.set("p", int64_t{3});
  test::expect_near(run_op("LpPool", {f({1, 1, 2}, {1, 2})}, k2, 1, 11)[0], f({1, 1, 1}, {std::cbrt(9.f)}));
  k2.set("p", int64_t{0});
  EXPECT_THROW(run_op("LpPool", {f({1, 1, 2}, {1, 2})}, k2, 1, 11), Error);
}

TEST(GlobalPool, WholePlanes) {
  test::expect_near(run_op("GlobalAveragePool", {x33()})[0], f({1, 1, 1, 1}, {5}));
  test::expect_near(run_op("GlobalMaxPool", {x33()})[0], f({1, 1, 1, 1}, {9}));
  // GlobalLpPool p = 2 per channel: [3 4] -> 5, [6 8] -> 10
  test::expect_near(run_op("GlobalLpPool", {f({1, 2, 2}, {3, 4, 6, 8})})[0], f({1, 2, 1}, {5, 10}));
  // 3-D input, two images: means 2.5 and 6.5 (ones per image: 1..4 and 5..8)
  test::expect_near(run_op("GlobalAveragePool", {f({2, 1, 2, 2, 1}, {1, 2, 3, 4, 5, 6, 7, 8})})[0], f({2, 1, 1, 1, 1}, {2.5f, 6.5f}));
}

TEST(Pool, RejectsBadInputsAndAttributes) {
  graph::Attributes k2 = attrs({{"kernel_shape", ints{2, 2}}});
  EXPECT_THROW(run_op("MaxPool", {f({1, 4}, {1, 2, 3, 4})}, attrs({{"kernel_shape", ints{2}}}), 1, 12), Error);  // no spatial axis
  EXPECT_THROW(run_op("MaxPool", {x33()}, {}, 1, 12), Error);                                                    // kernel_shape missing
  EXPECT_THROW(run_op("MaxPool", {x33()}, attrs({{"kernel_shape", ints{4, 4}}}), 1, 12), Error);               // window > input
  EXPECT_THROW(run_op("MaxPool", {x33()}, attrs({{"kernel_shape", ints{2}}}), 1, 12), Error);                  // 1 dim, 2 axes
  EXPECT_THROW(run_op("MaxPool", {x33()}, attrs({{"kernel_shape", ints{0, 2}}}), 1, 12), Error);
  EXPECT_THROW(run_op("MaxPool", {x33()}, attrs({{"kernel_shape", ints{2, 2}}, {"storage_order", int64_t{2}}}), 1, 12), Error);
  EXPECT_THROW(run_op("AveragePool", {Tensor::from_vector<int8_t>({1, 1, 2, 2}, {1, 2, 3, 4})}, k2, 1, 11), Error);
  EXPECT_THROW(run_op("GlobalAveragePool", {f({2}, {1, 2})}), Error);
}
