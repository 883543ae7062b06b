#include "scheduler/device_placement.h"

#include <algorithm>

namespace n2d2::sched {

namespace {

constexpr int kFromStart = -2;  // available before the run (graph input or constant)
constexpr int kAbsent = -1;

void add_edge(std::vector<PlacedStep>& steps, int from, int to) {
  if (from < 0) return;
  auto& p = steps[to].preds;
  if (std::find(p.begin(), p.end(), from) != p.end()) return;
  p.push_back(from);
  steps[from].succs.push_back(to);
}

}  // namespace

Placement place_on_device(const Plan& plan, const std::function<DeviceChoice(const Step&)>& choose, int max_streams) {
  if (max_streams < 1) fail("device placement: max_streams must be at least 1");
  const graph::Graph& g = plan.graph();
  Placement pl;
  // Where each value can be read, as the placed step that makes it available there.
  std::vector<int> on_host(g.num_values(), kAbsent), on_dev(g.num_values(), kAbsent);
  for (std::size_t v = 0; v < g.num_values(); ++v)
    if (g.value(static_cast<graph::ValueId>(v)).is_constant()) on_host[v] = on_dev[v] = kFromStart;
  for (graph::ValueId v : g.inputs()) on_host[v] = kFromStart;

  auto transfer = [&](int slot, Where to, const std::string& reader) {
    PlacedStep t;
    t.kind = to == Where::Device ? PlacedStep::Kind::ToDevice : PlacedStep::Kind::ToHost;
    t.slot = slot;
    t.where = Where::Device;
    pl.steps.push_back(std::move(t));
    int id = static_cast<int>(pl.steps.size()) - 1;
    int src = to == Where::Device ? on_host[slot] : on_dev[slot];
    add_edge(pl.steps, src, id);
    (to == Where::Device ? on_dev : on_host)[slot] = id;
    ++pl.transfers;
    pl.log.push_back(std::string("transfer: ") + g.value(slot).name + (to == Where::Device ? " host->device" : " device->host") +
                     " for " + reader);
    return id;
  };

  for (std::size_t i = 0; i < plan.steps().size(); ++i) {
    const Step& s = plan.steps()[i];
    const graph::Node& n = g.node(s.node);
    DeviceChoice c = choose(s);
    Where w = c.device ? Where::Device : Where::Host;
    std::vector<int> deps;
    for (int slot : s.in_slots) {
      if (slot < 0) continue;
      int& here = w == Where::Device ? on_dev[slot] : on_host[slot];
      if (here == kAbsent) {
        int there = w == Where::Device ? on_host[slot] : on_dev[slot];
        if (there == kAbsent) fail("device placement: value '", g.value(slot).name, "' read by ", n.label(), " is produced by no step");
        transfer(slot, w, n.label());
      }
      deps.push_back(here);
    }
    PlacedStep r;
    r.kind = PlacedStep::Kind::Run;
    r.step = static_cast<int>(i);
    r.where = w;
    r.kernel = c.device ? c.text : s.kernel->name;
    pl.steps.push_back(std::move(r));
    int id = static_cast<int>(pl.steps.size()) - 1;
    for (int d : deps) add_edge(pl.steps, d, id);
    for (int slot : s.out_slots)
      if (slot >= 0) (w == Where::Device ? on_dev : on_host)[slot] = id;
    pl.log.push_back("dispatch: " + n.label() + (c.device ? " -> cuda:" + c.text : " -> cpu:" + std::string(s.kernel->name) +
                                                                                 " (no CUDA kernel: " + c.text + ")"));
  }
  for (graph::ValueId v : g.outputs())
    if (on_host[v] == kAbsent) transfer(v, Where::Host, "graph output");

  // Streams: continue the first device predecessor's stream not yet continued, else open the next.
  std::vector<bool> continued(pl.steps.size(), false);
  int next = 0;
  for (std::size_t i = 0; i < pl.steps.size(); ++i) {
    PlacedStep& s = pl.steps[i];
    if (!s.on_device()) continue;
    for (int p : s.preds)
      if (pl.steps[p].on_device() && !continued[p]) {
        continued[p] = true;
        s.stream = pl.steps[p].stream;
        break;
      }
    if (s.stream < 0) s.stream = next++ % max_streams;
  }
  pl.num_streams = std::min(next, max_streams);
  return pl;
}

}  // namespace n2d2::sched
