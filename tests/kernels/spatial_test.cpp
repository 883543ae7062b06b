// DepthToSpace (DCR and CRD) and SpaceToDepth with hand-computed permutations, on float, integer
// and float16 (moved as bits) data, and the shapes they reject.
#include <cstring>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {

graph::Attributes block(int64_t b, const char* mode = nullptr) {
  graph::Attributes a;
  a.set("blocksize", b);
  if (mode) a.set("mode", std::string(mode));
  return a;
}
Tensor iota(DType t, Shape s) {
  Tensor x(t, std::move(s));
  visit_dtype(t, [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < x.numel(); ++i) x.data_mut<T>()[i] = static_cast<T>(i);
  });
  return x;
}

}  // namespace

TEST(DepthToSpace, DcrAndCrdOrders) {
  // 8 channels of 1x1 (values 0..7) to 2 channels of 2x2. DCR: channel c, block (bh, bw) reads
  // input channel (bh * 2 + bw) * 2 + c; CRD reads c * 4 + bh * 2 + bw.
  Tensor x = iota(DType::F32, {1, 8, 1, 1});
  test::expect_equal(run_op("DepthToSpace", {x}, block(2), 1, 13)[0],
                     Tensor::from_vector<float>({1, 2, 2, 2}, {0, 2, 4, 6, 1, 3, 5, 7}));
  test::expect_equal(run_op("DepthToSpace", {x}, block(2, "CRD"), 1, 13)[0],
                     Tensor::from_vector<float>({1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7}));
  // DepthToSpace-1 has no mode: DCR
  test::expect_equal(run_op("DepthToSpace", {x}, block(2), 1, 10)[0],
                     Tensor::from_vector<float>({1, 2, 2, 2}, {0, 2, 4, 6, 1, 3, 5, 7}));
}

TEST(DepthToSpace, InterleavesRowsAndColumns) {
  // 4 channels of 1x2: c0 = [0 1], c1 = [2 3], c2 = [4 5], c3 = [6 7]. Output row bh, column
  // 2w + bw is channel 2bh + bw at w: [[0 2 1 3], [4 6 5 7]]
  Tensor x = iota(DType::I64, {1, 4, 1, 2});
  EXPECT_EQ(run_op("DepthToSpace", {x}, block(2), 1, 13)[0].to_vector<int64_t>(),
            (std::vector<int64_t>{0, 2, 1, 3, 4, 6, 5, 7}));
}

TEST(SpaceToDepth, InvertsDcr) {
  // [[0 1 2 3], [4 5 6 7]] to 4 channels of 1x2: channel 2bh + bw at w is (bh, 2w + bw)
  Tensor x = iota(DType::U8, {1, 1, 2, 4});
  Tensor y = run_op("SpaceToDepth", {x}, block(2), 1, 13)[0];
  EXPECT_EQ(y.shape(), (Shape{1, 4, 1, 2}));
  EXPECT_EQ(y.to_vector<uint8_t>(), (std::vector<uint8_t>{0, 2, 1, 3, 4, 6, 5, 7}));
  test::expect_equal(run_op("DepthToSpace", {y}, block(2), 1, 13)[0], x);
  // blocksize 1 is the identity
  Tensor z = iota(DType::F32, {2, 3, 2, 2});
  test::expect_equal(run_op("SpaceToDepth", {z}, block(1), 1, 13)[0], z);
}

TEST(SpaceToDepth, MovesFloat16Bits) {
  Tensor x(DType::F16, {1, 1, 2, 2});
  const uint16_t bits[4] = {0x3c00, 0x4000, 0x4200, 0x4400};  // 1, 2, 3, 4
  std::memcpy(x.raw_mut(), bits, sizeof bits);
  Tensor y = run_op("SpaceToDepth", {x}, block(2), 1, 13)[0];
  ASSERT_EQ(y.shape(), (Shape{1, 4, 1, 1}));
  EXPECT_EQ(0, std::memcmp(y.raw(), bits, sizeof bits));
}

TEST(DepthToSpace, RejectsBadShapes) {
  EXPECT_THROW(run_op("DepthToSpace", {iota(DType::F32, {1, 3, 1, 1})}, block(2), 1, 13), Error);  // 3 channels
  EXPECT_THROW(run_op("SpaceToDepth", {iota(DType::F32, {1, 1, 3, 2})}, block(2), 1, 13), Error);  // height 3
  EXPECT_THROW(run_op("DepthToSpace", {iota(DType::F32, {4, 1, 1})}, block(2), 1, 13), Error);     // 3-D
  EXPECT_THROW(run_op("DepthToSpace", {iota(DType::F32, {1, 4, 1, 1})}, block(0), 1, 13), Error);
  EXPECT_THROW(run_op("DepthToSpace", {iota(DType::F32, {1, 4, 1, 1})}, block(2, "RCD"), 1, 13), Error);
}
