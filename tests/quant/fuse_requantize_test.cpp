// Graph pass fuse_requantize: QConv -> Requantize and QAdd -> Requantize become QConvRequantize /
// QAddRequantize when the int32 accumulator has no other use; the fused graph computes the same
// bits as the unfused one (compiled Plans, fast kernels where the CPU has them).
#include <random>

#include "graph/op_registry.h"
#include "graph/ops/quant_ops.h"
#include "graph/passes/fuse_requantize.h"
#include "graph/passes/passes.h"
#include "scheduler/executor.h"
#include "scheduler/plan.h"
#include "tests/test_util.h"

using namespace n2d2;

namespace {

using test::random_int;

graph::ValueId add(graph::Graph& g, const std::string& op, const std::string& name, std::vector<graph::ValueId> in,
                   graph::Attributes a) {
  graph::Node n;
  n.name = name;
  n.op_type = op;
  n.domain = graph::kN2D2Domain;
  n.inputs = std::move(in);
  n.outputs = {g.add_value(name + "_out")};
  n.attrs = std::move(a);
  graph::OpRegistry::builtin().bind(n, 1);
  graph::ValueId y = n.outputs[0];
  g.add_node(std::move(n));
  return y;
}

graph::Attributes rq(const std::string& mode, bool sg, int64_t shift, float scale) {
  graph::Attributes a = test::attrs({{"mode", mode}, {"nbbits", int64_t{8}}, {"signed", int64_t{sg}}});
  if (mode == "Floating-point") a.set("scale", std::vector<float>{scale});
  else a.set("shift", std::vector<int64_t>{shift});
  return a;
}

// x -> QConv 3x3 -> Rq (u8) -> QConv 1x1 -> Rq (i8); QAdd of both -> Rq (u8) -> QConv 3x3 whose
// int32 output is also a graph output -> Rq.
graph::Graph make_graph() {
  graph::Graph g;
  g.opset_imports[""] = 13;
  g.opset_imports[graph::kN2D2Domain] = 1;
  graph::ValueId x = g.add_value("x", TensorType(DType::U8, {1, 8, 6, 6}));
  g.add_input(x);
  graph::Attributes pad = test::attrs({{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  auto w = [&](const std::string& n, Shape s, uint64_t seed) { return g.add_initializer(n, random_int<int8_t>(s, seed, -127, 127)); };
  auto b = [&](const std::string& n, uint64_t seed) { return g.add_initializer(n, random_int<int32_t>({8}, seed, -3000, 3000)); };
  graph::ValueId c1 = add(g, "QConv", "c1", {x, w("w1", {8, 8, 3, 3}, 1), b("b1", 2)}, pad);
  graph::ValueId r1 = add(g, "Requantize", "r1", {c1}, rq("Floating-point", false, 0, 1.f / 1500.f));
  graph::ValueId c2 = add(g, "QConv", "c2", {r1, w("w2", {8, 8, 1, 1}, 3), b("b2", 4)}, {});
  graph::ValueId r2 = add(g, "Requantize", "r2", {c2}, rq("Single-shift", true, 9, 0.f));
  graph::ValueId s = add(g, "QAdd", "s", {r1, r2}, test::attrs({{"a_multiplier", int64_t{3}}, {"b_multiplier", int64_t{5}}}));
  graph::ValueId r3 = add(g, "Requantize", "r3", {s}, rq("Single-shift", false, 2, 0.f));
  graph::ValueId c3 = add(g, "QConv", "c3", {r3, w("w3", {8, 8, 3, 3}, 5), b("b3", 6)}, pad);
  graph::ValueId r4 = add(g, "Requantize", "r4", {c3}, rq("Floating-point", false, 0, 1.f / 2000.f));
  g.add_output(r4);
  g.add_output(c3);
  graph::infer_shapes(g);
  return g;
}

int count(const graph::Graph& g, const std::string& op) {
  int n = 0;
  for (graph::NodeId id : g.topo_order())
    if (g.node(id).op_type == op) ++n;
  return n;
}

}  // namespace

TEST(FuseRequantize, FusesSingleUseAccumulatorsOnly) {
  graph::Graph g = make_graph();
  EXPECT_EQ(graph::fuse_requantize(g), 3);
  EXPECT_EQ(count(g, "QConvRequantize"), 2);
  EXPECT_EQ(count(g, "QAddRequantize"), 1);
  EXPECT_EQ(count(g, "QConv"), 1);  // c3: its int32 output is a graph output
  EXPECT_EQ(count(g, "Requantize"), 1);
  EXPECT_EQ(count(g, "QAdd"), 0);
  EXPECT_EQ(graph::fuse_requantize(g), 0);  // nothing left
}

TEST(FuseRequantize, FusedGraphGivesTheSameBits) {
  graph::Graph plain = make_graph(), fused = make_graph();
  ASSERT_EQ(graph::fuse_requantize(fused), 3);
  graph::infer_shapes(fused);
  sched::Plan pp = sched::Plan::compile(plain), pf = sched::Plan::compile(fused);
  auto ep = sched::make_executor(pp, sched::Engine::Sequential, 1), ef = sched::make_executor(pf, sched::Engine::Sequential, 1);
  for (uint64_t seed : {10, 11}) {
    Tensor x = random_int<uint8_t>({1, 8, 6, 6}, seed, 0, 255);
    std::vector<Tensor> a = ep->run({x}), b = ef->run({x});
    ASSERT_EQ(a.size(), 2u);
    ASSERT_EQ(b.size(), 2u);
    test::expect_equal(b[0], a[0]);
    test::expect_equal(b[1], a[1]);
    // Not trivially constant: the requantized output spans several values.
    const uint8_t* p = a[0].data<uint8_t>();
    EXPECT_NE(*std::min_element(p, p + a[0].numel()), *std::max_element(p, p + a[0].numel()));
  }
}
