// fold_batchnorm and fuse_conv_epilogue on small hand-built graphs: what the graph looks like
// after each pass, that results before and after agree (the unfused graph runs the plain Conv,
// BatchNormalization, Add and activation kernels), the cases the passes must leave alone, and the
// FusedConv reference against hand-computed values.
#include <gtest/gtest.h>

#include "graph/passes/passes.h"
#include "scheduler/executor.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::graph;
using n2d2::test::count_op;
using n2d2::test::find_op;

namespace {

using ints = std::vector<int64_t>;

NodeId add(Graph& g, const std::string& op, std::vector<ValueId> in, ValueId out, Attributes a = {}, int opset = 17) {
  Node n;
  n.name = op + std::to_string(g.num_nodes());
  n.op_type = op;
  n.inputs = std::move(in);
  n.outputs = {out};
  n.attrs = std::move(a);
  OpRegistry::builtin().bind(n, opset);
  return g.add_node(std::move(n));
}

struct Options {
  bool bias = true, bn = true, residual = true;
  std::string act = "Relu";
  bool shared_conv_output = false;
  int64_t group = 1;
};

// x [2,4,7,6] -> Conv(3x3, pad 1, 8 out) -> [BN] -> [Add z] -> [act] -> y (and the conv output as a
// second graph output when shared_conv_output).
Graph build(const Options& o) {
  Graph g;
  g.name = "fusion";
  g.opset_imports[""] = 17;
  ValueId x = g.add_value("x", TensorType(DType::F32, {2, 4, 7, 6}));
  g.add_input(x);
  ValueId z = g.add_value("z", TensorType(DType::F32, {2, 8, 7, 6}));
  if (o.residual) g.add_input(z);
  ValueId w = g.add_initializer("w", test::random_tensor({8, 4 / o.group, 3, 3}, 1));
  std::vector<ValueId> conv_in = {x, w};
  if (o.bias) conv_in.push_back(g.add_initializer("b", test::random_tensor({8}, 2)));
  Attributes ca;
  ca.set("pads", ints{1, 1, 1, 1});
  ca.set("group", o.group);
  ValueId v = g.add_value("conv_out");
  add(g, "Conv", conv_in, v, ca);
  if (o.shared_conv_output) g.add_output(v);
  if (o.bn) {
    ValueId bn_out = g.add_value("bn_out");
    Attributes ba;
    ba.set("epsilon", 1e-3f);
    add(g, "BatchNormalization",
        {v, g.add_initializer("scale", test::random_tensor({8}, 3, 0.5f, 2.f)),
         g.add_initializer("shift", test::random_tensor({8}, 4)), g.add_initializer("mean", test::random_tensor({8}, 5)),
         g.add_initializer("var", test::random_tensor({8}, 6, 0.1f, 3.f))},
        bn_out, ba);
    v = bn_out;
  }
  if (o.residual) {
    ValueId s = g.add_value("sum");
    add(g, "Add", {z, v}, s);
    v = s;
  }
  if (!o.act.empty()) {
    ValueId a = g.add_value("act");
    Attributes aa;
    std::vector<ValueId> in = {v};
    if (o.act == "LeakyRelu") aa.set("alpha", 0.2f);
    if (o.act == "Clip") {
      in.push_back(g.add_initializer("lo", Tensor::from_vector<float>({}, {-0.5f})));
      in.push_back(g.add_initializer("hi", Tensor::from_vector<float>({}, {0.75f})));
    }
    add(g, o.act, in, a, aa);
    v = a;
  }
  g.add_output(v);
  infer_shapes(g);
  return g;
}

std::vector<Tensor> run(const Graph& g) {
  sched::Plan plan = sched::Plan::compile(g);
  std::vector<Tensor> in = {test::random_tensor({2, 4, 7, 6}, 10)};
  if (g.inputs().size() > 1) in.push_back(test::random_tensor({2, 8, 7, 6}, 11));
  return sched::make_executor(plan, sched::Engine::Sequential, 1)->run(in);
}

void expect_same_results(const Graph& before, const Graph& after) {
  std::vector<Tensor> a = run(before), b = run(after);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) test::expect_near(b[i], a[i], 1e-5, 1e-5);
}

}  // namespace

TEST(FoldBatchnorm, FoldsIntoConvWeightsAndBias) {
  for (bool bias : {true, false}) {
    SCOPED_TRACE(bias ? "with bias" : "without bias");
    Graph g = build({.bias = bias, .residual = false, .act = ""});
    Graph before = g;
    EXPECT_EQ(fold_batchnorm(g), 1);
    EXPECT_EQ(count_op(g, "BatchNormalization"), 0);
    const Node* conv = find_op(g, "Conv");
    ASSERT_NE(conv, nullptr);
    ASSERT_TRUE(conv->has_input(2));
    EXPECT_TRUE(g.value(conv->inputs[1]).is_constant());
    EXPECT_EQ(conv->outputs[0], g.outputs()[0]);
    expect_same_results(before, g);
  }
}

TEST(FoldBatchnorm, FoldsIntoGemm) {
  for (int64_t trans_b : {0, 1}) {
    Graph g;
    g.opset_imports[""] = 17;
    ValueId a = g.add_value("a", TensorType(DType::F32, {3, 5}));
    g.add_input(a);
    ValueId y = g.add_value("y"), z = g.add_value("z");
    Attributes ga;
    ga.set("transB", trans_b);
    ga.set("alpha", 0.5f);
    ga.set("beta", 2.f);
    add(g, "Gemm",
        {a, g.add_initializer("w", test::random_tensor(trans_b ? Shape{4, 5} : Shape{5, 4}, 1)),
         g.add_initializer("c", test::random_tensor({4}, 2))},
        y, ga);
    add(g, "BatchNormalization",
        {y, g.add_initializer("s", test::random_tensor({4}, 3)), g.add_initializer("t", test::random_tensor({4}, 4)),
         g.add_initializer("m", test::random_tensor({4}, 5)), g.add_initializer("v", test::random_tensor({4}, 6, 0.1f, 1.f))},
        z);
    g.add_output(z);
    infer_shapes(g);
    Graph before = g;
    EXPECT_EQ(fold_batchnorm(g), 1);
    EXPECT_EQ(count_op(g, "BatchNormalization"), 0);
    sched::Plan p0 = sched::Plan::compile(before), p1 = sched::Plan::compile(g);
    std::vector<Tensor> in = {test::random_tensor({3, 5}, 9)};
    test::expect_near(sched::make_executor(p1, sched::Engine::Sequential, 1)->run(in)[0],
                      sched::make_executor(p0, sched::Engine::Sequential, 1)->run(in)[0], 1e-5, 1e-5);
  }
}

TEST(FoldBatchnorm, LeavesSharedConvOutputsAlone) {
  Graph g = build({.residual = false, .act = "", .shared_conv_output = true});
  EXPECT_EQ(fold_batchnorm(g), 0);
  EXPECT_EQ(count_op(g, "BatchNormalization"), 1);
}

TEST(FuseConvEpilogue, FusesResidualAndEachActivation) {
  for (const char* act : {"Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSwish", ""}) {
    SCOPED_TRACE(act);
    Graph g = build({.act = act});
    Graph before = g;
    ASSERT_EQ(fold_batchnorm(g), 1);
    ASSERT_EQ(fuse_conv_epilogue(g), 1);
    EXPECT_EQ(count_op(g, "Conv") + count_op(g, "Add") + count_op(g, "BatchNormalization"), 0);
    if (*act) EXPECT_EQ(count_op(g, act), 0);
    const Node* f = find_op(g, "FusedConv");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->domain, "ai.n2d2");
    EXPECT_EQ(f->attrs.s("activation"), act);
    ASSERT_EQ(f->inputs.size(), 4u);
    EXPECT_EQ(f->inputs[3], g.inputs()[1]);  // the residual
    EXPECT_EQ(f->outputs[0], g.outputs()[0]);
    if (std::string(act) == "Clip") {
      EXPECT_FLOAT_EQ(f->attrs.f("alpha"), -0.5f);
      EXPECT_FLOAT_EQ(f->attrs.f("beta"), 0.75f);
    }
    expect_same_results(before, g);
  }
}

TEST(FuseConvEpilogue, ActivationWithoutResidualAndDepthwise) {
  for (int64_t group : {1, 4}) {
    Graph g = build({.bias = false, .bn = false, .residual = false, .act = "Relu", .group = group});
    Graph before = g;
    ASSERT_EQ(fuse_conv_epilogue(g), 1);
    const Node* f = find_op(g, "FusedConv");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->inputs.size(), 2u);  // no bias, no residual
    expect_same_results(before, g);
  }
}

TEST(FuseConvEpilogue, LeavesSharedValuesAlone) {
  // The conv output is also a graph output: nothing may be absorbed.
  Graph g = build({.bn = false, .shared_conv_output = true});
  EXPECT_EQ(fuse_conv_epilogue(g), 0);
  EXPECT_EQ(count_op(g, "Conv"), 1);
  // A lone Conv has nothing to fuse.
  Graph lone = build({.bn = false, .residual = false, .act = ""});
  EXPECT_EQ(fuse_conv_epilogue(lone), 0);
}

TEST(FusedConv, ReferenceMatchesHandValues) {
  // x = [1 2; 3 4], w = 1x1 weight 2, bias -5, z = [1 1; 1 1], Relu: max(2x - 5 + 1, 0) = [0 0; 2 4].
  Tensor x = Tensor::from_vector<float>({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor w = Tensor::from_vector<float>({1, 1, 1, 1}, {2});
  Tensor b = Tensor::from_vector<float>({1}, {-5});
  Tensor z = Tensor::from_vector<float>({1, 1, 2, 2}, {1, 1, 1, 1});
  Attributes a;
  a.set("activation", std::string("Relu"));
  Node n = test::make_node("FusedConv", 4, 1, a, 1, "ai.n2d2");
  std::vector<const Tensor*> in = {&x, &w, &b, &z};
  const kernels::KernelImpl* ref = nullptr;
  for (const auto& k : kernels::KernelRegistry::builtin().implementations("FusedConv", "ai.n2d2"))
    if (std::string(k.name) == "fused_conv_ref") ref = &k;
  ASSERT_NE(ref, nullptr);
  Tensor want = Tensor::from_vector<float>({1, 1, 2, 2}, {0, 0, 2, 4});
  test::expect_equal(kernels::run_node(n, in, *ref, OpRegistry::builtin())[0], want);
  test::expect_equal(kernels::evaluate_node(n, in)[0], want);  // the dispatched kernel
  // An unknown activation is rejected by shape inference, naming it.
  a.set("activation", std::string("Gelu"));
  Node bad = test::make_node("FusedConv", 4, 1, a, 1, "ai.n2d2");
  EXPECT_THROW(kernels::evaluate_node(bad, in), Error);
}
