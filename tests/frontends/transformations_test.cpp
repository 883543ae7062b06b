// Each transformation against hand-checked pixels, the ApplyTo subsets, determinism of the
// random ones, and errors with file:line.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "frontends/stimuli/transformation.h"
#include "graph/error.h"

using namespace n2d2;
using namespace n2d2::stimuli;

namespace {

std::unique_ptr<Transformation> make(const std::string& body) {
  static std::vector<ini::Document> docs;  // sections are referenced by the transformations' readers
  docs.push_back(ini::Document::parse_string("[t]\n" + body, "t.ini"));
  return make_transformation(docs.back(), docs.back().at("t"));
}

cv::Mat apply(const Transformation& t, const cv::Mat& m, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  return t.apply(m, rng);
}

cv::Mat u8(int rows, int cols, std::initializer_list<int> v, int channels = 1) {
  cv::Mat m(rows, cols, CV_8UC(channels));
  auto it = v.begin();
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols * channels; ++j) m.ptr<uint8_t>(i)[j] = static_cast<uint8_t>(*it++);
  return m;
}

std::vector<float> values(const cv::Mat& m) {
  cv::Mat f;
  m.convertTo(f, CV_32F);
  std::vector<float> r;
  for (int i = 0; i < f.rows; ++i)
    for (int j = 0; j < f.cols * f.channels(); ++j) r.push_back(f.ptr<float>(i)[j]);
  return r;
}

void expect_error(const std::string& body, const std::string& needle) {
  try {
    make(body);
    FAIL() << "no error for: " << body;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Transformations, RescaleBilinearHandChecked) {
  cv::Mat m = (cv::Mat_<float>(2, 2) << 0, 100, 100, 200);
  cv::Mat out = apply(*make("Type=RescaleTransformation\nWidth=4\nHeight=4\n"), m);
  ASSERT_EQ(out.size(), cv::Size(4, 4));
  // Half-pixel centres: source x = (x + 0.5) / 2 - 0.5, clamped at the borders.
  EXPECT_EQ(values(out), (std::vector<float>{0, 25, 75, 100, 25, 50, 100, 125, 75, 100, 150, 175, 100, 125, 175, 200}));
  cv::Mat wide(10, 20, CV_8U, cv::Scalar(7));
  cv::Mat kept = apply(*make("Type=RescaleTransformation\nWidth=8\nHeight=8\nKeepAspectRatio=1\n"), wide);
  EXPECT_EQ(kept.size(), cv::Size(8, 4));  // fits inside 8x8
  cv::Mat cover = apply(*make("Type=RescaleTransformation\nWidth=8\nHeight=8\nKeepAspectRatio=1\nResizeToFit=0\n"), wide);
  EXPECT_EQ(cover.size(), cv::Size(16, 8));
}

TEST(Transformations, PadCropIsCentred) {
  cv::Mat m = u8(2, 3, {1, 2, 3, 4, 5, 6});
  cv::Mat padded = apply(*make("Type=PadCropTransformation\nWidth=5\nHeight=2\nBorderType=ConstantBorder\nBorderValue=9\n"), m);
  EXPECT_EQ(values(padded), (std::vector<float>{9, 1, 2, 3, 9, 9, 4, 5, 6, 9}));
  cv::Mat cropped = apply(*make("Type=PadCropTransformation\nWidth=1\nHeight=2\n"), m);
  EXPECT_EQ(values(cropped), (std::vector<float>{2, 5}));
  cv::Mat reflect = apply(*make("Type=PadCropTransformation\nWidth=5\nHeight=2\n"), m);  // MinusOneReflectBorder
  EXPECT_EQ(values(reflect), (std::vector<float>{2, 1, 2, 3, 2, 5, 4, 5, 6, 5}));
}

TEST(Transformations, ColorSpaceAndChannelExtraction) {
  cv::Mat bgr = u8(1, 1, {10, 20, 255}, 3);
  EXPECT_EQ(values(apply(*make("Type=ColorSpaceTransformation\nColorSpace=RGB\n"), bgr)), (std::vector<float>{255, 20, 10}));
  EXPECT_EQ(values(apply(*make("Type=ChannelExtractionTransformation\nCSChannel=Red\n"), bgr)), (std::vector<float>{255}));
  // Gray = 0.299 R + 0.587 G + 0.114 B = 76.245 + 11.74 + 1.14 = 89.1 -> 89.
  EXPECT_EQ(values(apply(*make("Type=ChannelExtractionTransformation\nCSChannel=Gray\n"), bgr)), (std::vector<float>{89}));
  cv::Mat gray = u8(1, 2, {3, 4});
  EXPECT_EQ(values(apply(*make("Type=ColorSpaceTransformation\nColorSpace=BGR\n"), gray)), (std::vector<float>{3, 3, 3, 4, 4, 4}));
  EXPECT_THROW(apply(*make("Type=ColorSpaceTransformation\nColorSpace=HSV\n"), gray), Error);
}

TEST(Transformations, RangeAffineMakesFloat) {
  cv::Mat m = u8(1, 3, {0, 128, 192});
  cv::Mat out = apply(*make("Type=RangeAffineTransformation\nFirstOperator=Minus\nFirstValue=128\nSecondOperator=Divides\nSecondValue=128\n"), m);
  EXPECT_EQ(out.depth(), CV_32F);
  EXPECT_EQ(values(out), (std::vector<float>{-1, 0, 0.5f}));
  cv::Mat bgr = u8(1, 1, {10, 20, 30}, 3);
  EXPECT_EQ(values(apply(*make("Type=RangeAffineTransformation\nFirstOperator=Plus\nFirstValue=1 2 3\n"), bgr)),
            (std::vector<float>{11, 22, 33}));
}

TEST(Transformations, SliceExtractionOffsetsAndPadding) {
  cv::Mat m = u8(3, 4, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  EXPECT_EQ(values(apply(*make("Type=SliceExtractionTransformation\nWidth=2\nHeight=2\nOffsetX=1\nOffsetY=1\n"), m)),
            (std::vector<float>{6, 7, 10, 11}));
  auto random = make("Type=SliceExtractionTransformation\nWidth=2\nHeight=2\nRandomOffsetX=1\nRandomOffsetY=1\n");
  EXPECT_EQ(values(apply(*random, m, 5)), values(apply(*random, m, 5)));  // same seed, same slice
  bool differs = false;
  for (uint64_t s = 1; s < 20 && !differs; ++s) differs = values(apply(*random, m, s)) != values(apply(*random, m, 0));
  EXPECT_TRUE(differs);
  EXPECT_THROW(apply(*make("Type=SliceExtractionTransformation\nWidth=5\nHeight=2\n"), m), Error);
  cv::Mat padded = apply(*make("Type=SliceExtractionTransformation\nWidth=5\nHeight=1\nAllowPadding=1\nBorderType=ConstantBorder\n"), m);
  EXPECT_EQ(values(padded), (std::vector<float>{1, 2, 3, 4, 0}));
}

TEST(Transformations, FlipDistortionEqualize) {
  cv::Mat m = u8(2, 3, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(values(apply(*make("Type=FlipTransformation\nHorizontalFlip=1\n"), m)), (std::vector<float>{3, 2, 1, 6, 5, 4}));
  EXPECT_EQ(values(apply(*make("Type=FlipTransformation\nVerticalFlip=1\n"), m)), (std::vector<float>{4, 5, 6, 1, 2, 3}));
  cv::Mat f = (cv::Mat_<float>(3, 3) << 1, 2, 3, 4, 5, 6, 7, 8, 9);
  EXPECT_EQ(values(apply(*make("Type=DistortionTransformation\n"), f)), values(f));  // nothing enabled: identity
  auto rot = make("Type=DistortionTransformation\nRotation=30\nElasticScaling=2\nElasticGaussianSize=3\n");
  EXPECT_EQ(values(apply(*rot, f, 3)), values(apply(*rot, f, 3)));
  EXPECT_NE(values(apply(*rot, f, 3)), values(apply(*rot, f, 4)));
  // Histogram: cdf 1,2,3,4 of 4 pixels -> (cdf - 1) * 255 / 3.
  EXPECT_EQ(values(apply(*make("Type=EqualizeTransformation\n"), u8(1, 4, {10, 20, 30, 40}))), (std::vector<float>{0, 85, 170, 255}));
}

TEST(Transformations, ApplyToSelectsSubsets) {
  auto t = make("Type=FlipTransformation\nApplyTo=LearnOnly\n");
  EXPECT_TRUE(t->applies_to(Subset::Learn));
  EXPECT_FALSE(t->applies_to(Subset::Test));
  auto n = make("Type=FlipTransformation\nApplyTo=NoLearn\n");
  EXPECT_FALSE(n->applies_to(Subset::Learn));
  EXPECT_TRUE(n->applies_to(Subset::Validation));
  EXPECT_TRUE(n->applies_to(Subset::Test));
}

TEST(Transformations, ErrorsNameFileLineAndSuggest) {
  expect_error("Type=RescaleTransform\n", "t.ini:2");
  expect_error("Type=RescaleTransformation\nWidth=4\nHeigth=4\n", "Height");  // misspelled: suggestion
  expect_error("Type=RescaleTransformation\nWidth=4\n", "needs Width and Height");
  expect_error("Type=FlipTransformation\nApplyTo=Learn\n", "ApplyTo");
  expect_error("Type=SliceExtractionTransformation\nWidth=2\nHeight=2\nRandomRotation=1\n", "not supported");
  expect_error("Type=RangeAffineTransformation\nFirstOperator=Minus\nFirstValue=abc\n", "not a number");
}
