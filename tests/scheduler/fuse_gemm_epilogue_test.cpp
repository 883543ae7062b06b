// fuse_gemm_epilogue on small hand-built graphs: Gemm -> activation becomes one ai.n2d2
// FusedGemm with the activation's parameters, results before and after agree (the fused graph
// runs the prepacked kernel on the B packed by the Plan), and the cases the pass must leave
// alone (a Gemm output with two consumers or that is a graph output, an activation that is not
// fusable).
#include <gtest/gtest.h>

#include "graph/passes/passes.h"
#include "kernels/cpu/isa.h"
#include "scheduler/executor.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::graph;
using n2d2::test::count_op;
using n2d2::test::find_op;

namespace {

void add(Graph& g, const std::string& op, std::vector<ValueId> in, ValueId out, Attributes a = {}) {
  Node n;
  n.name = op + std::to_string(g.num_nodes());
  n.op_type = op;
  n.inputs = std::move(in);
  n.outputs = {out};
  n.attrs = std::move(a);
  OpRegistry::builtin().bind(n, 17);
  g.add_node(std::move(n));
}

struct Options {
  std::string act = "Relu";
  bool second_consumer = false;  // a Neg also reads the Gemm output
  bool gemm_is_output = false;
};

// x [3, 20] -> Gemm(transB, W [7, 20], C [7], alpha 0.5) -> act -> y.
Graph build(const Options& o) {
  Graph g;
  g.name = "gemm_fusion";
  g.opset_imports[""] = 17;
  ValueId x = g.add_value("x", TensorType(DType::F32, {3, 20}));
  g.add_input(x);
  ValueId v = g.add_value("gemm_out");
  Attributes ga;
  ga.set("transB", int64_t{1});
  ga.set("alpha", 0.5f);
  add(g, "Gemm", {x, g.add_initializer("w", test::random_tensor({7, 20}, 1)), g.add_initializer("c", test::random_tensor({7}, 2))},
      v, ga);
  if (o.gemm_is_output) g.add_output(v);
  if (o.second_consumer) {
    ValueId n = g.add_value("neg");
    add(g, "Neg", {v}, n);
    g.add_output(n);
  }
  ValueId a = g.add_value("act");
  Attributes aa;
  std::vector<ValueId> in = {v};
  if (o.act == "LeakyRelu") aa.set("alpha", 0.2f);
  if (o.act == "Clip") {
    in.push_back(g.add_initializer("lo", Tensor::from_vector<float>({}, {-0.25f})));
    in.push_back(g.add_initializer("hi", Tensor::from_vector<float>({}, {0.5f})));
  }
  add(g, o.act, in, a, aa);
  g.add_output(a);
  infer_shapes(g);
  return g;
}

std::vector<Tensor> run(const Graph& g) {
  sched::Plan plan = sched::Plan::compile(g);
  std::vector<Tensor> in = {test::random_tensor({3, 20}, 10)};
  return sched::make_executor(plan, sched::Engine::Sequential, 1)->run(in);
}

}  // namespace

TEST(FuseGemmEpilogue, FusesEachActivation) {
  for (const char* act : {"Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSwish"}) {
    SCOPED_TRACE(act);
    Graph g = build({.act = act});
    Graph before = g;
    ASSERT_EQ(fuse_gemm_epilogue(g), 1);
    EXPECT_EQ(count_op(g, "Gemm") + count_op(g, act), 0);
    const Node* f = find_op(g, "FusedGemm");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->domain, "ai.n2d2");
    EXPECT_EQ(f->attrs.s("activation"), act);
    EXPECT_EQ(f->attrs.i("transB"), 1);
    EXPECT_FLOAT_EQ(f->attrs.f("alpha"), 0.5f);
    EXPECT_FLOAT_EQ(f->attrs.f("beta"), 1.f);
    ASSERT_EQ(f->inputs.size(), 3u);
    EXPECT_EQ(f->inputs[0], g.inputs()[0]);
    EXPECT_EQ(f->outputs[0], g.outputs()[0]);
    if (std::string(act) == "Clip") {
      EXPECT_FLOAT_EQ(f->attrs.f("activation_alpha"), -0.25f);
      EXPECT_FLOAT_EQ(f->attrs.f("activation_beta"), 0.5f);
    }
    if (std::string(act) == "LeakyRelu") EXPECT_FLOAT_EQ(f->attrs.f("activation_alpha"), 0.2f);
    std::vector<Tensor> a = run(before), b = run(g);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    test::expect_near(b[0], a[0], 1e-5, 1e-5);
  }
}

TEST(FuseGemmEpilogue, FusedPlanRunsThePrepackedKernel) {
  Graph g = build({});
  ASSERT_EQ(fuse_gemm_epilogue(g), 1);
  sched::Plan plan = sched::Plan::compile(g);
  bool found = false;
  for (const auto& s : plan.steps())
    if (plan.graph().node(s.node).op_type == "FusedGemm") {
      found = true;
      std::string name = s.kernel->name;
      EXPECT_TRUE(name.find("prepacked") != std::string::npos || kernels::max_isa() < kernels::Isa::Avx2) << name;
      if (name.find("prepacked") != std::string::npos) EXPECT_NE(s.prepared, nullptr);
    }
  EXPECT_TRUE(found);
}

TEST(FuseGemmEpilogue, LeavesSharedValuesAlone) {
  // The Gemm output also feeds a Neg, or is itself a graph output: the activation stays apart.
  for (Options o : {Options{.second_consumer = true}, Options{.gemm_is_output = true}}) {
    Graph g = build(o);
    EXPECT_EQ(fuse_gemm_epilogue(g), 0);
    EXPECT_EQ(count_op(g, "Gemm"), 1);
    EXPECT_EQ(count_op(g, "Relu"), 1);
    EXPECT_EQ(count_op(g, "FusedGemm"), 0);
  }
  // An activation FusedGemm does not have.
  Graph t = build({.act = "Tanh"});
  EXPECT_EQ(fuse_gemm_epilogue(t), 0);
  EXPECT_EQ(count_op(t, "Gemm"), 1);
}
