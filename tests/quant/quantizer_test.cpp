// Post-training quantization of the test models end to end: BN folding keeps the outputs,
#include <algorithm>
#include <cmath>
// calibrated 8-bit integer graphs agree with the float ones for every rescaling mode (LeNet-5 on
// Fashion-MNIST images, the residual ResNet-tiny), calibration saves and reloads, and bad input
// fails naming the node.
#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "graph/op_registry.h"
#include "graph/passes/passes.h"
#include "quant/quantizer.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#include "tests/test_util.h"

using namespace n2d2;

namespace {

graph::Graph load(const std::string& model) {
  graph::Graph g = onnx::load_model(test::source_path("tests/models/" + model + "/model.onnx"));
  sched::optimize_graph(g);
  return g;
}

Tensor input(const std::string& model) { return io::read_npy(test::source_path("tests/models/" + model + "/input_0.npy")); }

Tensor run(const graph::Graph& g, const Tensor& x) {
  sched::Plan p = sched::Plan::compile(g);
  return sched::make_executor(p, sched::Engine::Sequential, 1)->run({x})[0];
}

quant::Calibration calibrate_on(const graph::Graph& g, const Tensor& x) {
  bool given = false;
  return quant::calibrate(g, [&](Tensor& b) {
    if (given) return false;
    b = x;
    given = true;
    return true;
  });
}

int count(const graph::Graph& g, const std::string& op) {
  int n = 0;
  for (const auto& node : g.nodes()) n += node.op_type == op;
  return n;
}

std::vector<int64_t> argmax_rows(const Tensor& t) {
  std::vector<int64_t> r;
  int64_t rows = t.dim(0), cols = t.numel() / rows;
  for (int64_t i = 0; i < rows; ++i) {
    const float* p = t.data<float>() + i * cols;
    r.push_back(std::max_element(p, p + cols) - p);
  }
  return r;
}

// Rows whose float top-1 leads the runner-up by more than `margin` x the logits' range: there
// a quantized run within that error must keep the decision (near ties may flip).
std::vector<int64_t> decisive_rows(const Tensor& t, double margin) {
  auto v = t.to_double_vector();
  double range = *std::max_element(v.begin(), v.end()) - *std::min_element(v.begin(), v.end());
  std::vector<int64_t> r;
  int64_t rows = t.dim(0), cols = t.numel() / rows;
  for (int64_t i = 0; i < rows; ++i) {
    std::vector<double> row(v.begin() + i * cols, v.begin() + (i + 1) * cols);
    std::sort(row.rbegin(), row.rend());
    if (row[0] - row[1] > margin * range) r.push_back(i);
  }
  return r;
}

// Largest |a - b| relative to the float logits' range.
double rel_diff(const Tensor& a, const Tensor& b) {
  auto x = a.to_double_vector(), y = b.to_double_vector();
  double lo = *std::min_element(y.begin(), y.end()), hi = *std::max_element(y.begin(), y.end()), d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) d = std::max(d, std::fabs(x[i] - y[i]));
  return d / (hi - lo);
}

}  // namespace

TEST(Quantizer, FoldsBatchNormKeepingOutputs) {
  graph::Graph g = load("resnet_tiny");
  Tensor x = input("resnet_tiny"), want = run(g, x);
  ASSERT_EQ(count(g, "BatchNormalization"), 6);
  EXPECT_EQ(quant::fold_batchnorm(g), 6);
  EXPECT_EQ(count(g, "BatchNormalization"), 0);
  test::expect_near(run(g, x), want, 1e-4, 1e-4);
}

TEST(Quantizer, LeNetEightBitEveryRescalingMode) {
  graph::Graph g = load("lenet_fmnist");
  Tensor x = input("lenet_fmnist"), want = run(g, x);
  quant::Calibration cal = calibrate_on(g, x);
  EXPECT_EQ(cal.images, 8);
  for (auto mode : {quant::RescalingMode::FloatingPoint, quant::RescalingMode::FixedPoint16,
                    quant::RescalingMode::FixedPoint32, quant::RescalingMode::SingleShift,
                    quant::RescalingMode::DoubleShift}) {
    quant::QuantOptions o;
    o.rescaling = mode;
    o.act_clipping = quant::Clipping::Max;
    quant::QuantizedModel q = quant::quantize(g, cal, o);
    SCOPED_TRACE(quant::rescaling_mode_name(mode));
    EXPECT_EQ(count(q.graph, "QConv"), 2);
    EXPECT_EQ(count(q.graph, "QGemm"), 3);
    EXPECT_EQ(count(q.graph, "Conv") + count(q.graph, "Gemm") + count(q.graph, "Relu"), 0);
    Tensor got = run(q.graph, x);
    const double tol = mode == quant::RescalingMode::SingleShift ? 0.15 : 0.05;
    EXPECT_LT(rel_diff(got, want), tol);
    // Every row whose float margin exceeds twice the tolerated error keeps its class.
    const auto decisive = decisive_rows(want, 2 * tol);
    EXPECT_GE(decisive.size(), mode == quant::RescalingMode::SingleShift ? 2u : 4u);
    auto g1 = argmax_rows(got), w1 = argmax_rows(want);
    for (int64_t i : decisive) EXPECT_EQ(g1[i], w1[i]) << "row " << i;
    EXPECT_EQ(q.layers.size(), 6u);  // input + 5 weighted layers (Relu absorbed)
  }
}

TEST(Quantizer, SevenBitWeightsWithEightBitActivations) {
  // --wt-nbbits 7: weights in [-63, 63] (each layer's largest reaches 63), activations 8 bits,
  // still close to the float run.
  graph::Graph g = load("lenet_fmnist");
  Tensor x = input("lenet_fmnist"), want = run(g, x);
  quant::Calibration cal = calibrate_on(g, x);
  quant::QuantOptions o;
  o.wt_nbbits = 7;
  o.act_clipping = quant::Clipping::Max;
  quant::QuantizedModel q = quant::quantize(g, cal, o);
  int weighted = 0;
  for (const auto& n : q.graph.nodes()) {
    if (n.op_type != "QConv" && n.op_type != "QGemm") continue;
    const auto& init = q.graph.value(n.inputs[1]).initializer;
    ASSERT_TRUE(init.has_value()) << n.name;
    const Tensor* w = &*init;
    ASSERT_EQ(w->dtype(), DType::I8) << n.name;
    int lo = 0, hi = 0;
    for (int8_t v : w->span<int8_t>()) lo = std::min<int>(lo, v), hi = std::max<int>(hi, v);
    EXPECT_GE(lo, -63) << n.name;
    EXPECT_EQ(std::max(-lo, hi), 63) << n.name;
    ++weighted;
  }
  EXPECT_EQ(weighted, 5);
  EXPECT_LT(rel_diff(run(q.graph, x), want), 0.06);
  o.wt_nbbits = 1;
  EXPECT_THROW(quant::quantize(g, cal, o), Error);
}

TEST(Quantizer, ResidualNetAlignsBranchScales) {
  graph::Graph g = load("resnet_tiny");
  Tensor x = input("resnet_tiny"), want = run(g, x);
  quant::fold_batchnorm(g);
  quant::Calibration cal = calibrate_on(g, x);
  for (bool per_channel : {false, true}) {
    quant::QuantOptions o;
    o.rescaling = quant::RescalingMode::FixedPoint32;
    o.act_clipping = quant::Clipping::Max;
    o.per_channel = per_channel;
    quant::QuantizedModel q = quant::quantize(g, cal, o);
    EXPECT_EQ(count(q.graph, "QAdd"), 2);
    EXPECT_EQ(count(q.graph, "QGlobalSumPool"), 1);
    Tensor got = run(q.graph, x);
    EXPECT_LT(rel_diff(got, want), 0.08) << "per_channel " << per_channel;
  }
}

TEST(Quantizer, CalibrationSavesAndReloads) {
  graph::Graph g = load("lenet_fmnist");
  Tensor x = input("lenet_fmnist");
  quant::Calibration cal = calibrate_on(g, x);
  quant::Calibration back = quant::Calibration::load(cal.save(), "calib.txt");
  EXPECT_EQ(back.images, cal.images);
  ASSERT_EQ(back.values.size(), cal.values.size());
  quant::QuantOptions o;
  o.act_clipping = quant::Clipping::KL;
  test::expect_equal(run(quant::quantize(g, back, o).graph, x), run(quant::quantize(g, cal, o).graph, x));
  try {
    quant::Calibration::load("n2d2-flow calibration 1 images 8\nconv\t1\t0.5\t0\t4 1 2\n", "calib.txt");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("calib.txt:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(quant::Calibration::load("garbage\n", "calib.txt"), Error);
}

TEST(Quantizer, BadInputNamesTheProblem) {
  graph::Graph g = load("lenet_fmnist");
  EXPECT_THROW(quant::calibrate(g, [](Tensor&) { return false; }), Error);  // empty calibration set
  quant::Calibration cal = calibrate_on(g, input("lenet_fmnist"));
  quant::QuantOptions o;
  o.nbbits = 17;
  EXPECT_THROW(quant::quantize(g, cal, o), Error);
  o.nbbits = 1;
  EXPECT_THROW(quant::quantize(g, cal, o), Error);
  // An op the quantizer does not handle: its node is named.
  graph::Graph s;
  s.opset_imports[""] = 13;
  graph::ValueId in = s.add_value("x", TensorType(DType::F32, {1, 4}));
  s.add_input(in);
  graph::Node n;
  n.name = "sig";
  n.op_type = "Sigmoid";
  n.inputs = {in};
  n.outputs = {s.add_value("y")};
  graph::OpRegistry::builtin().bind(n, 13);
  s.add_node(n);
  s.add_output(n.outputs[0]);
  graph::infer_shapes(s);
  quant::Calibration c2 = calibrate_on(s, test::random_tensor({1, 4}, 1));
  try {
    quant::quantize(s, c2, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'sig' (Sigmoid)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not supported for quantization"), std::string::npos) << e.what();
  }
}
