// Placement of a plan on host + device (the CUDA backend's partition), and the static memory
// planner; both pure, so they run without a GPU.
#include <gtest/gtest.h>

#include <algorithm>

#include "scheduler/device_placement.h"
#include "scheduler/memory_plan.h"
#include "tests/scheduler/diamond_graph.h"

using namespace n2d2;
using namespace n2d2::sched;
using test::diamond;
using test::Registries;

namespace {

DeviceChoice all_on_device(const Step&) { return {true, "fake_device"}; }

int count(const Placement& p, PlacedStep::Kind k) {
  return static_cast<int>(std::count_if(p.steps.begin(), p.steps.end(), [&](const PlacedStep& s) { return s.kind == k; }));
}

// Every edge goes forward and every read finds its value where the reader runs.
void expect_well_formed(const Placement& p) {
  for (std::size_t i = 0; i < p.steps.size(); ++i)
    for (int pr : p.steps[i].preds) {
      EXPECT_LT(pr, static_cast<int>(i));
      EXPECT_NE(std::find(p.steps[pr].succs.begin(), p.steps[pr].succs.end(), static_cast<int>(i)), p.steps[pr].succs.end());
    }
}

}  // namespace

TEST(DevicePlacement, AllOnDeviceCopiesInputInAndOutputOut) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 3), {}, r.ops, r.kernels);
  Placement p = place_on_device(plan, all_on_device);
  expect_well_formed(p);
  EXPECT_EQ(count(p, PlacedStep::Kind::ToDevice), 1);  // x, once, though two branches read it
  EXPECT_EQ(count(p, PlacedStep::Kind::ToHost), 1);    // y
  EXPECT_EQ(count(p, PlacedStep::Kind::Run), 7);
  EXPECT_EQ(p.transfers, 2);
  // Two branches: two streams; each chain keeps its stream.
  EXPECT_EQ(p.num_streams, 2);
  std::vector<int> streams;
  for (const PlacedStep& s : p.steps) {
    EXPECT_TRUE(s.on_device());
    EXPECT_GE(s.stream, 0);
    if (s.kind == PlacedStep::Kind::Run && s.preds.size() == 1 && p.steps[s.preds[0]].kind == PlacedStep::Kind::Run)
      EXPECT_EQ(s.stream, p.steps[s.preds[0]].stream);
  }
  EXPECT_EQ(p.steps.front().kind, PlacedStep::Kind::ToDevice);
  EXPECT_EQ(p.steps.back().kind, PlacedStep::Kind::ToHost);
  EXPECT_NE(p.log.front().find("transfer: x host->device"), std::string::npos) << p.log.front();
}

TEST(DevicePlacement, HostFallbackInsertsTransfersAndNamesTheReason) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 2), {}, r.ops, r.kernels);
  // The Add runs on the host: both branch results come back, nothing goes out at the end.
  Placement p = place_on_device(plan, [&](const Step& s) -> DeviceChoice {
    if (plan.graph().node(s.node).op_type == "Add") return {false, "no Add kernel here"};
    return {true, "fake_sin"};
  });
  expect_well_formed(p);
  EXPECT_EQ(count(p, PlacedStep::Kind::ToDevice), 1);
  EXPECT_EQ(count(p, PlacedStep::Kind::ToHost), 2);
  const PlacedStep& last = p.steps.back();
  EXPECT_EQ(last.kind, PlacedStep::Kind::Run);
  EXPECT_FALSE(last.on_device());
  EXPECT_EQ(last.kernel, "add_f32_test");
  ASSERT_EQ(last.preds.size(), 2u);
  for (int pr : last.preds) EXPECT_EQ(p.steps[pr].kind, PlacedStep::Kind::ToHost);
  bool logged = false;
  for (const auto& l : p.log) logged = logged || l.find("-> cpu:add_f32_test (no CUDA kernel: no Add kernel here)") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST(DevicePlacement, NothingOnDeviceMeansNoTransfers) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 2), {}, r.ops, r.kernels);
  Placement p = place_on_device(plan, [](const Step&) { return DeviceChoice{false, "off"}; });
  EXPECT_EQ(p.transfers, 0);
  EXPECT_EQ(p.num_streams, 0);
  EXPECT_EQ(p.steps.size(), plan.steps().size());
}

TEST(DevicePlacement, StreamsAreCapped) {
  Registries r;
  Plan plan = Plan::compile(diamond(r, 2), {}, r.ops, r.kernels);
  Placement p = place_on_device(plan, all_on_device, 1);
  EXPECT_EQ(p.num_streams, 1);
  for (const PlacedStep& s : p.steps) EXPECT_EQ(s.stream, 0);
  EXPECT_THROW(place_on_device(plan, all_on_device, 0), Error);
}

TEST(MemoryPlan, OverlappingBuffersNeverShareBytes) {
  // Hand-checked: a [0,1] 1000 B, b [1,2] 500 B, c [2,3] 1000 B, d [0,3] 100 B.
  std::vector<BufferLifetime> b = {{1000, 0, 1}, {500, 1, 2}, {1000, 2, 3}, {100, 0, 3}};
  MemoryPlan p = plan_memory(b, 256);
  // Sizes round to 1024, 512, 1024, 256. a at 0; c reuses a's bytes (no overlap in time);
  // b above them at 1024; d above b at 1536.
  EXPECT_EQ(p.offsets, (std::vector<std::size_t>{0, 1024, 0, 1536}));
  EXPECT_EQ(p.arena_bytes, 1792u);
  EXPECT_EQ(p.naive_bytes, 2816u);
  for (std::size_t i = 0; i < b.size(); ++i)
    for (std::size_t j = i + 1; j < b.size(); ++j) {
      bool live_together = b[i].first <= b[j].last && b[j].first <= b[i].last;
      bool disjoint = p.offsets[i] + b[i].bytes <= p.offsets[j] || p.offsets[j] + b[j].bytes <= p.offsets[i];
      if (live_together) EXPECT_TRUE(disjoint) << i << " " << j;
    }
}

TEST(MemoryPlan, ChainReusesTwoBuffers) {
  std::vector<BufferLifetime> chain;
  for (int i = 0; i < 10; ++i) chain.push_back({4096, i, i + 1});
  MemoryPlan p = plan_memory(chain);
  EXPECT_EQ(p.arena_bytes, 2u * 4096);
  EXPECT_THROW(plan_memory({{10, 3, 1}}), Error);
  EXPECT_THROW(plan_memory(chain, 3), Error);
}
