// ONNX export: import -> export -> import keeps names, shapes and outputs bit for bit, for float
// models and for quantized (ai.n2d2) ones; the file write is atomic.
#include <filesystem>

#include "exporters/onnx_writer.h"
#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "quant/quantizer.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#include "tests/test_util.h"

using namespace n2d2;

namespace {

Tensor run(const graph::Graph& g, const Tensor& x) {
  sched::Plan p = sched::Plan::compile(g);
  return sched::make_executor(p, sched::Engine::Sequential, 1)->run({x})[0];
}

void expect_same_interface(const graph::Graph& a, const graph::Graph& b) {
  ASSERT_EQ(a.inputs().size(), b.inputs().size());
  ASSERT_EQ(a.outputs().size(), b.outputs().size());
  for (std::size_t i = 0; i < a.inputs().size(); ++i) {
    EXPECT_EQ(a.value(a.inputs()[i]).name, b.value(b.inputs()[i]).name);
    EXPECT_EQ(a.value(a.inputs()[i]).type.str(), b.value(b.inputs()[i]).type.str());
  }
  for (std::size_t i = 0; i < a.outputs().size(); ++i) {
    EXPECT_EQ(a.value(a.outputs()[i]).name, b.value(b.outputs()[i]).name);
    EXPECT_EQ(a.value(a.outputs()[i]).type.str(), b.value(b.outputs()[i]).type.str());
  }
}

}  // namespace

TEST(OnnxWriter, FloatRoundTripIsIdentical) {
  for (const char* m : {"lenet_fmnist", "resnet_tiny", "mobilenet_tiny"}) {
    SCOPED_TRACE(m);
    std::string dir = "tests/models/" + std::string(m);
    graph::Graph g = onnx::load_model(test::source_path(dir + "/model.onnx"));
    graph::Graph back = onnx::load_model_from_bytes(exporters::onnx_bytes(g), "", "exported");
    expect_same_interface(g, back);
    EXPECT_EQ(back.num_nodes(), g.num_nodes());
    for (std::size_t i = 0; i < g.num_nodes(); ++i) {
      EXPECT_EQ(back.nodes()[i].name, g.nodes()[i].name);
      EXPECT_EQ(back.nodes()[i].op_type, g.nodes()[i].op_type);
    }
    Tensor x = io::read_npy(test::source_path(dir + "/input_0.npy"));
    sched::optimize_graph(g);
    sched::optimize_graph(back);
    test::expect_equal(run(back, x), run(g, x));
  }
}

TEST(OnnxWriter, QuantizedRoundTripIsIdentical) {
  graph::Graph g = onnx::load_model(test::source_path("tests/models/resnet_tiny/model.onnx"));
  sched::optimize_graph(g);
  quant::fold_batchnorm(g);
  Tensor x = io::read_npy(test::source_path("tests/models/resnet_tiny/input_0.npy"));
  bool given = false;
  quant::Calibration cal = quant::calibrate(g, [&](Tensor& b) { return !given && (b = x, given = true); });
  quant::QuantOptions o;
  o.rescaling = quant::RescalingMode::SingleShift;
  graph::Graph q = quant::quantize(g, cal, o).graph;
  std::string path = (std::filesystem::temp_directory_path() / "n2d2_quant_writer_test.onnx").string();
  exporters::write_onnx(q, path);
  graph::Graph back = onnx::load_model(path);
  std::filesystem::remove(path);
  expect_same_interface(q, back);
  EXPECT_EQ(back.opset("ai.n2d2"), 1);
  sched::optimize_graph(back);
  test::expect_equal(run(back, x), run(q, x));
}
