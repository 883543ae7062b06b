#include <gtest/gtest.h>

#include "graph/graph.h"
#include "graph/shape_utils.h"

using namespace n2d2;
using namespace n2d2::graph;

namespace {
NodeId add_unary(Graph& g, const std::string& name, ValueId in, ValueId out) {
  Node n;
  n.name = name;
  n.op_type = "Relu";
  n.inputs = {in};
  n.outputs = {out};
  return g.add_node(std::move(n));
}
}  // namespace

TEST(Graph, TopoOrderFollowsDataNotInsertion) {
  Graph g;
  ValueId x = g.add_value("x"), a = g.add_value("a"), b = g.add_value("b");
  g.add_input(x);
  NodeId second = add_unary(g, "second", a, b);  // inserted first, runs second
  NodeId first = add_unary(g, "first", x, a);
  g.add_output(b);
  auto order = g.topo_order();
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(order[0], first);
  EXPECT_EQ(order[1], second);
}

TEST(Graph, CycleIsReportedWithNodeNames) {
  Graph g;
  g.name = "loop";
  ValueId a = g.add_value("a"), b = g.add_value("b");
  add_unary(g, "n1", a, b);
  add_unary(g, "n2", b, a);
  try {
    g.topo_order();
    FAIL() << "no error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("cycle"), std::string::npos) << m;
    EXPECT_NE(m.find("'n1'"), std::string::npos) << m;
    EXPECT_NE(m.find("'n2'"), std::string::npos) << m;
  }
}

TEST(Graph, CompactDropsRemovedNodesAndUnusedValues) {
  Graph g;
  ValueId x = g.add_value("x"), a = g.add_value("a"), b = g.add_value("b");
  g.add_input(x);
  NodeId n1 = add_unary(g, "n1", x, a);
  add_unary(g, "n2", a, b);
  g.add_output(a);
  g.remove_node(n1 + 1);
  g.compact();
  ASSERT_EQ(g.num_nodes(), 1u);
  EXPECT_EQ(g.num_values(), 2u);  // b is gone
  EXPECT_EQ(g.value(g.outputs()[0]).name, "a");
  EXPECT_EQ(g.value(g.outputs()[0]).producer, 0);
}

TEST(Graph, ReplaceUsesRewiresConsumersAndOutputs) {
  Graph g;
  ValueId x = g.add_value("x"), a = g.add_value("a"), b = g.add_value("b");
  add_unary(g, "n1", x, a);
  add_unary(g, "n2", a, b);
  g.add_output(a);
  g.replace_uses(a, x);
  EXPECT_EQ(g.node(1).inputs[0], x);
  EXPECT_EQ(g.outputs()[0], x);
  auto cons = g.consumers();
  EXPECT_EQ(cons[x].size(), 2u);
}

TEST(ShapeUtils, Broadcast) {
  Shape out;
  ASSERT_TRUE(broadcast_shapes({2, 1, 4}, {3, 1}, out));
  EXPECT_EQ(out, (Shape{2, 3, 4}));
  EXPECT_FALSE(broadcast_shapes({2, 3}, {4}, out));
  ASSERT_TRUE(broadcast_shapes({}, {5}, out));
  EXPECT_EQ(out, (Shape{5}));
  int64_t ax = -1;
  ASSERT_TRUE(normalize_axis(ax, 3));
  EXPECT_EQ(ax, 2);
  ax = 3;
  EXPECT_FALSE(normalize_axis(ax, 3));
}

TEST(Tensor, ViewSharesBufferAndCloneDoesNot) {
  Tensor t = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor v = t.reshaped({3, 2});
  EXPECT_TRUE(v.shares_buffer(t));
  EXPECT_EQ(v.data<float>()[5], 6.f);
  Tensor c = t.clone();
  EXPECT_FALSE(c.shares_buffer(t));
  EXPECT_THROW(t.reshaped({4}), Error);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.raw()) % 64, 0u);
  EXPECT_EQ(Tensor::from_vector<int32_t>({3}, {1, -2, 3}).to_int64_vector(), (std::vector<int64_t>{1, -2, 3}));
  EXPECT_EQ(TensorType(DType::F32, {1, kUnknownDim}).str(), "float32[1x?]");
}
