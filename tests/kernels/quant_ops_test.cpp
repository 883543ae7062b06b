// The ai.n2d2 integer ops: the semantics of graph/ops/quant_semantics.h and the reference kernels
// against hand-computed values; schema errors naming the node.
#include "graph/ops/quant_ops.h"
#include "tests/test_util.h"

using namespace n2d2;
namespace q = n2d2::quant;

namespace {

std::vector<Tensor> run_q(const std::string& op, const std::vector<Tensor>& inputs, graph::Attributes a = {}) {
  graph::Node n = test::make_node(op, static_cast<int>(inputs.size()), 1, std::move(a), 1, graph::kN2D2Domain);
  std::vector<const Tensor*> ptrs;
  for (const auto& t : inputs) ptrs.push_back(&t);
  return kernels::evaluate_node(n, ptrs);
}

template <class T>
std::vector<int64_t> values(const Tensor& t) {
  std::vector<int64_t> r;
  for (T v : t.span<T>()) r.push_back(v);
  return r;
}

}  // namespace

TEST(QuantSemantics, Rounding) {
  EXPECT_EQ(q::round_half_away(2.5), 3);
  EXPECT_EQ(q::round_half_away(-2.5), -3);
  EXPECT_EQ(q::round_half_away(2.4999), 2);
  EXPECT_EQ(q::round_half_away(-0.5), -1);
  EXPECT_EQ(q::shift_round(5, 1), 3);    // 2.5 -> 3
  EXPECT_EQ(q::shift_round(-5, 1), -2);  // -2.5 -> -2: half toward +infinity
  EXPECT_EQ(q::shift_round(7, 2), 2);    // 1.75
  EXPECT_EQ(q::shift_round(-6, 2), -1);  // -1.5
  EXPECT_EQ(q::shift_round(-7, 2), -2);  // -1.75
  EXPECT_EQ(q::shift_round(9, 0), 9);
}

TEST(QuantSemantics, Saturation) {
  EXPECT_EQ(q::saturate(200, 8, true), 127);
  EXPECT_EQ(q::saturate(-200, 8, true), -127);  // symmetric: -128 is never produced
  EXPECT_EQ(q::saturate(-3, 8, false), 0);
  EXPECT_EQ(q::saturate(300, 8, false), 255);
  EXPECT_EQ(q::saturate(9, 4, true), 7);
  EXPECT_EQ(q::saturate(-9, 2, true), -1);
  EXPECT_EQ(q::saturate(70000, 16, false), 65535);
  EXPECT_EQ(q::saturate_i32(int64_t{1} << 40), INT32_MAX);
  EXPECT_EQ(q::saturate_i32(-(int64_t{1} << 40)), INT32_MIN);
}

TEST(QuantSemantics, RescalingModes) {
  q::RescaleParams p;
  p.scale = 0.1f;
  EXPECT_EQ(q::rescale(1000, q::Rescaling::FloatingPoint, p), 100);
  EXPECT_EQ(q::rescale(-15, q::Rescaling::FloatingPoint, q::RescaleParams{0.5f}), -8);  // -7.5 away from zero
  p = {};
  p.multiplier = 3;
  p.shift = 4;
  EXPECT_EQ(q::rescale(1000, q::Rescaling::FixedPoint, p), 188);  // 187.5
  p = {};
  p.shift = 3;
  EXPECT_EQ(q::rescale(1000, q::Rescaling::SingleShift, p), 125);
  EXPECT_EQ(q::rescale(1004, q::Rescaling::SingleShift, p), 126);  // 125.5
  p = {};
  p.left = 1;
  p.shift = 4;  // (2 + 1) / 16
  EXPECT_EQ(q::rescale(1000, q::Rescaling::DoubleShift, p), 188);
  EXPECT_EQ(q::requantize(1000, q::Rescaling::DoubleShift, p, 6, false), 63);
}

TEST(QuantOps, QuantizeDequantize) {
  Tensor x = Tensor::from_vector<float>({5}, {1.25f, -1.25f, 0.74f, 100.f, -0.25f});
  auto s = run_q("Quantize", {x}, test::attrs({{"scale", 0.5f}, {"nbbits", int64_t{4}}, {"signed", int64_t{1}}}));
  ASSERT_EQ(s[0].dtype(), DType::I8);
  EXPECT_EQ(values<int8_t>(s[0]), (std::vector<int64_t>{3, -3, 1, 7, -1}));
  auto u = run_q("Quantize", {x}, test::attrs({{"scale", 0.5f}, {"nbbits", int64_t{12}}}));
  ASSERT_EQ(u[0].dtype(), DType::U16);
  EXPECT_EQ(values<uint16_t>(u[0]), (std::vector<int64_t>{3, 0, 1, 200, 0}));
  auto d = run_q("Dequantize", {s[0]}, test::attrs({{"scale", 0.5f}}));
  test::expect_equal(d[0], Tensor::from_vector<float>({5}, {1.5f, -1.5f, 0.5f, 3.5f, -0.5f}));
}

TEST(QuantOps, RequantizePerChannel) {
  Tensor x = Tensor::from_vector<int32_t>({1, 2, 2}, {10, 20, 30, -40});
  auto y = run_q("Requantize", {x},
                 test::attrs({{"mode", std::string("Single-shift")}, {"shift", std::vector<int64_t>{1, 2}}}));
  ASSERT_EQ(y[0].dtype(), DType::U8);
  EXPECT_EQ(values<uint8_t>(y[0]), (std::vector<int64_t>{5, 10, 8, 0}));  // unsigned: ReLU
  auto s = run_q("Requantize", {x},
                 test::attrs({{"mode", std::string("Fixed-point16")}, {"multiplier", std::vector<int64_t>{3}},
                              {"shift", std::vector<int64_t>{2}}, {"signed", int64_t{1}}, {"nbbits", int64_t{6}}}));
  EXPECT_EQ(values<int8_t>(s[0]), (std::vector<int64_t>{8, 15, 23, -30}));  // 7.5, 15, 22.5, -30
}

TEST(QuantOps, QConvHandChecked) {
  Tensor x = Tensor::from_vector<uint8_t>({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor w = Tensor::from_vector<int8_t>({1, 1, 2, 2}, {1, -1, 2, 0});
  Tensor b = Tensor::from_vector<int32_t>({1}, {10});
  auto y = run_q("QConv", {x, w, b});
  test::expect_equal(y[0], Tensor::from_vector<int32_t>({1, 1, 2, 2}, {17, 19, 23, 25}));
  auto z = run_q("QConv", {x, w, b},
                 test::attrs({{"pads", std::vector<int64_t>{1, 1, 1, 1}}, {"strides", std::vector<int64_t>{2, 2}}}));
  test::expect_equal(z[0], Tensor::from_vector<int32_t>({1, 1, 2, 2}, {10, 14, 6, 25}));
}

TEST(QuantOps, QGemmQAddSumPool) {
  Tensor a = Tensor::from_vector<int8_t>({1, 3}, {1, -2, 3});
  Tensor w = Tensor::from_vector<int8_t>({2, 3}, {1, 1, 1, 2, 0, -1});
  Tensor b = Tensor::from_vector<int32_t>({2}, {5, -5});
  test::expect_equal(run_q("QGemm", {a, w, b})[0], Tensor::from_vector<int32_t>({1, 2}, {7, -6}));
  Tensor p = Tensor::from_vector<int32_t>({2}, {100, -50}), r = Tensor::from_vector<uint8_t>({2}, {3, 4});
  test::expect_equal(run_q("QAdd", {p, r}, test::attrs({{"a_multiplier", int64_t{2}}, {"b_multiplier", int64_t{-1}}}))[0],
                     Tensor::from_vector<int32_t>({2}, {197, -104}));
  Tensor s = Tensor::from_vector<uint8_t>({1, 2, 2, 2}, {1, 2, 3, 4, 250, 250, 250, 250});
  test::expect_equal(run_q("QGlobalSumPool", {s})[0], Tensor::from_vector<int32_t>({1, 2, 1, 1}, {10, 1000}));
}

TEST(QuantOps, AccumulatorSaturatesToInt32) {
  Tensor a = Tensor::from_vector<int16_t>({1, 4}, {32767, 32767, 32767, 32767});
  Tensor w = Tensor::from_vector<int16_t>({1, 4}, {32767, 32767, 32767, 32767});
  EXPECT_EQ(run_q("QGemm", {a, w})[0].data<int32_t>()[0], INT32_MAX);
}

TEST(QuantOps, BadAttributesNameTheNode) {
  Tensor x = Tensor::from_vector<int32_t>({1, 2}, {1, 2});
  try {
    run_q("Requantize", {x}, test::attrs({{"mode", std::string("Single-shift")}}));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("test_Requantize"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("shift"), std::string::npos) << e.what();
  }
  EXPECT_THROW(run_q("Requantize", {x}, test::attrs({{"mode", std::string("Triple-shift")}, {"shift", std::vector<int64_t>{1}}})), Error);
  EXPECT_THROW(run_q("Requantize", {x}, test::attrs({{"mode", std::string("Single-shift")}, {"shift", std::vector<int64_t>{1, 2, 3}}})), Error);
  Tensor f = Tensor::from_vector<float>({2}, {1.f, 2.f});
  EXPECT_THROW(run_q("Quantize", {f}, test::attrs({{"scale", 0.5f}, {"nbbits", int64_t{17}}})), Error);
  EXPECT_THROW(run_q("Quantize", {f}, test::attrs({{"scale", 0.f}})), Error);
  Tensor xf = test::random_tensor({1, 1, 3, 3}, 1), wf = test::random_tensor({1, 1, 2, 2}, 2);
  EXPECT_THROW(run_q("QConv", {xf, wf}), Error);
  EXPECT_THROW(graph::quant_storage_dtype(1, true), Error);
}
