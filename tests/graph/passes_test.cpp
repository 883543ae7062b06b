// Passes over a private op registry (ops "Twice", "Shape", "Identity", "Dropout"), so these tests
// depend on nothing but the graph module.
#include <gtest/gtest.h>

#include "graph/passes/passes.h"

using namespace n2d2;
using namespace n2d2::graph;

namespace {

OpRegistry test_ops() {
  OpRegistry r;
  auto same = [](const InferContext& c) { return std::vector<TensorType>{c.input_type(0)}; };
  r.add(OpSchema{"Twice", "", 1, 1, 1, 1, 1, {}, same, {}});
  r.add(OpSchema{"Identity", "", 1, 1, 1, 1, 1, {}, same, {}});
  r.add(OpSchema{"Dropout", "", 1, 1, 3, 1, 2, {}, same, {}});
  r.add(OpSchema{"Shape", "", 1, 1, 1, 1, 1, {AttrSpec{"start", AttrType::Int, AttrValue{int64_t{0}}}},
                 [](const InferContext& c) {
                   return std::vector<TensorType>{TensorType(DType::I64, {static_cast<int64_t>(c.input_shape(0).size())})};
                 },
                 {}});
  return r;
}

// Evaluates "Twice" on float tensors; counts calls.
struct TwiceEval {
  int* calls;
  std::vector<Tensor> operator()(const Node& n, std::span<const Tensor* const> in) const {
    ++*calls;
    EXPECT_EQ(n.op_type, "Twice");
    Tensor out(DType::F32, in[0]->shape());
    for (int64_t i = 0; i < out.numel(); ++i) out.data_mut<float>()[i] = 2 * in[0]->data<float>()[i];
    return {out};
  }
};

NodeId add(Graph& g, const OpRegistry& r, const std::string& op, std::vector<ValueId> in, std::vector<ValueId> out) {
  Node n;
  n.name = op + std::to_string(g.num_nodes());
  n.op_type = op;
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  r.bind(n, 13);
  return g.add_node(std::move(n));
}

}  // namespace

TEST(Passes, InferShapesPropagatesInTopologicalOrder) {
  OpRegistry r = test_ops();
  Graph g;
  ValueId x = g.add_value("x", TensorType(DType::F32, {2, 3})), a = g.add_value("a"), b = g.add_value("b");
  g.add_input(x);
  add(g, r, "Twice", {a}, {b});  // inserted before its producer
  add(g, r, "Twice", {x}, {a});
  g.add_output(b);
  infer_shapes(g, r);
  EXPECT_EQ(g.value(b).type.str(), "float32[2x3]");
}

TEST(Passes, FoldConstantsEvaluatesConstantSubgraphsOnly) {
  OpRegistry r = test_ops();
  Graph g;
  ValueId c = g.add_initializer("c", Tensor::from_vector<float>({2}, {1.5f, -2.f}));
  ValueId x = g.add_value("x", TensorType(DType::F32, {2}));
  ValueId c2 = g.add_value("c2"), c4 = g.add_value("c4"), y = g.add_value("y");
  g.add_input(x);
  add(g, r, "Twice", {c}, {c2});
  add(g, r, "Twice", {c2}, {c4});
  add(g, r, "Twice", {x}, {y});
  g.add_output(c4);
  g.add_output(y);
  infer_shapes(g, r);
  int calls = 0;
  EXPECT_EQ(fold_constants(g, TwiceEval{&calls}, r), 2);
  EXPECT_EQ(calls, 2);
  ASSERT_EQ(g.num_nodes(), 1u);  // only the node reading x is left
  const Value& out = g.value(g.outputs()[0]);
  ASSERT_TRUE(out.is_constant());
  EXPECT_EQ(out.initializer->to_vector<float>(), (std::vector<float>{6.f, -8.f}));
}

TEST(Passes, FoldConstantsFoldsShapeOfKnownShapeButNotUnknown) {
  OpRegistry r = test_ops();
  Graph g;
  ValueId x = g.add_value("x", TensorType(DType::F32, {4, 5, 6}));
  TensorType sym(DType::F32, {kUnknownDim, 5});
  ValueId z = g.add_value("z", sym);
  ValueId s = g.add_value("s"), sz = g.add_value("sz");
  g.add_input(x);
  g.add_input(z);
  Node n;
  n.name = "shape_from_1";
  n.op_type = "Shape";
  n.inputs = {x};
  n.outputs = {s};
  n.attrs.set("start", int64_t{1});
  r.bind(n, 15);
  g.add_node(std::move(n));
  add(g, r, "Shape", {z}, {sz});
  g.add_output(s);
  g.add_output(sz);
  infer_shapes(g, r);
  int calls = 0;
  EXPECT_EQ(fold_constants(g, TwiceEval{&calls}, r), 1);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(g.value(g.outputs()[0]).initializer->to_vector<int64_t>(), (std::vector<int64_t>{5, 6}));
  EXPECT_FALSE(g.value(g.outputs()[1]).is_constant());
}

TEST(Passes, RemoveIdentitiesKeepsGraphOutputNamesAndUsedMasks) {
  OpRegistry r = test_ops();
  Graph g;
  ValueId x = g.add_value("x", TensorType(DType::F32, {2}));
  ValueId a = g.add_value("a"), b = g.add_value("b"), c = g.add_value("c"), m = g.add_value("mask"), d = g.add_value("d");
  g.add_input(x);
  add(g, r, "Identity", {x}, {a});         // removable
  add(g, r, "Dropout", {a}, {b});          // removable (no mask)
  add(g, r, "Twice", {b}, {c});
  add(g, r, "Dropout", {c}, {d, m});       // mask is a graph output: kept
  g.add_output(d);
  g.add_output(m);
  EXPECT_EQ(remove_identities(g), 2);
  ASSERT_EQ(g.num_nodes(), 2u);
  EXPECT_EQ(g.node(0).op_type, "Twice");
  EXPECT_EQ(g.value(g.node(0).inputs[0]).name, "x");
}

TEST(Passes, RemoveDeadNodesDropsUnreachableWork) {
  OpRegistry r = test_ops();
  Graph g;
  ValueId x = g.add_value("x", TensorType(DType::F32, {2}));
  ValueId a = g.add_value("a"), dead1 = g.add_value("dead1"), dead2 = g.add_value("dead2");
  g.add_input(x);
  add(g, r, "Twice", {x}, {a});
  add(g, r, "Twice", {x}, {dead1});
  add(g, r, "Twice", {dead1}, {dead2});
  g.add_output(a);
  EXPECT_EQ(remove_dead_nodes(g), 2);
  EXPECT_EQ(g.num_nodes(), 1u);
  EXPECT_EQ(remove_dead_nodes(g), 0);
}

TEST(OpRegistry, BindFillsDefaultsAndChecksCounts) {
  OpRegistry r = test_ops();
  Node n;
  n.name = "s";
  n.op_type = "Shape";
  n.inputs = {0};
  n.outputs = {1};
  EXPECT_EQ(&r.bind(n, 15), r.find("Shape", "", 15));
  EXPECT_EQ(n.attrs.i("start"), 0);
  n.inputs = {0, 1};
  EXPECT_THROW(r.bind(n, 15), Error);
  Node u;
  u.name = "u";
  u.op_type = "NoSuchOp";
  EXPECT_THROW(r.bind(u, 13), UnsupportedError);
  Node bad = n;
  bad.inputs = {0};
  bad.attrs.set("start", std::string("x"));
  EXPECT_THROW(r.bind(bad, 15), Error);
}
