// Pad with hand-computed outputs: constant, reflect and edge on a matrix, reflection longer than
// the axis, cropping, Pad-2's attributes, byte-copied types (int64, uint8, bool, float16) and the
// inputs shape inference rejects.
#include <cstring>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {

graph::Attributes mode(const char* m) {
  graph::Attributes a;
  a.set("mode", std::string(m));
  return a;
}
Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
Tensor pads(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }

// x = [[1, 2, 3],
//      [4, 5, 6]], padded by 1 row before and 1 column on each side: 3 x 5
Tensor x23() { return f32({2, 3}, {1, 2, 3, 4, 5, 6}); }
Tensor pads_1_1_0_1() { return pads({1, 1, 0, 1}); }

}  // namespace

TEST(Pad, ConstantEdgeAndReflectOnAMatrix) {
  test::expect_near(run_op("Pad", {x23(), pads_1_1_0_1(), Tensor::scalar<float>(9)}, {}, 1, 13)[0],
                    f32({3, 5}, {9, 9, 9, 9, 9,
                                 9, 1, 2, 3, 9,
                                 9, 4, 5, 6, 9}));
  // no constant_value: 0
  test::expect_near(run_op("Pad", {x23(), pads_1_1_0_1()}, {}, 1, 11)[0],
                    f32({3, 5}, {0, 0, 0, 0, 0,
                                 0, 1, 2, 3, 0,
                                 0, 4, 5, 6, 0}));
  test::expect_near(run_op("Pad", {x23(), pads_1_1_0_1()}, mode("edge"), 1, 13)[0],
                    f32({3, 5}, {1, 1, 2, 3, 3,
                                 1, 1, 2, 3, 3,
                                 4, 4, 5, 6, 6}));
  // reflect excludes the edge: row -1 is row 1, column -1 is column 1, column 3 is column 1
  test::expect_near(run_op("Pad", {x23(), pads_1_1_0_1()}, mode("reflect"), 1, 13)[0],
                    f32({3, 5}, {5, 4, 5, 6, 5,
                                 2, 1, 2, 3, 2,
                                 5, 4, 5, 6, 5}));
}

TEST(Pad, ReflectionLongerThanTheAxisRepeats) {
  // As numpy.pad: [1 2 3] reflected 5 before and 6 after, period 4
  test::expect_near(run_op("Pad", {f32({3}, {1, 2, 3}), pads({5, 6})}, mode("reflect"), 1, 13)[0],
                    f32({14}, {2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1}));
  // one element reflects to itself
  test::expect_near(run_op("Pad", {f32({1}, {7}), pads({2, 1})}, mode("reflect"), 1, 13)[0], f32({4}, {7, 7, 7, 7}));
}

TEST(Pad, NegativePadsCrop) {
  test::expect_near(run_op("Pad", {x23(), pads({0, -1, 0, -1})}, {}, 1, 13)[0], f32({2, 1}, {2, 5}));
  test::expect_near(run_op("Pad", {x23(), pads({-1, -1, 0, 2}), Tensor::scalar<float>(9)}, {}, 1, 13)[0],
                    f32({1, 4}, {5, 6, 9, 9}));
  // the whole axis cropped away: empty output
  EXPECT_EQ(run_op("Pad", {x23(), pads({0, -3, 0, 0})}, {}, 1, 13)[0].shape(), (Shape{2, 0}));
}

TEST(Pad, Pad2Attributes) {
  graph::Attributes a;
  a.set("pads", std::vector<int64_t>{0, 1, 0, 0});
  a.set("value", 5.f);
  test::expect_near(run_op("Pad", {f32({1, 3}, {1, 2, 3})}, a, 1, 7)[0], f32({1, 4}, {5, 1, 2, 3}));
  a.set("mode", std::string("edge"));
  Tensor d = Tensor::from_vector<double>({1, 2}, {1.5, 2.5});
  test::expect_near(run_op("Pad", {d}, a, 1, 10)[0], Tensor::from_vector<double>({1, 3}, {1.5, 1.5, 2.5}));
}

TEST(Pad, AnyElementType) {
  Tensor xi = Tensor::from_vector<int64_t>({3}, {10, 20, 30});
  EXPECT_EQ(run_op("Pad", {xi, pads({1, 2})}, mode("edge"), 1, 13)[0].to_vector<int64_t>(),
            (std::vector<int64_t>{10, 10, 20, 30, 30, 30}));
  Tensor xu = Tensor::from_vector<uint8_t>({3}, {1, 2, 3});
  EXPECT_EQ(run_op("Pad", {xu, pads({2, 0})}, mode("reflect"), 1, 13)[0].to_vector<uint8_t>(),
            (std::vector<uint8_t>{3, 2, 1, 2, 3}));
  Tensor xb = Tensor::from_vector<bool>({2}, {false, true});
  auto yb = run_op("Pad", {xb, pads({1, 1}), Tensor::scalar<bool>(true)}, {}, 1, 13)[0];
  EXPECT_EQ(yb.to_vector<bool>(), (std::vector<bool>{true, false, true, true}));
  // float16 bits are moved untouched: 0x3c00 = 1.0, 0x4000 = 2.0, constant 0xc000 = -2.0
  Tensor xh(DType::F16, {2}), vh(DType::F16, {});
  const uint16_t bits[2] = {0x3c00, 0x4000}, minus_two = 0xc000;
  std::memcpy(xh.raw_mut(), bits, sizeof bits);
  std::memcpy(vh.raw_mut(), &minus_two, sizeof minus_two);
  Tensor yh = run_op("Pad", {xh, pads({1, 0}), vh}, {}, 1, 13)[0];
  ASSERT_EQ(yh.shape(), (Shape{3}));
  const auto* y = static_cast<const uint16_t*>(yh.raw());
  EXPECT_EQ(y[0], 0xc000);
  EXPECT_EQ(y[1], 0x3c00);
  EXPECT_EQ(y[2], 0x4000);
}

TEST(Pad, RejectsBadPads) {
  EXPECT_THROW(run_op("Pad", {x23(), pads({0, 1})}, {}, 1, 13), Error);                                   // 2 for rank 2
  EXPECT_THROW(run_op("Pad", {x23(), Tensor::from_vector<int32_t>({4}, {0, 0, 0, 0})}, {}, 1, 13), Error);  // int32
  EXPECT_THROW(run_op("Pad", {x23(), pads({0, 0, 0, 0}), Tensor::scalar<double>(1)}, {}, 1, 13), Error);    // value type
  EXPECT_THROW(run_op("Pad", {x23(), pads({0, -2, 0, -2})}, {}, 1, 13), Error);                           // crops 4 of 3
  EXPECT_THROW(run_op("Pad", {Tensor(DType::F32, {0}), pads({1, 0})}, mode("reflect"), 1, 13), Error);    // empty axis
  EXPECT_THROW(run_op("Pad", {x23(), pads({0, 0, 0, 0})}, mode("wrap"), 1, 13), Error);                   // opset 19
}
