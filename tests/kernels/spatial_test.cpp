// Spatial family with hand-computed values.
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
Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
}  // namespace

TEST(Pad, ConstantReflectEdgeAndCrop) {
  Tensor x = f({1, 3}, {1, 2, 3});
  // 2 before and 1 after on axis 1
  Tensor pads = i64({0, 2, 0, 1});
  test::expect_near(run_op("Pad", {x, pads, Tensor::scalar<float>(9)}, {}, 1, 13)[0], f({1, 6}, {9, 9, 1, 2, 3, 9}));
  // reflect: [3 2 | 1 2 3 | 2]
  test::expect_near(run_op("Pad", {x, pads}, attrs({{"mode", std::string("reflect")}}), 1, 13)[0], f({1, 6}, {3, 2, 1, 2, 3, 2}));
  // edge: [1 1 | 1 2 3 | 3]
  test::expect_near(run_op("Pad", {x, pads}, attrs({{"mode", std::string("edge")}}), 1, 13)[0], f({1, 6}, {1, 1, 1, 2, 3, 3}));
  // negative pads crop: drop the first element
  test::expect_near(run_op("Pad", {x, i64({0, -1, 0, 0})}, {}, 1, 13)[0], f({1, 2}, {2, 3}));
  // opset 2 attribute form
  test::expect_near(run_op("Pad", {x}, attrs({{"pads", std::vector<int64_t>{0, 1, 0, 0}}, {"value", 5.f}}), 1, 2)[0],
                    f({1, 4}, {5, 1, 2, 3}));
  EXPECT_THROW(run_op("Pad", {x, i64({0, 1})}, {}, 1, 13), Error);
}

TEST(Resize, NearestAndLinear) {
  Tensor x = f({1, 1, 1, 2}, {1, 3});
  Tensor scales = Tensor::from_vector<float>({4}, {1, 1, 1, 2});
  Tensor none;
  // nearest x2, asymmetric + floor (Upsample semantics): [1 1 3 3]
  test::expect_near(run_op("Upsample", {x, scales}, {}, 1, 9)[0], f({1, 1, 1, 4}, {1, 1, 3, 3}));
  // linear, half_pixel: x_orig = (x+0.5)/2-0.5 = -0.25, 0.25, 0.75, 1.25 -> clamp -> 1, 1.5, 2.5, 3
  test::expect_near(run_op("Resize", {x, none, scales}, attrs({{"mode", std::string("linear")}}), 1, 13)[0],
                    f({1, 1, 1, 4}, {1, 1.5f, 2.5f, 3}));
  // align_corners to 3 samples via sizes: 1, 2, 3
  test::expect_near(run_op("Resize", {x, none, none, i64({1, 1, 1, 3})},
                           attrs({{"mode", std::string("linear")}, {"coordinate_transformation_mode", std::string("align_corners")}}),
                           1, 13)[0],
                    f({1, 1, 1, 3}, {1, 2, 3}));
  EXPECT_THROW(run_op("Resize", {x, none, Tensor::from_vector<float>({2}, {1, 2})}, {}, 1, 13), Error);
}

TEST(DepthSpace, RoundTripAndDcrOrder) {
  // 4 channels of 1x1 -> one 2x2 channel. DCR: out[h][w] = in[(h*2+w)*1 + 0]
  Tensor x = f({1, 4, 1, 1}, {1, 2, 3, 4});
  Tensor y = run_op("DepthToSpace", {x}, attrs({{"blocksize", int64_t{2}}}), 1, 13)[0];
  test::expect_near(y, f({1, 1, 2, 2}, {1, 2, 3, 4}));
  test::expect_near(run_op("SpaceToDepth", {y}, attrs({{"blocksize", int64_t{2}}}), 1, 13)[0], x);
  // CRD with 2 output channels of 8 input channels would differ; here check shape errors.
  EXPECT_THROW(run_op("DepthToSpace", {f({1, 3, 1, 1}, {1, 2, 3})}, attrs({{"blocksize", int64_t{2}}}), 1, 13), Error);
}
