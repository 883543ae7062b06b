// Normalization with hand-computed values: BatchNormalization (versions, spatial=0, training
// refused), InstanceNormalization, LayerNormalization (axes, broadcast scale, statistics outputs
// and their stash type), LRN, MeanVarianceNormalization, and rejected inputs.
#include <cmath>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {
using ints = std::vector<int64_t>;
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
graph::Attributes no_eps() { return attrs({{"epsilon", 0.f}}); }
}  // namespace

TEST(BatchNormalization, PerChannelAffine) {
  // y = (x - mean) / sqrt(var) * scale + bias per channel. Channel 0: mean 1, var 1, scale 1,
  // bias 0: [1 3] -> [0 2]. Channel 1: mean 2, var 4, scale 3, bias 1: [4 0] -> [4, -2]
  Tensor x = f({1, 2, 1, 2}, {1, 3, 4, 0});
  std::vector<Tensor> in = {x, f({2}, {1, 3}), f({2}, {0, 1}), f({2}, {1, 2}), f({2}, {1, 4})};
  Tensor want = f({1, 2, 1, 2}, {0, 2, 4, -2});
  for (int64_t opset : {7, 9, 14, 15}) {
    SCOPED_TRACE("opset " + std::to_string(opset));
    test::expect_near(run_op("BatchNormalization", in, no_eps(), 1, opset)[0], want);
  }
  // default epsilon 1e-5: channel 0 of x = 3 -> 2 / sqrt(1 + 1e-5)
  EXPECT_NEAR(run_op("BatchNormalization", in)[0].to_vector<float>()[1], 2 / std::sqrt(1 + 1e-5), 1e-6);
  // 2-D input [N, C]
  test::expect_near(run_op("BatchNormalization", {f({1, 2}, {3, 0}), in[1], in[2], in[3], in[4]}, no_eps())[0], f({1, 2}, {2, -2}));
  // float64
  auto d = [](std::vector<double> v) { return Tensor::from_vector<double>({static_cast<int64_t>(v.size())}, v); };
  test::expect_near(run_op("BatchNormalization", {Tensor::from_vector<double>({1, 1, 1}, {5}), d({2}), d({1}), d({1}), d({4})}, no_eps())[0],
                    Tensor::from_vector<double>({1, 1, 1}, {5}));
}

TEST(BatchNormalization, PerActivationBeforeOpset9AndRunningStatistics) {
  // spatial=0 (BatchNormalization-7): one mean/var per channel and position. x = [[1 2]] (C=1, W=2),
  // means [1 0], vars [1 4]: [0, 2 / 2]
  std::vector<Tensor> in = {f({1, 1, 2}, {1, 2}), f({1, 2}, {1, 1}), f({1, 2}, {0, 0}), f({1, 2}, {1, 0}), f({1, 2}, {1, 4})};
  graph::Attributes a = attrs({{"epsilon", 0.f}, {"spatial", int64_t{0}}});
  test::expect_near(run_op("BatchNormalization", in, a, 1, 7)[0], f({1, 1, 2}, {0, 1}));
  // in inference, the running mean/var outputs are the inputs unchanged
  std::vector<Tensor> bn = {f({1, 1, 1}, {3}), f({1}, {1}), f({1}, {0}), f({1}, {2}), f({1}, {1})};
  auto out = run_op("BatchNormalization", bn, no_eps(), 3, 9);
  test::expect_near(out[0], f({1, 1, 1}, {1}));
  test::expect_near(out[1], f({1}, {2}));
  test::expect_near(out[2], f({1}, {1}));
}

TEST(BatchNormalization, RefusesTrainingAndBadParameters) {
  std::vector<Tensor> in = {f({1, 2, 1}, {1, 2}), f({2}, {1, 1}), f({2}, {0, 0}), f({2}, {0, 0}), f({2}, {1, 1})};
  EXPECT_THROW(run_op("BatchNormalization", in, attrs({{"training_mode", int64_t{1}}}), 3, 15), UnsupportedError);
  EXPECT_THROW(run_op("BatchNormalization", in, {}, 5, 9), UnsupportedError);  // saved mean/var: training outputs
  in[3] = f({3}, {0, 0, 0});
  EXPECT_THROW(run_op("BatchNormalization", in), Error);  // 3 means for 2 channels
  in[3] = Tensor::from_vector<double>({2}, {0, 0});
  EXPECT_THROW(run_op("BatchNormalization", in), Error);  // mean of another type (15: allowed by ONNX, not here)
}

TEST(InstanceNormalization, PerImageAndChannel) {
  // each (n, c) row normalized, then * scale[c] + bias[c] (scale [2 1], bias [1 0]).
  // [0 2] and [5 7] -> [-1 1]; [0 4] -> [-1 1]; [-1 3] -> [-1 1]
  Tensor x = f({2, 2, 2}, {0, 2, 5, 7, 0, 4, -1, 3});
  test::expect_near(run_op("InstanceNormalization", {x, f({2}, {2, 1}), f({2}, {1, 0})}, no_eps())[0],
                    f({2, 2, 2}, {-1, 3, -1, 1, -1, 3, -1, 1}));
  // epsilon 1 on [0 2] (var 1): [-1 1] / sqrt(2)
  test::expect_near(run_op("InstanceNormalization", {f({1, 1, 2}, {0, 2}), f({1}, {1}), f({1}, {0})}, attrs({{"epsilon", 1.f}}))[0],
                    f({1, 1, 2}, {-1 / std::sqrt(2.f), 1 / std::sqrt(2.f)}));
  EXPECT_THROW(run_op("InstanceNormalization", {x, f({3}, {1, 1, 1}), f({2}, {0, 0})}), Error);
  EXPECT_THROW(run_op("InstanceNormalization", {f({1, 2}, {1, 2}), f({2}, {1, 1}), f({2}, {0, 0})}), Error);  // no spatial axis
}

TEST(LayerNormalization, AxesScaleBiasAndStatistics) {
  // last axis of [[1 3], [2 6]]: row means 2 and 4, variances 1 and 4 -> [-1 1] both
  auto ln = run_op("LayerNormalization", {f({2, 2}, {1, 3, 2, 6}), f({2}, {1, 1}), f({2}, {0, 0})}, no_eps(), 3, 17);
  test::expect_near(ln[0], f({2, 2}, {-1, 1, -1, 1}));
  test::expect_near(ln[1], f({2, 1}, {2, 4}));
  test::expect_near(ln[2], f({2, 1}, {1, 0.5f}));
  // axis 0 normalizes everything: mean 3, variance (4 + 0 + 1 + 9) / 4 = 3.5; scale [2 x 2] and no B
  Tensor all = run_op("LayerNormalization", {f({2, 2}, {1, 3, 2, 6}), f({2, 2}, {1, 1, 1, 2})}, attrs({{"axis", int64_t{0}}, {"epsilon", 0.f}}))[0];
  float s = 1 / std::sqrt(3.5f);
  test::expect_near(all, f({2, 2}, {-2 * s, 0, -s, 6 * s}));
  // axis 1 of [1, 2, 2] with scale [2] broadcast over [2, 2] and B [1]: each of the 4 values vs mean
  // 2.5, variance 1.25
  Tensor x = f({1, 2, 2}, {1, 2, 3, 4});
  Tensor y = run_op("LayerNormalization", {x, f({2}, {1, 2}), f({1}, {10})}, attrs({{"axis", int64_t{1}}, {"epsilon", 0.f}}))[0];
  float t = 1 / std::sqrt(1.25f);
  test::expect_near(y, f({1, 2, 2}, {10 - 1.5f * t, 10 - 1.0f * t, 10 + 0.5f * t, 10 + 3.0f * t}));
}

TEST(LayerNormalization, StatisticsTakeTheStashType) {
  // float64 input, default stash_type 1: Mean and InvStdDev are float32
  auto ln = run_op("LayerNormalization", {Tensor::from_vector<double>({1, 2}, {1, 3}), Tensor::from_vector<double>({2}, {1, 1})},
                   no_eps(), 3, 17);
  test::expect_near(ln[0], Tensor::from_vector<double>({1, 2}, {-1, 1}));
  test::expect_near(ln[1], f({1, 1}, {2}));
  test::expect_near(ln[2], f({1, 1}, {1}));
  // stash_type 11 (double)
  graph::Attributes a = no_eps();
  a.set("stash_type", int64_t{11});
  auto ld = run_op("LayerNormalization", {f({1, 2}, {1, 3}), f({2}, {1, 1})}, a, 3, 17);
  test::expect_near(ld[1], Tensor::from_vector<double>({1, 1}, {2}));
}

TEST(LayerNormalization, RejectsBadAxesAndScales) {
  Tensor x = f({2, 2}, {1, 2, 3, 4});
  EXPECT_THROW(run_op("LayerNormalization", {x, f({2}, {1, 1})}, attrs({{"axis", int64_t{2}}})), Error);
  EXPECT_THROW(run_op("LayerNormalization", {x, f({3}, {1, 1, 1})}), Error);
  EXPECT_THROW(run_op("LayerNormalization", {x, f({2, 2}, {1, 1, 1, 1})}), Error);  // rank 2 vs 1 normalized dim
  EXPECT_THROW(run_op("LayerNormalization", {x, f({2}, {1, 1})}, attrs({{"stash_type", int64_t{7}}})), UnsupportedError);
}

TEST(LRN, AcrossChannels) {
  // x = [1 2 3] over channels, alpha = size (so alpha / size = 1), beta 1, bias 1:
  // y_c = x_c / (1 + sum of squares over the window around c).
  // size 3 (one channel each side): [1 / (1 + 1 + 4), 2 / (1 + 14), 3 / (1 + 4 + 9)]
  Tensor x = f({1, 3, 1, 1}, {1, 2, 3});
  test::expect_near(run_op("LRN", {x}, attrs({{"size", int64_t{3}}, {"alpha", 3.f}, {"beta", 1.f}}))[0],
                    f({1, 3, 1, 1}, {1.f / 6, 2.f / 15, 3.f / 14}));
  // size 2: floor((2 - 1) / 2) = 0 channels before, ceil(...) = 1 after: [1 / 6, 2 / 14, 3 / 10]
  test::expect_near(run_op("LRN", {x}, attrs({{"size", int64_t{2}}, {"alpha", 2.f}, {"beta", 1.f}}))[0],
                    f({1, 3, 1, 1}, {1.f / 6, 2.f / 14, 3.f / 10}));
  // beta 0.5, bias 0: x_c / sqrt(window sum of squares): [1 / sqrt(5), 2 / sqrt(13), 3 / 3]
  test::expect_near(run_op("LRN", {x}, attrs({{"size", int64_t{2}}, {"alpha", 2.f}, {"beta", 0.5f}, {"bias", 0.f}}))[0],
                    f({1, 3, 1, 1}, {1 / std::sqrt(5.f), 2 / std::sqrt(13.f), 1}));
  EXPECT_THROW(run_op("LRN", {x}, attrs({{"size", int64_t{0}}})), Error);
  EXPECT_THROW(run_op("LRN", {x}), Error);  // size is required
}

TEST(MeanVarianceNormalization, DefaultAndCustomAxes) {
  // default axes {0, 2, 3}: per channel. Channel 0 [1 3]: mean 2, std 1 -> [-1 1]; channel 1
  // [5 5]: std 0 -> 0 / 1e-9 = 0
  Tensor x = f({1, 2, 1, 2}, {1, 3, 5, 5});
  test::expect_near(run_op("MeanVarianceNormalization", {x})[0], f({1, 2, 1, 2}, {-1, 1, 0, 0}));
  // axes {1}: across the two channels at each position: [1 5] and [3 5] -> [-1 1] each
  test::expect_near(run_op("MeanVarianceNormalization", {x}, attrs({{"axes", ints{1}}}))[0], f({1, 2, 1, 2}, {-1, -1, 1, 1}));
  EXPECT_THROW(run_op("MeanVarianceNormalization", {x}, attrs({{"axes", ints{4}}})), Error);
}
