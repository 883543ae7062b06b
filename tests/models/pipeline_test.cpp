// The pass pipeline on exporter output: the Shape->Gather->Unsqueeze->Concat->Reshape chain that
// torch.onnx leaves for x.view(x.size(0), -1) folds away, and Dropout disappears.
#include <gtest/gtest.h>

#include "frontends/onnx/onnx_loader.h"
#include "scheduler/pipeline.h"
#include "tests/test_util.h"

using namespace n2d2;

namespace {
int count_ops(const graph::Graph& g, const std::string& op) {
  int n = 0;
  for (const auto& node : g.nodes()) n += node.op_type == op;
  return n;
}
}  // namespace

TEST(Pipeline, FoldsExporterShapeChains) {
  graph::Graph g = onnx::load_model(test::source_path("tests/models/resnet_tiny/model.onnx"));
  ASSERT_EQ(count_ops(g, "Shape"), 1);
  ASSERT_EQ(count_ops(g, "Gather"), 1);
  sched::PassReport r = sched::optimize_graph(g);
  EXPECT_EQ(r.constants_folded, 5);
  for (const char* op : {"Shape", "Gather", "Unsqueeze", "Concat"}) EXPECT_EQ(count_ops(g, op), 0) << op;
  // The Reshape now has a constant shape and a fully known output.
  for (const auto& n : g.nodes())
    if (n.op_type == "Reshape") {
      EXPECT_TRUE(g.value(n.inputs[1]).is_constant());
      EXPECT_EQ(g.value(n.outputs[0]).type.str(), "float32[2x32]");
    }
}

TEST(Pipeline, RemovesInferenceDropout) {
  graph::Graph g = onnx::load_model(test::source_path("tests/models/squeeze_tiny/model.onnx"));
  ASSERT_EQ(count_ops(g, "Dropout"), 1);
  sched::PassReport r = sched::optimize_graph(g);
  EXPECT_EQ(r.identities_removed, 1);
  EXPECT_EQ(count_ops(g, "Dropout"), 0);
}
