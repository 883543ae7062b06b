// Comparisons, And/Or/Xor/Not and Where, with hand-computed values.
#include <cmath>
#include <cstring>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::run_op;

namespace {
template <class T>
Tensor vec(std::vector<T> v) { return Tensor::from_vector<T>({static_cast<int64_t>(v.size())}, v); }
std::vector<bool> bools(const std::string& op, std::vector<Tensor> in, int64_t opset = 17) {
  return run_op(op, in, {}, 1, opset)[0].to_vector<bool>();
}
using B = std::vector<bool>;
}  // namespace

TEST(Compare, AllComparisonsWithBroadcasting) {
  Tensor a = vec<float>({1, 2, 3}), b = vec<float>({3, 2, 1});
  EXPECT_EQ(bools("Equal", {a, b}), (B{false, true, false}));
  EXPECT_EQ(bools("Less", {a, b}), (B{true, false, false}));
  EXPECT_EQ(bools("Greater", {a, b}), (B{false, false, true}));
  EXPECT_EQ(bools("LessOrEqual", {a, b}), (B{true, true, false}));
  EXPECT_EQ(bools("GreaterOrEqual", {a, b}), (B{false, true, true}));
  // [2,1] < [3] -> [2,3]: 1 < [0,1,2] = F,F,T; 2 < [0,1,2] = F,F,F
  Tensor c = Tensor::from_vector<int64_t>({2, 1}, {1, 2}), d = vec<int64_t>({0, 1, 2});
  Tensor y = run_op("Less", {c, d})[0];
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(y.to_vector<bool>(), (B{false, false, true, false, false, false}));
  // Unsigned and bool inputs; NaN compares unequal to everything
  EXPECT_EQ(bools("Greater", {vec<uint64_t>({~0ull}), vec<uint64_t>({1})}), (B{true}));
  EXPECT_EQ(bools("Equal", {vec<bool>({true, false}), vec<bool>({true, true})}), (B{true, false}));
  EXPECT_EQ(bools("Equal", {vec<float>({NAN}), vec<float>({NAN})}), (B{false}));
  EXPECT_THROW(run_op("Equal", {a, vec<int32_t>({1, 2, 3})}), Error);  // mixed types
}

TEST(Logic, TruthTablesAndNot) {
  Tensor p = vec<bool>({false, false, true, true}), q = vec<bool>({false, true, false, true});
  EXPECT_EQ(bools("And", {p, q}), (B{false, false, false, true}));
  EXPECT_EQ(bools("Or", {p, q}), (B{false, true, true, true}));
  EXPECT_EQ(bools("Xor", {p, q}), (B{false, true, true, false}));
  EXPECT_EQ(bools("Not", {p}), (B{true, true, false, false}));
  // [2,1] xor [2]
  Tensor r = Tensor::from_vector<bool>({2, 1}, {true, false});
  EXPECT_EQ(bools("Xor", {r, vec<bool>({true, false})}), (B{false, true, true, false}));
  EXPECT_THROW(run_op("And", {vec<float>({1}), vec<float>({1})}), UnsupportedError);
}

TEST(Where, ThreeWayBroadcasting) {
  // cond [2,1], x [3], y scalar -> [2,3]: row 0 takes x, row 1 takes y
  Tensor cond = Tensor::from_vector<bool>({2, 1}, {true, false});
  Tensor y = run_op("Where", {cond, vec<float>({1, 2, 3}), Tensor::scalar<float>(-1)})[0];
  test::expect_near(y, Tensor::from_vector<float>({2, 3}, {1, 2, 3, -1, -1, -1}));
  // int64 (test_where_long_example): cond [2,2], x [2,2], y [2,2]
  Tensor c2 = Tensor::from_vector<bool>({2, 2}, {true, false, true, true});
  Tensor x2 = Tensor::from_vector<int64_t>({2, 2}, {1, 2, 3, 4});
  Tensor y2 = Tensor::from_vector<int64_t>({2, 2}, {9, 8, 7, 6});
  EXPECT_EQ(run_op("Where", {c2, x2, y2})[0].to_vector<int64_t>(), (std::vector<int64_t>{1, 8, 3, 4}));
  EXPECT_EQ(run_op("Where", {vec<bool>({false, true}), vec<bool>({true}), vec<bool>({false})})[0].to_vector<bool>(),
            (B{false, true}));
  // Where moves float16 values too (by their bits)
  Tensor h(DType::F16, {2}), k(DType::F16, {2});
  uint16_t hv[2] = {0x3c00, 0x4000}, kv[2] = {0xbc00, 0xc000};  // 1, 2 and -1, -2
  std::memcpy(h.raw_mut(), hv, 4);
  std::memcpy(k.raw_mut(), kv, 4);
  Tensor w = run_op("Where", {vec<bool>({true, false}), h, k})[0];
  ASSERT_EQ(w.dtype(), DType::F16);
  EXPECT_EQ(static_cast<const uint16_t*>(w.raw())[0], 0x3c00);
  EXPECT_EQ(static_cast<const uint16_t*>(w.raw())[1], 0xc000);
  EXPECT_THROW(run_op("Where", {vec<float>({1}), vec<float>({1}), vec<float>({2})}), Error);        // cond not bool
  EXPECT_THROW(run_op("Where", {vec<bool>({true}), vec<float>({1}), vec<int32_t>({2})}), Error);    // x, y differ
  EXPECT_THROW(run_op("Where", {vec<bool>({true, false}), vec<float>({1, 2, 3}), vec<float>({0})}), Error);
}
