// n2d2-flow run: load, compile, run (with optional warm-up and repeats), report and write outputs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>

#include "apps/n2d2-flow/commands.h"
#include "apps/n2d2-flow/json_writer.h"
#include "apps/n2d2-flow/output_summary.h"
#include "apps/n2d2-flow/session.h"
#include "frontends/io/npy.h"
#include "frontends/onnx/tensor_file.h"
#include "scheduler/executor.h"

namespace n2d2::cli {

namespace {

const char* kRunUsage =
    "usage: n2d2-flow run MODEL [--input NAME=FILE]... [--shape NAME=DIMS]... [--batch N]\n"
    "                     [--threads N] [--engine tbb|seq] [-o DIR] [--repeat N] [--warmup N]\n"
    "                     [--top K] [--seed S] [--json FILE] [--max-tensor-mb MB] [--min-time SEC] [--bench]\n"
    "Timing: --warmup runs, then --repeat N runs and more until --min-time seconds have passed;\n"
    "--bench is the measuring protocol: 3 warm-ups, then at least 20 runs and at least 3 s\n"
    "(explicit --warmup/--repeat/--min-time override). Median and min are per batch.\n"
    "Inputs come from .npy or ONNX TensorProto .pb files; inputs not given are seeded random:\n"
    "floats uniform in [0,1), integers uniform in [0,10), booleans false (mt19937_64, --seed, default 0).\n";

// The documented random input: one generator per run, inputs filled in graph order.
Tensor random_input(const graph::Value& v, std::mt19937_64& rng) {
  if (!v.type.fully_known())
    fail("input '", v.name, "' has shape ", v.type.str(), ": give it with --input, or fix it with --shape ", v.name,
         "=DIMS or --batch N");
  Tensor t(v.type.dtype, v.type.dims);
  bool ok = visit_dtype(v.type.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.data_mut<T>();
    if constexpr (std::is_same_v<T, bool>) {
      std::fill(p, p + t.numel(), false);
    } else if constexpr (std::is_floating_point_v<T>) {
      std::uniform_real_distribution<double> d(0.0, 1.0);
      for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<T>(d(rng));
    } else {
      std::uniform_int_distribution<int> d(0, 9);
      for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<T>(d(rng));
    }
  });
  if (!ok) fail("input '", v.name, "' has type ", dtype_name(v.type.dtype), ": give it with --input");
  return t;
}

std::string file_stem(const std::string& name) {
  std::string s = name;
  for (char& c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) c = '_';
  if (s.empty() || s[0] == '.') s = "_" + s;
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int cmd_run(int argc, char** argv) {
  std::set<std::string> with_value = {"--input", "--threads", "--engine", "-o", "--repeat", "--warmup",
                                      "--top", "--seed", "--json", "--min-time"};
  with_value.insert(kModelOptions.begin(), kModelOptions.end());
  Args a(argc, argv, 2, with_value, {"--help", "-h", "--bench"});
  if (a.has("--help") || a.has("-h")) {
    std::cout << kRunUsage;
    return 0;
  }
  if (a.positional().size() != 1) {
    std::cerr << kRunUsage;
    fail("run takes exactly one MODEL argument");
  }
  const std::string model_path = a.positional()[0];
  int threads = static_cast<int>(a.get_int("--threads", 1, 1));
  sched::Engine engine = sched::engine_from_name(a.get("--engine", "tbb"));
  const bool bench = a.has("--bench");
  int repeat = static_cast<int>(a.get_int("--repeat", bench ? 20 : 1, 1));
  int warmup = static_cast<int>(a.get_int("--warmup", bench ? 3 : 0, 0));
  double min_time_s = a.get_double("--min-time", bench ? 3.0 : 0.0, 0.0);
  int top = static_cast<int>(a.get_int("--top", 5, 1));
  uint64_t seed = static_cast<uint64_t>(a.get_int("--seed", 0, 0));
  std::string out_dir = a.get("-o");

  LoadedModel m = load_model(model_path, ModelOptions::from_args(a), Verbosity::from_env(), true);
  const sched::Plan& plan = *m.plan;
  const graph::Graph& g = plan.graph();

  // Inputs: from files where given, seeded random otherwise.
  std::map<std::string, Tensor> given;
  for (const std::string& s : a.all("--input")) {
    auto [name, file] = split_assignment(s, "--input");
    given[name] = onnx::read_tensor_file(file);
  }
  std::vector<Tensor> inputs;
  std::mt19937_64 rng(seed);
  std::string input_names;
  for (graph::ValueId v : g.inputs()) input_names += (input_names.empty() ? "" : ", ") + g.value(v).name;
  for (const auto& [name, t] : given)
    if (!g.find_value(name) || std::find(g.inputs().begin(), g.inputs().end(), *g.find_value(name)) == g.inputs().end())
      fail("--input ", name, ": the model has no input of that name (inputs: ", input_names, ")");
  bool any_random = false;
  for (graph::ValueId v : g.inputs()) {
    const graph::Value& val = g.value(v);
    auto it = given.find(val.name);
    if (it != given.end()) {
      inputs.push_back(it->second);
    } else {
      inputs.push_back(random_input(val, rng));
      any_random = true;
    }
  }

  auto exec = sched::make_executor(plan, engine, threads);
  std::vector<Tensor> outputs;
  sched::RunStats stats;
  for (int i = 0; i < warmup; ++i) exec->run(inputs);
  std::vector<double> times;
  double total_ms = 0;
  while (static_cast<int>(times.size()) < repeat || total_ms < min_time_s * 1000.0) {
    auto t0 = std::chrono::steady_clock::now();
    outputs = exec->run(inputs, &stats);
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    total_ms += times.back();
  }
  const int runs = static_cast<int>(times.size());
  const int64_t batch = !inputs.empty() && inputs[0].rank() > 0 ? inputs[0].shape()[0] : 1;

  // Report.
  std::printf("model: %s (%zu nodes after passes: %s)\n", model_path.c_str(), plan.steps().size(), m.passes.str().c_str());
  std::printf("engine: %s, threads: %d%s\n", sched::engine_name(engine), threads,
              any_random ? (", random inputs seeded with " + std::to_string(seed)).c_str() : "");
  for (std::size_t i = 0; i < g.inputs().size(); ++i)
    std::printf("input  %s: %s\n", g.value(g.inputs()[i]).name.c_str(), inputs[i].type().str().c_str());
  if (!out_dir.empty()) std::filesystem::create_directories(out_dir);
  JsonWriter j;
  j.begin_object().key("model").value(model_path).key("threads").value(threads).key("engine").value(sched::engine_name(engine));
  j.key("seed").value(static_cast<int64_t>(seed)).key("outputs").begin_array();
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const std::string& name = g.value(g.outputs()[i]).name;
    const Tensor& t = outputs[i];
    TensorSummary s = summarize(t);
    std::printf("output %s: %s", name.c_str(), t.type().str().c_str());
    if (s.numeric) std::printf(" min %.6g max %.6g mean %.6g", s.min, s.max, s.mean);
    std::printf("\n");
    std::string file;
    if (!out_dir.empty()) {
      file = (std::filesystem::path(out_dir) / (file_stem(name) + ".npy")).string();
      io::write_npy_atomic(file, t);
    }
    j.begin_object().key("name").value(name).key("dtype").value(dtype_name(t.dtype())).key("shape").array(t.shape());
    if (!file.empty()) j.key("file").value(file);
    if (s.numeric) j.key("min").value(s.min).key("max").value(s.max).key("mean").value(s.mean);
    auto rows = top_k(t, top);
    if (!rows.empty()) {
      j.key("top").begin_array();
      for (std::size_t r = 0; r < rows.size(); ++r) {
        if (r < 8) {
          std::printf("  top-%d [%zu]:", top, r);
          for (auto [c, v] : rows[r]) std::printf(" %lld (%.5g)", static_cast<long long>(c), v);
          std::printf("\n");
        } else if (r == 8) {
          std::printf("  ... %zu more rows\n", rows.size() - 8);
        }
        j.begin_array();
        for (auto [c, v] : rows[r]) j.begin_array().value(c).value(v).end_array();
        j.end_array();
      }
      j.end_array();
    }
    j.end_object();
  }
  j.end_array();
  double med = median(times), mn = *std::min_element(times.begin(), times.end());
  std::printf("load: %.2f ms; run: median %.3f ms, min %.3f ms per batch of %lld over %d run%s in %.2f s (%d warm-up); "
              "peak activation memory %.2f MiB\n",
              m.load_ms, med, mn, static_cast<long long>(batch), runs, runs == 1 ? "" : "s", total_ms / 1000.0, warmup,
              stats.peak_bytes / 1048576.0);
  j.key("timing").begin_object().key("load_ms").value(m.load_ms).key("median_ms").value(med).key("min_ms").value(mn)
      .key("batch").value(batch).key("runs").value(runs).key("warmup").value(warmup).key("total_s").value(total_ms / 1000.0)
      .end_object();
  j.key("peak_memory_bytes").value(stats.peak_bytes).end_object();
  if (a.has("--json")) write_text_atomic(a.get("--json"), j.str());
  return 0;
}

}  // namespace n2d2::cli
