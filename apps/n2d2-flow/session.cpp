#include "apps/n2d2-flow/session.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#ifdef N2D2_HAVE_CUDA
#include "scheduler/cuda/cuda_executor.h"
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
#ifdef N2D2_HAVE_CUDA
  sched::CudaOptions co;
  co.engine = o.engine;
  co.threads = o.threads;
  co.cuda_graph = o.cuda_graph;
  co.max_streams = o.streams;
  co.dispatch_log = v.dispatch ? &std::cerr : nullptr;
  return sched::make_cuda_executor(plan, co);
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
    m.ini = std::make_shared<ini::IniModel>(ini::load_ini_model(path, lo));
    m.loaded = std::move(m.ini->graph);
    m.ini->graph = graph::Graph();
  } else {
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
      m.passes = sched::optimize_graph(g);
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
