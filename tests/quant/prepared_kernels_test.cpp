// QConv / QGemm inside a Plan, where the x86 kernels use weights packed once by their prepare
// hook, against the reference kernel on the same inputs, bit for bit (several runs: the packed
// state is reused).
#include <random>

#include "graph/op_registry.h"
#include "graph/ops/quant_ops.h"
#include "graph/passes/passes.h"
#include "kernels/cpu/isa.h"
#include "kernels/run_node.h"
#include "scheduler/executor.h"
#include "scheduler/plan.h"
#include "tests/test_util.h"

using namespace n2d2;

namespace {

using test::random_int;

void check(const std::string& op, const Tensor& x, const Tensor& w, const Tensor& b, graph::Attributes a) {
  graph::Graph g;
  g.opset_imports[""] = 13;
  g.opset_imports[graph::kN2D2Domain] = 1;
  graph::ValueId in = g.add_value("x", x.type());
  g.add_input(in);
  graph::Node n;
  n.name = "q";
  n.op_type = op;
  n.domain = graph::kN2D2Domain;
  n.inputs = {in, g.add_initializer("w", w), g.add_initializer("b", b)};
  n.outputs = {g.add_value("y")};
  n.attrs = a;
  graph::OpRegistry::builtin().bind(n, 1);
  graph::Node ref = n;
  g.add_node(n);
  g.add_output(n.outputs[0]);
  graph::infer_shapes(g);
  sched::Plan plan = sched::Plan::compile(g);
  if (kernels::require_isa(kernels::Isa::Avx2).empty())  // the prepared x86 kernel, not the reference
    EXPECT_EQ(std::string(plan.steps()[0].kernel->name).find("_ref"), std::string::npos) << plan.steps()[0].kernel->name;
  auto ex = sched::make_executor(plan, sched::Engine::Sequential, 1);
  const auto& impls = kernels::KernelRegistry::builtin().implementations(op, graph::kN2D2Domain);
  std::vector<const Tensor*> ptrs = {&x, &w, &b};
  Tensor want = kernels::run_node(ref, ptrs, impls.back(), graph::OpRegistry::builtin())[0];
  for (int run = 0; run < 3; ++run) test::expect_equal(ex->run({x})[0], want);
}

}  // namespace

TEST(PreparedKernels, QConvInAPlanMatchesReference) {
  for (bool sg : {false, true}) {
    Tensor x = sg ? random_int<int8_t>({2, 6, 9, 7}, 1, -127, 127) : random_int<uint8_t>({2, 6, 9, 7}, 1, 0, 255);
    check("QConv", x, random_int<int8_t>({10, 3, 3, 3}, 2, -127, 127), random_int<int32_t>({10}, 3, -9999, 9999),
          test::attrs({{"pads", std::vector<int64_t>{1, 1, 1, 1}}, {"group", int64_t{2}}}));
  }
}

TEST(PreparedKernels, QGemmInAPlanMatchesReference) {
  check("QGemm", random_int<uint8_t>({3, 77}, 4, 0, 255), random_int<int8_t>({21, 77}, 5, -127, 127),
        random_int<int32_t>({21}, 6, -9999, 9999), {});
}
