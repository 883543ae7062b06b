// ArgMax and ArgMin with hand-computed indices: axes, keepdims, ties (first or last index),
// NaN, integer data and the opset-11 schema without select_last_index.
#include <limits>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {

std::vector<int64_t> indices(const Tensor& t) { return t.to_vector<int64_t>(); }

// t = [[1, 3, 3],
//      [7, 0, 7]]
Tensor t23() { return Tensor::from_vector<float>({2, 3}, {1, 3, 3, 7, 0, 7}); }

}  // namespace

TEST(ArgMax, FirstOrLastOfTiedMaxima) {
  // rows: max 3 first at 1, last at 2; max 7 first at 0, last at 2
  auto y = run_op("ArgMax", {t23()}, attrs({{"axis", int64_t{1}}}), 1, 13)[0];
  EXPECT_EQ(y.dtype(), DType::I64);
  EXPECT_EQ(y.shape(), (Shape{2, 1}));
  EXPECT_EQ(indices(y), (std::vector<int64_t>{1, 0}));
  y = run_op("ArgMax", {t23()}, attrs({{"axis", int64_t{-1}}, {"keepdims", int64_t{0}}, {"select_last_index", int64_t{1}}}),
             1, 13)[0];
  EXPECT_EQ(y.shape(), (Shape{2}));
  EXPECT_EQ(indices(y), (std::vector<int64_t>{2, 2}));
  // default axis 0, columns (1, 7), (3, 0), (3, 7): [[1, 0, 1]]
  y = run_op("ArgMax", {t23()}, {}, 1, 13)[0];
  EXPECT_EQ(y.shape(), (Shape{1, 3}));
  EXPECT_EQ(indices(y), (std::vector<int64_t>{1, 0, 1}));
}

TEST(ArgMin, FirstOrLastOfTiedMinima) {
  // columns (1, 7), (3, 0), (3, 7): minima at 0, 1, 0
  auto y = run_op("ArgMin", {t23()}, attrs({{"axis", int64_t{0}}, {"keepdims", int64_t{0}}}), 1, 13)[0];
  EXPECT_EQ(indices(y), (std::vector<int64_t>{0, 1, 0}));
  // u = [[2, 1, 1], [0, 5, 0]]: first minima 1 and 0, last 2 and 2
  Tensor u = Tensor::from_vector<float>({2, 3}, {2, 1, 1, 0, 5, 0});
  EXPECT_EQ(indices(run_op("ArgMin", {u}, attrs({{"axis", int64_t{1}}}), 1, 13)[0]), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(indices(run_op("ArgMin", {u}, attrs({{"axis", int64_t{1}}, {"select_last_index", int64_t{1}}}), 1, 13)[0]),
            (std::vector<int64_t>{2, 2}));
}

TEST(ArgMax, IntegerDataAndMiddleAxis) {
  // a[i][j][k], shape 2x3x2, reduced over j:
  // i=0: columns k=0: (5, 2, 5) -> 0 (first), k=1: (1, 9, 9) -> 1
  // i=1: k=0: (0, 0, 4) -> 2, k=1: (-1, -3, -2) -> 0
  Tensor a = Tensor::from_vector<int32_t>({2, 3, 2}, {5, 1, 2, 9, 5, 9, 0, -1, 0, -3, 4, -2});
  auto y = run_op("ArgMax", {a}, attrs({{"axis", int64_t{1}}, {"keepdims", int64_t{0}}}), 1, 13)[0];
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  EXPECT_EQ(indices(y), (std::vector<int64_t>{0, 1, 2, 0}));
  y = run_op("ArgMin", {a}, attrs({{"axis", int64_t{1}}, {"keepdims", int64_t{0}}}), 1, 13)[0];
  EXPECT_EQ(indices(y), (std::vector<int64_t>{1, 0, 0, 1}));
}

TEST(ArgMax, NaNIsTheExtremeForBoth) {
  // As numpy: the first NaN wins for argmax and argmin alike
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor t = Tensor::from_vector<float>({4}, {1, nan, 3, nan});
  EXPECT_EQ(indices(run_op("ArgMax", {t}, {}, 1, 13)[0]), (std::vector<int64_t>{1}));
  EXPECT_EQ(indices(run_op("ArgMin", {t}, {}, 1, 13)[0]), (std::vector<int64_t>{1}));
  EXPECT_EQ(indices(run_op("ArgMax", {t}, attrs({{"select_last_index", int64_t{1}}}), 1, 13)[0]),
            (std::vector<int64_t>{3}));
}

TEST(ArgMax, Opset11SchemaHasNoSelectLastIndex) {
  graph::Node n = test::make_node("ArgMax", 1, 1, {}, 11);
  EXPECT_EQ(n.since_version, 1);
  EXPECT_FALSE(n.attrs.has("select_last_index"));
  EXPECT_EQ(indices(run_op("ArgMax", {t23()}, attrs({{"axis", int64_t{1}}}), 1, 11)[0]), (std::vector<int64_t>{1, 0}));
}

TEST(ArgMax, RejectsBadAxesAndEmptyAxes) {
  EXPECT_THROW(run_op("ArgMax", {t23()}, attrs({{"axis", int64_t{2}}}), 1, 13), Error);
  EXPECT_THROW(run_op("ArgMin", {t23()}, attrs({{"axis", int64_t{-3}}}), 1, 13), Error);
  EXPECT_THROW(run_op("ArgMax", {Tensor(DType::F32, {2, 0})}, attrs({{"axis", int64_t{1}}}), 1, 13), Error);
  EXPECT_THROW(run_op("ArgMax", {Tensor::from_vector<bool>({1}, {true})}, {}, 1, 13), Error);
}
