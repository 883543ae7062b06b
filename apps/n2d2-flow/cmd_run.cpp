// n2d2-flow run: load, compile, run (with optional warm-up and repeats), report and write outputs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>

#include "apps/n2d2-flow/commands.h"
#include "apps/n2d2-flow/evaluate.h"
#include "apps/n2d2-flow/ini_test.h"
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
    "                     [--threads N] [--engine tbb|seq] [-o DIR] [--repeat N] [--warmup N] [--min-time S] [--bench]\n"
    "                     [--top K] [--seed S] [--json FILE] [--max-tensor-mb MB]\n"
    "                     [--device cpu|cuda] [--cuda-graph] [--streams N]\n"
    "       n2d2-flow run MODEL --data fashion-mnist|mnist|DIR [--split test|train] [--images N]\n"
    "                     [--batch N] [--threads N] [--top K] [--json FILE] [-o DIR]\n"
    "Inputs come from .npy or ONNX TensorProto .pb files; inputs not given are seeded random:\n"
    "floats uniform in [0,1), integers uniform in [0,10), booleans false (mt19937_64, --seed, default 0).\n"
    "--repeat N (N > 1) times like the peers' scripts: --warmup runs first (default 3), then at least\n"
    "N runs and at least --min-time seconds (default 3); median and minimum per batch are reported.\n"
    "--bench is --repeat 20.\n"
    "--data runs a labelled MNIST-layout set (IDX files, pixel/255) in batches (the model's own, or\n"
    "--batch N, default 32, where it is not fixed) and reports top-1/top-K accuracy and the confusion matrix; -o DIR\n"
    "then writes scores.txt, confusion.csv and scores.json.\n"
    "--device cuda runs on the GPU (nodes without a CUDA kernel run on the CPU with explicit transfers,\n"
    "listed by N2D2_VERBOSE=dispatch); --cuda-graph captures one run as a CUDA Graph and replays it;\n"
    "--streams N caps the CUDA streams (default 4).\n"
    "       n2d2-flow run MODEL.ini -test [-seed S] [-w DIR|/dev/null] [--images N] [--json FILE] [-o DIR]\n"
    "runs N2D2 INI models: the test set of [database] through [sp] and its transformations, scored at the\n"
    "[<output>.Target] (TopN); -o DIR writes scores.txt, confusion.csv, confusion.png and scores.json.\n";

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

// What DIR/report.json (written by `n2d2-flow quantize` next to DIR/model.onnx) says of the
// model's origin; empty source_model when there is no such report or its float model is gone.
struct QuantizedOrigin {
  std::string source_model, act_clipping, act_rescaling;
  int nbbits = 0;
};

// The value of a top-level "key": "string" or "key": number in a JSON text (first occurrence).
std::string json_scalar(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return "";
  auto b = at + key.size() + 3;
  if (b < json.size() && json[b] == '"') {
    auto e = json.find('"', b + 1);
    return e == std::string::npos ? "" : json.substr(b + 1, e - b - 1);
  }
  return json.substr(b, json.find_first_of(",}", b) - b);
}

QuantizedOrigin quantized_origin(const std::string& model_path) {
  QuantizedOrigin o;
  std::filesystem::path report = std::filesystem::path(model_path).parent_path() / "report.json";
  if (!std::filesystem::exists(report)) return o;
  std::string json = io::read_file(report.string());
  std::string src = json_scalar(json, "source_model");
  if (src.empty() || !std::filesystem::exists(src)) return o;
  o.source_model = src;
  o.act_clipping = json_scalar(json, "act_clipping");
  o.act_rescaling = json_scalar(json, "act_rescaling");
  o.nbbits = std::atoi(json_scalar(json, "nbbits").c_str());
  return o;
}

// run --data: accuracy over a labelled set instead of one run.
int run_on_data(const Args& a, const std::string& model_path) {
  for (const char* opt : {"--input", "--repeat", "--warmup", "--min-time", "--seed"})
    if (a.has(opt)) fail(opt, " cannot be combined with --data");
  ModelOptions mo = ModelOptions::from_args(a);
  std::string split = a.get("--split", "test");
  if (split != "test" && split != "train") fail("--split must be test or train, not '", split, "'");
  std::string dir = data::resolve_mnist_dir(a.get("--data"));
  data::LabelledImages set =
      data::read_mnist(dir, split == "test" ? data::Split::Test : data::Split::Train, a.get_int("--images", 0, 1));
  LoadedModel m = load_model(model_path, mo, Verbosity::from_env(), true);
  EvalOptions eo;
  eo.exec = ExecOptions::from_args(a);
  eo.top_n = static_cast<int32_t>(a.get_int("--top", 5, 1));
  if (mo.batch > 0) eo.batch = mo.batch;
  EvalResult r = evaluate(*m.plan, set, eo);
  // A model written by `n2d2-flow quantize` has DIR/report.json naming its float model: score
  // that too, on the same images, for the float vs quantized comparison.
  QuantizedOrigin origin = quantized_origin(model_path);
  std::optional<EvalResult> float_r;
  if (!origin.source_model.empty()) {
    LoadedModel fm = load_model(origin.source_model, mo, Verbosity::from_env(), true);
    EvalOptions quiet = eo;
    quiet.progress = false;
    float_r = evaluate(*fm.plan, set, quiet);
  }
  std::printf("model: %s\ndata: %s (%s split, %lld images, batch %lld)\n", model_path.c_str(), dir.c_str(),
              split.c_str(), static_cast<long long>(set.size()), static_cast<long long>(r.batch));
  std::printf("%s", r.score.text().c_str());
  if (float_r)
    std::printf("quantized (%d bits, %s, %s): top-1 %.2f %%; float model %s: top-1 %.2f %% (%+.2f points)\n",
                origin.nbbits, origin.act_clipping.c_str(), origin.act_rescaling.c_str(), r.score.top1_accuracy(),
                origin.source_model.c_str(), float_r->score.top1_accuracy(), r.score.top1_accuracy() - float_r->score.top1_accuracy());
  std::printf("load: %.2f ms; evaluation: %.3f s, %.1f images/s (%d thread%s)\n", m.load_ms, r.wall_s,
              r.images_per_s(), eo.exec.threads, eo.exec.threads == 1 ? "" : "s");
  JsonWriter j;
  j.begin_object().key("model").value(model_path).key("data").value(dir).key("split").value(split)
      .key("batch").value(r.batch).key("threads").value(eo.exec.threads).key("device").value(eo.exec.device_name()).key("wall_s").value(r.wall_s)
      .key("images_per_s").value(r.images_per_s());
  if (float_r)
    j.key("float_model").value(origin.source_model).key("float_accuracy").value(float_r->score.top1_accuracy())
        .key("quantized_accuracy").value(r.score.top1_accuracy()).key("nbbits").value(origin.nbbits)
        .key("act_clipping").value(origin.act_clipping).key("act_rescaling").value(origin.act_rescaling);
  j.end_object();
  // The score's own JSON is merged into the run's: {"model":...,"images":...,...}.
  std::string json = merge_json_objects(j.str(), r.score.json());
  std::string out_dir = a.get("-o");
  if (!out_dir.empty()) write_score_files(out_dir, r.score, {}, json + "\n");
  if (a.has("--json")) write_text_atomic(a.get("--json"), json + "\n");
  return 0;
}

}  // namespace

int cmd_run(int argc, char** argv) {
  std::set<std::string> with_value = {"--input", "-o", "--repeat", "--warmup", "--min-time",
                                      "--top", "--seed", "--json", "--data", "--split", "--images", "-seed", "-w"};
  with_value.insert(kModelOptions.begin(), kModelOptions.end());
  with_value.insert(kExecOptions.begin(), kExecOptions.end());
  Args a(argc, argv, 2, with_value, {"--help", "-h", "--cuda-graph", "--bench", "-test"});
  if (a.has("--help") || a.has("-h")) {
    std::cout << kRunUsage;
    return 0;
  }
  if (a.positional().size() != 1) {
    std::cerr << kRunUsage;
    fail("run takes exactly one MODEL argument");
  }
  const std::string model_path = a.positional()[0];
  if (a.has("--data")) return run_on_data(a, model_path);
  if (a.has("-test")) {
    LoadedModel tm = load_model(model_path, ModelOptions::from_args(a), Verbosity::from_env(), true);
    return run_ini_test(a, model_path, tm, ExecOptions::from_args(a));
  }
  for (const char* opt : {"--split", "--images"})
    if (a.has(opt)) fail(opt, " needs --data or -test");
  ExecOptions xo = ExecOptions::from_args(a);
  const int threads = xo.threads;
  const sched::Engine engine = xo.engine;
  // --repeat N measures like the peers' scripts: 3 warm-up runs, then at least N runs and at
  // least --min-time seconds (default 3); a single run is just timed.
  // --bench is the same protocol with N = 20.
  const bool bench = a.has("--bench");
  int repeat = static_cast<int>(a.get_int("--repeat", bench ? 20 : 1, 1));
  int warmup = static_cast<int>(a.get_int("--warmup", repeat > 1 ? 3 : 0, 0));
  double min_time = a.get_double("--min-time", repeat > 1 ? 3.0 : 0.0, 0.0);
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

  auto exec = make_run_executor(plan, xo, Verbosity::from_env());
  std::vector<Tensor> outputs;
  sched::RunStats stats;
  for (int i = 0; i < warmup; ++i) exec->run(inputs);
  std::vector<double> times;
  double total_ms = 0;  // the timed runs only: the loop stops on what the report says
  while (static_cast<int>(times.size()) < repeat || total_ms < min_time * 1000.0) {
    auto t0 = std::chrono::steady_clock::now();
    outputs = exec->run(inputs, &stats);
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    total_ms += times.back();
  }
  const int64_t batch = !inputs.empty() && inputs[0].rank() > 0 ? inputs[0].shape()[0] : 1;

  // Report.
  std::printf("model: %s (%zu nodes after passes: %s)\n", model_path.c_str(), plan.steps().size(), m.passes.str().c_str());
  std::printf("device: %s, engine: %s, threads: %d%s\n", xo.device_name().c_str(), sched::engine_name(engine), threads,
              any_random ? (", random inputs seeded with " + std::to_string(seed)).c_str() : "");
  for (std::size_t i = 0; i < g.inputs().size(); ++i)
    std::printf("input  %s: %s\n", g.value(g.inputs()[i]).name.c_str(), inputs[i].type().str().c_str());
  if (!out_dir.empty()) std::filesystem::create_directories(out_dir);
  JsonWriter j;
  j.begin_object().key("model").value(model_path).key("threads").value(threads).key("engine").value(sched::engine_name(engine))
      .key("device").value(xo.device_name());
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
  const int runs = static_cast<int>(times.size());
  // The CPU Plan's static arena; the CUDA executor plans device memory of its own (not shown).
  char arena[64] = "";
  if (!xo.cuda) std::snprintf(arena, sizeof arena, " (planned arena %.2f MiB)", m.plan->static_memory().arena_bytes / 1048576.0);
  std::printf("load: %.2f ms; run: median %.3f ms, min %.3f ms per batch of %lld over %d run%s in %.2f s (%d warm-up); "
              "peak activation memory %.2f MiB%s\n",
              m.load_ms, med, mn, static_cast<long long>(batch), runs, runs == 1 ? "" : "s", total_ms / 1000.0, warmup,
              stats.peak_bytes / 1048576.0, arena);
  j.key("timing").begin_object().key("load_ms").value(m.load_ms).key("median_ms").value(med).key("min_ms").value(mn)
      .key("batch").value(batch).key("runs").value(runs).key("warmup").value(warmup).key("total_s").value(total_ms / 1000.0)
      .key("min_time_s").value(min_time).end_object();
  j.key("peak_memory_bytes").value(stats.peak_bytes);
  if (!xo.cuda) j.key("arena_bytes").value(m.plan->static_memory().arena_bytes);
  j.end_object();
  if (a.has("--json")) write_text_atomic(a.get("--json"), j.str());
  return 0;
}

}  // namespace n2d2::cli
