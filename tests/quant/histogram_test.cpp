// Calibration histograms and the clipping thresholds chosen on them.
#include <random>

#include "graph/error.h"
#include "quant/histogram.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::quant;

TEST(Histogram, GrowsByMergingBins) {
  Histogram h(4);
  std::vector<float> a = {0.1f, 0.9f, -0.5f};
  h.add(a);  // range 0.9 (+1e-6): bins of ~0.225: 0.1 -> 0, 0.5 -> 2, 0.9 -> 3
  EXPECT_EQ(h.counts(), (std::vector<uint64_t>{1, 0, 1, 1}));
  std::vector<float> b = {1.7f};
  h.add(b);  // range doubles to ~1.8: old bins merge pairwise, 1.7 -> bin 3
  EXPECT_EQ(h.counts(), (std::vector<uint64_t>{1, 2, 0, 1}));
  EXPECT_EQ(h.total(), 4u);
  EXPECT_FLOAT_EQ(static_cast<float>(h.max_abs()), 1.7f);
  EXPECT_FLOAT_EQ(static_cast<float>(h.min_value()), -0.5f);
}

TEST(Histogram, ThresholdsOfALongTail) {
  // |N(0, 1)|, 100000 values (max ~4.5): at 4 bits (15 levels) MSE and KL-Divergence clip the
  // tail, Quantile 0.99 sits at ~2.58, Max keeps everything.
  std::mt19937 rng(3);
  std::normal_distribution<float> nd(0.f, 1.f);
  std::vector<float> v;
  for (int i = 0; i < 100000; ++i) v.push_back(nd(rng));
  Histogram h;
  h.add(v);
  double mx = h.max_abs();
  EXPECT_GT(mx, 4.0);
  EXPECT_DOUBLE_EQ(clip_threshold(h, Clipping::Max, 15), mx);
  double mse = clip_threshold(h, Clipping::MSE, 15), kl = clip_threshold(h, Clipping::KL, 15);
  EXPECT_GT(mse, 1.5);
  EXPECT_LT(mse, 0.9 * mx);
  EXPECT_GT(kl, 1.0);
  EXPECT_LT(kl, 0.95 * mx);
  EXPECT_NEAR(clip_threshold(h, Clipping::Quantile, 15, 0.99), 2.576, 0.05);
  // More levels: MSE clips less.
  EXPECT_GE(clip_threshold(h, Clipping::MSE, 255), mse);
  // A few huge outliers cost more clipped than rounded: MSE keeps them at 8 bits.
  std::vector<float> out(5, 50.f);
  h.add(out);
  EXPECT_GT(clip_threshold(h, Clipping::MSE, 255), 10.0);
}

TEST(Histogram, EmptyAndBadInput) {
  Histogram h;
  EXPECT_EQ(clip_threshold(h, Clipping::MSE, 255), 0.0);
  std::vector<float> bad = {1.f, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_THROW(h.add(bad), Error);
  EXPECT_THROW(parse_clipping("Median"), Error);
  EXPECT_EQ(parse_clipping("KL-Divergence"), Clipping::KL);
  EXPECT_THROW(Histogram::restore(1.0, 2.0, 0, {1, 2}), Error);  // max above range
}
