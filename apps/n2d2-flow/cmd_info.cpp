// n2d2-flow info: inputs/outputs, op histogram with kernel support, parameters, MACs per node
// and in total, activation memory estimate.
#include <cstdio>
#include <iostream>

#include "apps/n2d2-flow/commands.h"
#include "apps/n2d2-flow/json_writer.h"
#include "apps/n2d2-flow/session.h"
#include "frontends/onnx/onnx_loader.h"
#include "graph/analysis.h"
#include "kernels/registry.h"

namespace n2d2::cli {

namespace {

const char* kInfoUsage =
    "usage: n2d2-flow info MODEL [--shape NAME=DIMS]... [--batch N] [--nodes] [--json FILE]\n"
    "Prints inputs/outputs, the op histogram with kernel support, parameters, MACs (per node with\n"
    "--nodes) and an activation memory estimate, after the standard passes.\n";

std::string human(double v, const char* unit) {
  const char* pre[] = {"", " k", " M", " G", " T"};
  int i = 0;
  while (v >= 1000 && i < 4) {
    v /= 1000;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g%s%s", v, pre[i], unit);
  return buf;
}

}  // namespace

int cmd_info(int argc, char** argv) {
  std::set<std::string> with_value = {"--json"};
  with_value.insert(kModelOptions.begin(), kModelOptions.end());
  Args a(argc, argv, 2, with_value, {"--help", "-h", "--nodes"});
  if (a.has("--help") || a.has("-h")) {
    std::cout << kInfoUsage;
    return 0;
  }
  if (a.positional().size() != 1) {
    std::cerr << kInfoUsage;
    fail("info takes exactly one MODEL argument");
  }
  const std::string path = a.positional()[0];
  LoadedModel m = load_model(path, ModelOptions::from_args(a), Verbosity::from_env(), true, true);
  // Figures come from the optimized graph when it compiles, else from the graph as loaded.
  const graph::Graph& g = m.plan ? m.plan->graph() : m.loaded;
  graph::GraphStats st = graph::analyze(g);

  JsonWriter j;
  j.begin_object().key("model").value(path);
  std::printf("model: %s (graph '%s', opset %lld)\n", path.c_str(), g.name.c_str(), static_cast<long long>(g.opset()));
  j.key("opset").value(g.opset());
  auto io = [&](const char* what, const std::vector<graph::ValueId>& ids) {
    j.key(what).begin_array();
    for (graph::ValueId v : ids) {
      const graph::Value& val = g.value(v);
      std::printf("%-7s %s: %s\n", std::string(what).substr(0, std::string(what).size() - 1).c_str(), val.name.c_str(),
                  val.type.str().c_str());
      j.begin_object().key("name").value(val.name).key("type").value(val.type.str()).end_object();
    }
    j.end_array();
  };
  io("inputs", g.inputs());
  io("outputs", g.outputs());

  if (m.plan)
    std::printf("ops: %zu nodes as loaded, %zu after passes (%s)\n", m.loaded.num_nodes(), g.num_nodes(), m.passes.str().c_str());
  else
    std::printf("ops: %zu nodes; the model cannot run here (unsupported ops below)\n", g.num_nodes());
  j.key("runnable").value(m.plan != nullptr);
  j.key("nodes_loaded").value(m.loaded.num_nodes()).key("nodes").value(g.num_nodes());
  j.key("ops").begin_array();
  // Per op: supported when every node of that type is bound to a schema and has a kernel.
  std::map<std::string, bool> op_ok;
  std::map<std::string, std::string> op_domain;  // FusedConv lives in ai.n2d2
  for (const auto& n : g.nodes()) {
    op_domain[n.op_type] = n.domain;
    bool ok = !onnx::is_unbound(n) && kernels::KernelRegistry::builtin().has_op(n.op_type, n.domain);
    auto it = op_ok.find(n.op_type);
    op_ok[n.op_type] = it == op_ok.end() ? ok : (it->second && ok);
  }
  for (const auto& [op, count] : st.op_histogram) {
    const auto& impls = kernels::KernelRegistry::builtin().implementations(op, op_domain[op]);
    std::string kernel_names;
    for (const auto& k : impls) {
      if (!kernel_names.empty()) kernel_names += ',';
      kernel_names += k.name;
    }
    bool ok = op_ok[op];
    std::printf("  %-24s %5d  %-12s %s\n", op.c_str(), count, ok ? "supported" : "UNSUPPORTED", kernel_names.c_str());
    j.begin_object().key("op").value(op).key("count").value(count).key("supported").value(ok).key("kernels").value(kernel_names).end_object();
  }
  j.end_array();
  std::printf("parameters: %s (%s)\n", human(static_cast<double>(st.parameters), "").c_str(),
              human(static_cast<double>(st.parameter_bytes), "B").c_str());
  std::printf("MACs: %s%s\n", human(static_cast<double>(st.total_macs), "").c_str(),
              st.macs_complete ? "" : " (some nodes have dynamic shapes: not counted)");
  if (st.activation_peak_bytes >= 0)
    std::printf("activation memory (peak of live intermediate tensors): %s\n",
                human(static_cast<double>(st.activation_peak_bytes), "B").c_str());
  else
    std::printf("activation memory: unknown (dynamic shapes; fix them with --shape or --batch)\n");
  j.key("parameters").value(st.parameters).key("parameter_bytes").value(st.parameter_bytes);
  j.key("macs").value(st.total_macs).key("macs_complete").value(st.macs_complete);
  j.key("activation_peak_bytes").value(st.activation_peak_bytes);
  if (m.plan) {
    const sched::StaticMemory& sm = m.plan->static_memory();
    std::printf("planned arena: %s for %d intermediate tensors (%s without reuse)\n",
                human(static_cast<double>(sm.arena_bytes), "B").c_str(), sm.buffers,
                human(static_cast<double>(sm.naive_bytes), "B").c_str());
    j.key("arena_bytes").value(sm.arena_bytes).key("arena_buffers").value(sm.buffers).key("arena_naive_bytes").value(sm.naive_bytes);
  }
  j.key("per_node").begin_array();
  if (a.has("--nodes")) std::printf("%-32s %-22s %-24s %s\n", "node", "op", "output", "MACs");
  for (const auto& ns : st.nodes) {
    const graph::Node& n = g.node(ns.node);
    std::string out = n.outputs.empty() || n.outputs[0] == graph::kNoValue ? "" : g.value(n.outputs[0]).type.str();
    if (a.has("--nodes"))
      std::printf("%-32s %-22s %-24s %s\n", n.name.c_str(), n.op_type.c_str(), out.c_str(),
                  ns.macs < 0 ? "?" : human(static_cast<double>(ns.macs), "").c_str());
    j.begin_object().key("name").value(n.name).key("op").value(n.op_type).key("output").value(out).key("macs").value(ns.macs).end_object();
  }
  j.end_array().end_object();
  if (a.has("--json")) write_text_atomic(a.get("--json"), j.str());
  if (!m.plan) {
    // The report is complete, but the model cannot run: say why and exit as for any refusal.
    std::fprintf(stderr, "n2d2-flow: unsupported: %s\n", m.unsupported.c_str());
    return 2;
  }
  return 0;
}

}  // namespace n2d2::cli
