// Resize and Upsample with hand-computed outputs: each nearest rounding, each coordinate
// transform, 2-D bilinear, cubic (with exclude_outside), tf_crop_and_resize extrapolation, the
// legacy Upsample/Resize-10 rounding, integer and bool data, thread independence, bad inputs.
#include <tbb/task_arena.h>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {

Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
Tensor scales(std::vector<float> v) { return Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, v); }
Tensor sizes(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
const Tensor kNone;

// Resize-13 of `x` to the sizes `out`, or by the scales `s`.
Tensor resize_to(const Tensor& x, std::vector<int64_t> out, graph::Attributes a) {
  return run_op("Resize", {x, kNone, kNone, sizes(std::move(out))}, std::move(a), 1, 13)[0];
}
Tensor resize_by(const Tensor& x, std::vector<float> s, graph::Attributes a) {
  return run_op("Resize", {x, kNone, scales(std::move(s))}, std::move(a), 1, 13)[0];
}

}  // namespace

TEST(Resize, NearestRoundings) {
  // default half_pixel + round_prefer_floor, x2: x_in = -0.25, 0.25, 0.75, 1.25 -> 0, 0, 1, 1
  test::expect_near(resize_by(f32({2}, {1, 2}), {2}, {}), f32({4}, {1, 1, 2, 2}));
  // asymmetric x2: x_in = 0, 0.5, 1, 1.5; ties go down (prefer floor) or up (prefer ceil, clamped)
  auto asym = [](const char* m) {
    return attrs({{"coordinate_transformation_mode", std::string("asymmetric")}, {"nearest_mode", std::string(m)}});
  };
  Tensor x2 = f32({2}, {10, 20});
  test::expect_near(resize_by(x2, {2}, asym("round_prefer_floor")), f32({4}, {10, 10, 20, 20}));
  test::expect_near(resize_by(x2, {2}, asym("round_prefer_ceil")), f32({4}, {10, 20, 20, 20}));
  // asymmetric 4 -> 3: x_in = 0, 4/3, 8/3 -> floor 0 1 2, ceil 0 2 3, round_prefer_ceil 0 1 3
  Tensor x4 = f32({4}, {10, 20, 30, 40});
  test::expect_near(resize_to(x4, {3}, asym("floor")), f32({3}, {10, 20, 30}));
  test::expect_near(resize_to(x4, {3}, asym("ceil")), f32({3}, {10, 30, 40}));
  test::expect_near(resize_to(x4, {3}, asym("round_prefer_ceil")), f32({3}, {10, 20, 40}));
}

TEST(Resize, LinearCoordinateTransforms) {
  Tensor x = f32({2}, {1, 3});
  auto linear = [](const char* t) {
    return attrs({{"mode", std::string("linear")}, {"coordinate_transformation_mode", std::string(t)}});
  };
  // half_pixel x2: x_in = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1] -> 1, 1.5, 2.5, 3
  test::expect_near(resize_by(x, {2}, linear("half_pixel")), f32({4}, {1, 1.5f, 2.5f, 3}));
  // asymmetric x2: x_in = 0, 0.5, 1, 1.5 -> 1, 2, 3, 3
  test::expect_near(resize_by(x, {2}, linear("asymmetric")), f32({4}, {1, 2, 3, 3}));
  // align_corners to 3: x_in = 0, 0.5, 1 -> 1, 2, 3
  test::expect_near(resize_to(x, {3}, linear("align_corners")), f32({3}, {1, 2, 3}));
  // to one element: half_pixel reads x_in = 0.5 / 0.5 - 0.5 = 0.5 (2); pytorch_half_pixel 0 (1)
  test::expect_near(resize_to(x, {1}, linear("half_pixel")), f32({1}, {2}));
  test::expect_near(resize_to(x, {1}, linear("pytorch_half_pixel")), f32({1}, {1}));
  // tf_half_pixel_for_nn (Resize-11, whose roi is required, here empty), nearest x2:
  // x_in = 0.25, 0.75, 1.25, 1.75 -> 0, 1, 1, 2 (clamped to 1)
  auto tf = attrs({{"coordinate_transformation_mode", std::string("tf_half_pixel_for_nn")}});
  test::expect_near(run_op("Resize", {x, Tensor(DType::F32, {0}), scales({2})}, tf, 1, 11)[0], f32({4}, {1, 3, 3, 3}));
}

TEST(Resize, Bilinear2D) {
  // [[0, 4], [8, 12]] to 3x3 with align_corners: the midpoints are the averages
  auto a = attrs({{"mode", std::string("linear")}, {"coordinate_transformation_mode", std::string("align_corners")}});
  test::expect_near(resize_to(f32({1, 1, 2, 2}, {0, 4, 8, 12}), {1, 1, 3, 3}, a),
                    f32({1, 1, 3, 3}, {0, 2, 4,
                                       4, 6, 8,
                                       8, 10, 12}));
}

TEST(Resize, Cubic) {
  // x = [0, 1, 2, 3], asymmetric x2: x_in = o / 2. With a = -0.75 the weights at distances
  // 0.5 and 1.5 are 0.59375 and -0.09375. x_in = 0.5 reads x[-1 -> 0], x[0], x[1], x[2]:
  // 0.59375 * 1 - 0.09375 * 2 = 0.40625; x_in = 2.5 reads x[1..4 -> 3]: -0.09375 + 0.59375 * 5
  // - 0.09375 * 3 = 2.59375; x_in = 3.5: -0.09375 * 2 + 0.59375 * 6 - 0.09375 * 3 = 3.09375.
  // Inside, cubic reproduces the line (x_in = 1.5 -> 1.5).
  Tensor x = f32({4}, {0, 1, 2, 3});
  auto cubic = attrs({{"mode", std::string("cubic")}, {"coordinate_transformation_mode", std::string("asymmetric")}});
  test::expect_near(resize_by(x, {2}, cubic), f32({8}, {0, 0.40625f, 1, 1.5f, 2, 2.59375f, 3, 3.09375f}));
  // exclude_outside drops taps outside the input and renormalizes: x_in = 0.5 keeps weights
  // (0.59375, 0.59375, -0.09375) of sum 1.09375: 0.40625 / 1.09375 = 13/35; x_in = 2.5:
  // (-0.09375 + 0.59375 * 5) / 1.09375 = 92/35; x_in = 3.5: (-0.1875 + 1.78125) / 0.5 = 3.1875
  cubic.set("exclude_outside", int64_t{1});
  test::expect_near(resize_by(x, {2}, cubic), f32({8}, {0, 13.f / 35, 1, 1.5f, 2, 92.f / 35, 3, 3.1875f}));
}

TEST(Resize, TfCropAndResizeExtrapolates) {
  // roi [0.5, 1.5] of 4 elements to 3: x_in = 1.5 + o * 1.5 = 1.5, 3, 4.5 (outside -> 7)
  auto a = attrs({{"mode", std::string("linear")},
                  {"coordinate_transformation_mode", std::string("tf_crop_and_resize")},
                  {"extrapolation_value", 7.f}});
  Tensor roi = Tensor::from_vector<float>({2}, {0.5f, 1.5f});
  Tensor y = run_op("Resize", {f32({4}, {0, 10, 20, 30}), roi, kNone, sizes({3})}, a, 1, 13)[0];
  test::expect_near(y, f32({3}, {15, 30, 7}));
}

TEST(Resize, UpsampleAndResize10) {
  // Upsample-7 (scales attribute), nearest x2 on both axes
  Tensor x = f32({2, 2}, {1, 2, 3, 4});
  auto y = run_op("Upsample", {x}, attrs({{"scales", std::vector<float>{2, 2}}}), 1, 7)[0];
  test::expect_near(y, f32({4, 4}, {1, 1, 2, 2,
                                    1, 1, 2, 2,
                                    3, 3, 4, 4,
                                    3, 3, 4, 4}));
  // Upsample-9 linear (asymmetric, clamped): x_in = 0, 0.5, 1, 1.5 -> 1, 2, 3, 3
  y = run_op("Upsample", {f32({1, 2}, {1, 3}), scales({1, 2})}, attrs({{"mode", std::string("linear")}}), 1, 9)[0];
  test::expect_near(y, f32({1, 4}, {1, 2, 3, 3}));
  // Resize-10 scaling down by 0.6 rounds up: 2x4 -> 1x2, columns x_in = 0, 1.67 -> 0, 2
  y = run_op("Resize", {f32({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8}), scales({0.6f, 0.6f})}, {}, 1, 10)[0];
  test::expect_near(y, f32({1, 2}, {1, 3}));
}

TEST(Resize, IntegerAndBoolData) {
  // linear half_pixel x2 of [0, 10]: 0, 2.5, 7.5, 10, rounded half away from zero
  Tensor xi = Tensor::from_vector<int32_t>({2}, {0, 10});
  EXPECT_EQ(resize_by(xi, {2}, attrs({{"mode", std::string("linear")}})).to_vector<int32_t>(),
            (std::vector<int32_t>{0, 3, 8, 10}));
  Tensor xb = Tensor::from_vector<bool>({2}, {true, false});
  EXPECT_EQ(resize_by(xb, {2}, {}).to_vector<bool>(), (std::vector<bool>{true, true, false, false}));
}

TEST(Resize, SameBitsForAnyThreadCount) {
  Tensor x = test::random_tensor({2, 3, 20, 30}, 5);
  auto a = attrs({{"mode", std::string("cubic")}});
  std::vector<Tensor> y1, y2;
  tbb::task_arena(1).execute([&] { y1 = run_op("Resize", {x, kNone, scales({1, 1, 1.5f, 2.5f})}, a, 1, 13); });
  tbb::task_arena(2).execute([&] { y2 = run_op("Resize", {x, kNone, scales({1, 1, 1.5f, 2.5f})}, a, 1, 13); });
  EXPECT_EQ(y1[0].shape(), (Shape{2, 3, 30, 75}));
  test::expect_equal(y1[0], y2[0]);
}

TEST(Resize, RejectsBadInputs) {
  Tensor x = f32({1, 2}, {1, 3});
  EXPECT_THROW(resize_by(x, {2}, {}), Error);                                                         // 1 scale, rank 2
  EXPECT_THROW(run_op("Resize", {x, kNone, scales({1, 2}), sizes({1, 4})}, {}, 1, 13), Error);        // both
  EXPECT_THROW(run_op("Resize", {x}, {}, 1, 13), Error);                                              // neither
  EXPECT_THROW(resize_by(x, {1, 0}, {}), Error);                                                      // scale 0
  EXPECT_THROW(resize_by(x, {1, 2}, attrs({{"mode", std::string("bicubic")}})), Error);
  EXPECT_THROW(resize_by(x, {1, 2}, attrs({{"nearest_mode", std::string("round")}})), Error);
  EXPECT_THROW(resize_by(x, {1, 2}, attrs({{"coordinate_transformation_mode", std::string("tf_crop_and_resize")}})), Error);
  EXPECT_THROW(run_op("Resize", {x, kNone, kNone, Tensor::from_vector<int32_t>({2}, {1, 4})}, {}, 1, 13), Error);
  EXPECT_THROW(run_op("Upsample", {x, scales({1, 0.5f})}, {}, 1, 9), Error);                          // below 1
  EXPECT_THROW(run_op("Upsample", {x, scales({1, 2})}, attrs({{"mode", std::string("cubic")}}), 1, 9), Error);
}
