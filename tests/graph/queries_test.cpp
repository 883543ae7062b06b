#include <gtest/gtest.h>

#include <algorithm>

#include "graph/queries.h"

using namespace n2d2;
using namespace n2d2::graph;

namespace {
// x -> a=n0(x) -> b=n1(a) -> d=n3(b, c) ; c=n2(a)   (a residual-style diamond rooted at n0)
Graph diamond() {
  Graph g;
  ValueId x = g.add_value("x", TensorType(DType::F32, {4})), a = g.add_value("a"), b = g.add_value("b"),
          c = g.add_value("c"), d = g.add_value("d");
  g.add_input(x);
  auto node = [&](const char* name, std::vector<ValueId> in, ValueId out) {
    Node n;
    n.name = name;
    n.op_type = "Op";
    n.inputs = std::move(in);
    n.outputs = {out};
    g.add_node(std::move(n));
  };
  node("n0", {x}, a);
  node("n1", {a}, b);
  node("n2", {a}, c);
  node("n3", {b, c}, d);
  g.add_output(d);
  return g;
}
}  // namespace

TEST(Queries, ImmediateDominatorsOfADiamond) {
  Graph g = diamond();
  auto idom = immediate_dominators(g);
  EXPECT_EQ(idom[0], kNoNode);  // only the entry dominates n0
  EXPECT_EQ(idom[1], 0);
  EXPECT_EQ(idom[2], 0);
  EXPECT_EQ(idom[3], 0);  // the merge is dominated by the fork, not by either branch
}

TEST(Queries, LifetimesAlongASchedule) {
  Graph g = diamond();
  auto order = g.topo_order();
  auto life = value_lifetimes(g, order);
  auto step_of = [&](NodeId n) { return static_cast<int>(std::find(order.begin(), order.end(), n) - order.begin()); };
  EXPECT_EQ(life[0].def, -1);                         // x: graph input
  EXPECT_EQ(life[0].last_use, step_of(0));
  EXPECT_EQ(life[1].def, step_of(0));                 // a: read by n1 and n2
  EXPECT_EQ(life[1].last_use, std::max(step_of(1), step_of(2)));
  EXPECT_EQ(life[4].last_use, static_cast<int>(order.size()));  // d: graph output lives to the end
}
