// The Plan's static arena (scheduler/static_memory.h): buffers share bytes only when one is dead
// before the other is born in every order the task graph allows; planned runs reuse the arena
// across runs without stale values; kernels that do not overwrite their outputs get them zeroed.
#include <gtest/gtest.h>

#include <cstring>

#include "scheduler/executor.h"
#include "scheduler/static_memory.h"
#include "tests/scheduler/diamond_graph.h"

using namespace n2d2;
using namespace n2d2::graph;
using namespace n2d2::sched;

namespace {

using test::Registries;
using test::diamond;

Tensor input(float scale) {
  Tensor t(DType::F32, {64, 33});
  for (int64_t i = 0; i < t.numel(); ++i) t.data_mut<float>()[i] = static_cast<float>(i % 97) * scale;
  return t;
}

// Steps reading `slot`, and the step producing it.
std::vector<int> readers(const Plan& p, int slot) {
  std::vector<int> r;
  for (std::size_t i = 0; i < p.steps().size(); ++i)
    for (int s : p.steps()[i].in_slots)
      if (s == slot) r.push_back(static_cast<int>(i));
  return r;
}
int producer(const Plan& p, int slot) {
  for (std::size_t i = 0; i < p.steps().size(); ++i)
    for (int s : p.steps()[i].out_slots)
      if (s == slot) return static_cast<int>(i);
  return -1;
}
// Is step a an ancestor of step b (a path of preds from b reaches a)?
bool precedes(const Plan& p, int a, int b) {
  std::vector<int> todo = p.steps()[b].preds;
  std::vector<bool> seen(p.steps().size(), false);
  while (!todo.empty()) {
    int s = todo.back();
    todo.pop_back();
    if (s == a) return true;
    if (seen[s]) continue;
    seen[s] = true;
    for (int q : p.steps()[s].preds) todo.push_back(q);
  }
  return false;
}

}  // namespace

TEST(StaticMemory, DiamondBranchesNeverShareBytesChainsDo) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 8), {}, r.ops, r.kernels);
  const StaticMemory& sm = plan.static_memory();
  const std::size_t one = 64 * 33 * sizeof(float);
  // 16 Sin outputs are planned (the Add's output is a graph output, allocated per run). Each
  // branch needs two buffers in turn, and the branches may run at the same time: four in all.
  EXPECT_EQ(sm.buffers, 16);
  EXPECT_EQ(sm.naive_bytes, 16 * ((one + 63) / 64 * 64));
  EXPECT_EQ(sm.arena_bytes, 4 * ((one + 63) / 64 * 64));
  // Every Sin step writes into the arena; the last step (the Add, a graph output) does not.
  ASSERT_EQ(sm.step_planned.size(), plan.steps().size());
  for (std::size_t i = 0; i + 1 < plan.steps().size(); ++i) EXPECT_TRUE(sm.step_planned[i]) << i;
  EXPECT_FALSE(sm.step_planned.back());
  // Brute force: any two planned slots whose bytes overlap are ordered by the graph.
  for (std::size_t a = 0; a < sm.offset.size(); ++a)
    for (std::size_t b = a + 1; b < sm.offset.size(); ++b) {
      if (sm.offset[a] < 0 || sm.offset[b] < 0) continue;
      bool overlap = sm.offset[a] < sm.offset[b] + static_cast<int64_t>(one) && sm.offset[b] < sm.offset[a] + static_cast<int64_t>(one);
      if (!overlap) continue;
      auto dead_before = [&](int x, int y) {
        int py = producer(plan, y);
        if (!precedes(plan, producer(plan, x), py)) return false;
        for (int rd : readers(plan, x))
          if (!precedes(plan, rd, py)) return false;
        return true;
      };
      EXPECT_TRUE(dead_before(static_cast<int>(a), static_cast<int>(b)) || dead_before(static_cast<int>(b), static_cast<int>(a)))
          << "slots " << a << " and " << b << " share bytes but may be alive together";
    }
}

TEST(StaticMemory, ArenaReusedAcrossRunsGivesFreshResults) {
  // An executor keeps one arena: a second run with other inputs must equal a fresh executor's
  // run (no value of the first run leaks), in both engines and at 1 and 2 threads.
  Registries r;
  Plan plan = Plan::compile(diamond(r, 6), {}, r.ops, r.kernels);
  ASSERT_GT(plan.static_memory().arena_bytes, 0u);
  Tensor want = make_executor(plan, Engine::Sequential, 1)->run({input(0.02f)})[0];
  for (Engine e : {Engine::Sequential, Engine::Tbb})
    for (int threads : {1, 2}) {
      auto ex = make_executor(plan, e, threads);
      ex->run({input(0.01f)});
      Tensor got = ex->run({input(0.02f)})[0];
      ASSERT_EQ(0, std::memcmp(got.raw(), want.raw(), want.nbytes())) << engine_name(e) << " " << threads;
    }
}

namespace {
// Adds its input into its output: correct only on a zero-filled output.
Status accumulate_kernel(const kernels::KernelContext& c) {
  for (int64_t i = 0; i < c.in(0).numel(); ++i) c.out(0).data_mut<float>()[i] += c.in(0).data<float>()[i];
  return Status::ok();
}
}  // namespace

TEST(StaticMemory, OutputsOfKernelsThatDoNotOverwriteAreZeroed) {
  Registries r;
  r.ops.add(OpSchema{"Acc", "", 1, 1, 1, 1, 1, {}, test::same_as_first, {}});
  r.kernels.add({"acc_test", "Acc", "", test::only_f32, accumulate_kernel});  // overwrites_outputs = false
  Graph g;
  ValueId x = g.add_value("x", TensorType(DType::F32, {64, 33}));
  g.add_input(x);
  ValueId v = x;
  for (int i = 0; i < 4; ++i) {
    ValueId out = g.add_value("v" + std::to_string(i), TensorType(DType::F32, {64, 33}));
    Node n;
    n.name = "acc" + std::to_string(i);
    n.op_type = i % 2 ? "Acc" : "Sin";
    n.inputs = {v};
    n.outputs = {out};
    r.ops.bind(n, 13);
    g.add_node(std::move(n));
    v = out;
  }
  g.add_output(v);
  Plan plan = Plan::compile(std::move(g), {}, r.ops, r.kernels);
  EXPECT_EQ(plan.static_memory().buffers, 3);
  auto ex = make_executor(plan, Engine::Sequential, 1);
  Tensor first = ex->run({input(0.01f)})[0];
  Tensor second = ex->run({input(0.01f)})[0];  // the arena now holds the first run's values
  ASSERT_EQ(0, std::memcmp(first.raw(), second.raw(), first.nbytes()));
  // x -> Sin -> Acc (= copy) -> Sin -> Acc: the output is sin(sin(x)) with the kernel's constants.
  float x0 = 0.01f * 5, s1 = std::sin(x0) * 1.0001f + 0.1f, s2 = std::sin(s1) * 1.0001f + 0.1f;
  EXPECT_FLOAT_EQ(second.data<float>()[5], s2);
}
