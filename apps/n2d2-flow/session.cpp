#include "apps/n2d2-flow/session.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#ifdef N2D2_CUDA_PLUGIN
#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>

#include "scheduler/cuda/plugin.h"
#endif

namespace n2d2::cli {

Verbosity Verbosity::from_env() {
  Verbosity v;
  const char* e = std::getenv("N2D2_VERBOSE");
  std::string s = e ? e : "";
  v.dispatch = s == "dispatch" || s == "profile" || s == "all";
  return v;
}

ModelOptions ModelOptions::from_args(const Args& a) {
  ModelOptions o;
  for (const std::string& s : a.all("--shape")) {
    auto [name, dims] = split_assignment(s, "--shape");
    o.shapes[name] = parse_dims(dims, "--shape");
  }
  o.batch = a.get_int("--batch", 0, 1);
  o.max_tensor_bytes = static_cast<std::size_t>(a.get_int("--max-tensor-mb", 4096, 1)) << 20;
  o.cpu_fusion = a.get("--device", "cpu") != "cuda";
  o.ini_weights = a.get("-w");
  o.ini_seed = static_cast<uint64_t>(a.get_int("-seed", 1, 0));
  return o;
}

ExecOptions ExecOptions::from_args(const Args& a) {
  ExecOptions o;
  o.engine = sched::engine_from_name(a.get("--engine", "tbb"));
  o.threads = static_cast<int>(a.get_int("--threads", 1, 1));
  std::string dev = a.get("--device", "cpu");
  if (dev != "cpu" && dev != "cuda") fail("--device must be cpu or cuda, not '", dev, "'");
  o.cuda = dev == "cuda";
  o.cuda_graph = a.has("--cuda-graph");
  o.streams = static_cast<int>(a.get_int("--streams", 4, 1));
  if (!o.cuda && (o.cuda_graph || a.has("--streams"))) fail(o.cuda_graph ? "--cuda-graph" : "--streams", " needs --device cuda");
  return o;
}

std::unique_ptr<sched::Executor> make_run_executor(const sched::Plan& plan, const ExecOptions& o, const Verbosity& v) {
  if (!o.cuda) return sched::make_executor(plan, o.engine, o.threads);
#ifdef N2D2_CUDA_PLUGIN
  sched::CudaOptions co;
  co.engine = o.engine;
  co.threads = o.threads;
  co.cuda_graph = o.cuda_graph;
  co.max_streams = o.streams;
  co.dispatch_log = v.dispatch ? &std::cerr : nullptr;
  // The plugin lives next to the binary; loaded once, never unloaded (executors point into it).
  static void* plugin = nullptr;
  static std::string load_error;
  if (!plugin && load_error.empty()) {
    std::string path = (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "libn2d2_cuda_plugin.so").string();
    plugin = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!plugin) load_error = "cannot load the CUDA backend " + path + ": " + dlerror();
  }
  if (!plugin) fail("--device cuda: ", load_error);
  using Abi = const char* (*)();
  using Make = sched::Executor* (*)(const sched::Plan*, const sched::CudaOptions*, char*, std::size_t);
  auto abi = reinterpret_cast<Abi>(dlsym(plugin, "n2d2_cuda_plugin_abi"));
  auto make = reinterpret_cast<Make>(dlsym(plugin, "n2d2_cuda_plugin_make_executor"));
  if (!abi || !make || std::string(abi()) != N2D2_CUDA_PLUGIN_ABI)
    fail("--device cuda: the CUDA backend plugin does not match this n2d2-flow (rebuild both)");
  char err[1024] = "";
  sched::Executor* ex = make(&plan, &co, err, sizeof err);
  if (!ex) fail(err);
  return std::unique_ptr<sched::Executor>(ex);
#else
  fail("--device cuda: this n2d2-flow was built without the CUDA backend (configure found no nvcc, cuBLAS or cuDNN)");
#endif
}

LoadedModel load_model(const std::string& path, const ModelOptions& opts, const Verbosity& v, bool compile,
                       bool allow_unsupported) {
  auto t0 = std::chrono::steady_clock::now();
  onnx::LoadOptions lo;
  lo.input_shapes = opts.shapes;
  lo.batch = opts.batch;
  lo.max_tensor_bytes = opts.max_tensor_bytes;
  lo.allow_unsupported = allow_unsupported;
  LoadedModel m;
  if (ini::is_ini_path(path)) {
    m.ini = std::make_shared<ini::IniModel>(ini::load_ini_model(path, lo, {opts.ini_weights, opts.ini_seed}));
    m.loaded = std::move(m.ini->graph);
    m.ini->graph = graph::Graph();
  } else {
    if (!opts.ini_weights.empty()) fail("-w ", opts.ini_weights, ": N2D2 text weights are for INI models (.ini)");
    m.loaded = onnx::load_model(path, lo);
  }
  bool unbound = false;
  for (const auto& n : m.loaded.nodes()) unbound = unbound || onnx::is_unbound(n);
  if (unbound) {
    for (const auto& n : m.loaded.nodes())
      if (onnx::is_unbound(n)) m.unsupported += "\n  " + n.name + ": " + n.op_type;
    m.unsupported = path + ": nodes not supported:" + m.unsupported;
  } else if (compile) {
    try {
      graph::Graph g = m.loaded;
      m.passes = sched::optimize_graph(g, {opts.cpu_fusion});
      sched::CompileOptions co;
      co.dispatch_log = v.dispatch ? &std::cerr : nullptr;
      m.plan = std::make_unique<sched::Plan>(sched::Plan::compile(std::move(g), co));
    } catch (const UnsupportedError& e) {
      if (!allow_unsupported) throw;
      m.unsupported = e.what();
    }
  }
  m.load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return m;
}

void write_text_atomic(const std::string& path, const std::string& text) { io::write_file_atomic(path, text); }

}  // namespace n2d2::cli
