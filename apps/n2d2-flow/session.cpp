#include "apps/n2d2-flow/session.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"

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

LoadedModel load_model(const std::string& path, const ModelOptions& opts, const Verbosity& v, bool compile,
                       bool allow_unsupported) {
  auto t0 = std::chrono::steady_clock::now();
  onnx::LoadOptions lo;
  lo.input_shapes = opts.shapes;
  lo.batch = opts.batch;
  lo.max_tensor_bytes = opts.max_tensor_bytes;
  lo.allow_unsupported = allow_unsupported;
  LoadedModel m;
  m.loaded = onnx::load_model(path, lo);
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
