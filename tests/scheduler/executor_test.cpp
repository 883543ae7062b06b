// Executors on a private op set: a diamond graph (two independent branches) run by both
// engines at 1 and 2 threads, error propagation, input checks and memory release.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "scheduler/executor.h"
#include "tests/scheduler/diamond_graph.h"

using namespace n2d2;
using namespace n2d2::graph;
using namespace n2d2::sched;

namespace {

using test::Registries;
using test::diamond;

Tensor input() {
  Tensor t(DType::F32, {64, 33});
  for (int64_t i = 0; i < t.numel(); ++i) t.data_mut<float>()[i] = static_cast<float>(i % 97) * 0.01f;
  return t;
}

}  // namespace

TEST(Executor, EnginesAndThreadCountsGiveIdenticalBits) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 6), {}, r.ops, r.kernels);
  ASSERT_EQ(plan.steps().size(), 13u);
  std::vector<Tensor> ref = make_executor(plan, Engine::Sequential, 1)->run({input()});
  ASSERT_EQ(ref.size(), 1u);
  for (Engine e : {Engine::Sequential, Engine::Tbb})
    for (int threads : {1, 2}) {
      auto ex = make_executor(plan, e, threads);
      for (int rep = 0; rep < 3; ++rep) {  // an executor runs again and again
        std::vector<Tensor> out = ex->run({input()});
        ASSERT_EQ(0, std::memcmp(out[0].raw(), ref[0].raw(), ref[0].nbytes())) << engine_name(e) << " " << threads;
      }
    }
}

TEST(Executor, ReleasesIntermediatesAfterTheirLastReader) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 8), {}, r.ops, r.kernels);
  RunStats st;
  make_executor(plan, Engine::Sequential, 1)->run({input()}, &st);
  std::size_t one = 64 * 33 * sizeof(float);
  // The 16 intermediates are planned in the static arena: two buffers per branch in turn, and the
  // branches may run at the same time, so 4 buffers; the output is allocated per run. The peak
  // is 5 tensors, far below the 17 produced.
  EXPECT_GE(st.peak_bytes, 5 * one);
  EXPECT_LE(st.peak_bytes, 5 * one + 5 * 64);
}

TEST(Executor, KernelErrorNamesTheNodeInBothEngines) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 4, true), {}, r.ops, r.kernels);
  for (Engine e : {Engine::Sequential, Engine::Tbb}) {
    auto ex = make_executor(plan, e, 2);
    try {
      ex->run({input()});
      FAIL() << "no error";
    } catch (const Error& err) {
      std::string m = err.what();
      EXPECT_NE(m.find("(Fail)"), std::string::npos) << m;
      EXPECT_NE(m.find("deliberate failure"), std::string::npos) << m;
    }
  }
}

TEST(Executor, RejectsWrongInputShapeTypeAndCount) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 1), {}, r.ops, r.kernels);
  auto ex = make_executor(plan, Engine::Tbb, 1);
  EXPECT_THROW(ex->run({}), Error);
  try {
    ex->run({Tensor(DType::F32, {64, 32})});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input 'x' has shape [64x32]"), std::string::npos) << e.what();
  }
  try {
    ex->run({Tensor(DType::I32, {64, 33})});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("int32"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_executor(plan, Engine::Tbb, 0), Error);
  EXPECT_THROW(engine_from_name("gpu"), Error);
}

TEST(Plan, UnsupportedTypesListEveryNode) {
  Registries r;
  Graph g = diamond(r, 1);
  g.value(g.inputs()[0]).type.dtype = DType::F64;
  for (std::size_t v = 0; v < g.num_values(); ++v) g.value(static_cast<ValueId>(v)).type.dtype = DType::F64;
  try {
    Plan::compile(std::move(g), {}, r.ops, r.kernels);
    FAIL();
  } catch (const UnsupportedError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("'Sin0'"), std::string::npos) << m;
    EXPECT_NE(m.find("'Sin1'"), std::string::npos) << m;
    EXPECT_NE(m.find("'Add2'"), std::string::npos) << m;
    EXPECT_NE(m.find("float64"), std::string::npos) << m;
  }
}
