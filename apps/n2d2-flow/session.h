// Loading a model for a subcommand: frontend, pass pipeline, kernel selection, with timings.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "apps/n2d2-flow/args.h"
#include "frontends/ini_model/ini_model.h"
#include "graph/graph.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#include "scheduler/plan.h"

namespace n2d2::cli {

// Read once at start-up from N2D2_VERBOSE (none|error|warn|dispatch|profile|all).
struct Verbosity {
  bool dispatch = false;
  static Verbosity from_env();
};

struct ModelOptions {
  std::map<std::string, Shape> shapes;  // --shape NAME=DIMS
  int64_t batch = 0;                    // --batch N
  std::size_t max_tensor_bytes = std::size_t{4} << 30;  // --max-tensor-mb
  bool cpu_fusion = true;  // BN folding + FusedConv (sched::PassOptions); off with --device cuda
  std::string ini_weights;  // -w DIR: N2D2 text weights of an INI model ("/dev/null": fillers)
  uint64_t ini_seed = 1;    // -seed S: an INI model's fillers
  static ModelOptions from_args(const Args& a);
};

// Where and how a plan runs: --engine, --threads, --device cpu|cuda, --cuda-graph, --streams.
struct ExecOptions {
  sched::Engine engine = sched::Engine::Tbb;
  int threads = 1;
  bool cuda = false;
  bool cuda_graph = false;
  int streams = 4;
  static ExecOptions from_args(const Args& a);
  std::string device_name() const { return cuda ? "cuda" : "cpu"; }
};
inline const std::set<std::string> kExecOptions = {"--engine", "--threads", "--device", "--streams"};

// The CPU executors, or the CUDA one (an error naming the reason when this build has no CUDA
// backend or the machine no usable device).
std::unique_ptr<sched::Executor> make_run_executor(const sched::Plan& plan, const ExecOptions& o, const Verbosity& v);

// The options every model-loading subcommand accepts.
inline const std::set<std::string> kModelOptions = {"--shape", "--batch", "--max-tensor-mb", "-w", "-seed"};

struct LoadedModel {
  graph::Graph loaded;  // as read (after binding and shape inference)
  std::shared_ptr<ini::IniModel> ini;  // set for an N2D2 INI model (document, target)
  sched::PassReport passes;
  std::unique_ptr<sched::Plan> plan;  // null when not compiled
  std::string unsupported;            // why no plan could be made (allow_unsupported)
  double load_ms = 0;  // reading + passes + kernel selection
};

// Loads (ONNX, or an N2D2 .ini model) and optimizes; compiles a plan when `compile` (throws
// UnsupportedError listing nodes).
// With `allow_unsupported`, a model with unsupported nodes loads without a plan (for `info`).
LoadedModel load_model(const std::string& path, const ModelOptions& opts, const Verbosity& v, bool compile,
                       bool allow_unsupported = false);

// Writes `text` to `path` through a temporary file and a rename.
void write_text_atomic(const std::string& path, const std::string& text);

}  // namespace n2d2::cli
