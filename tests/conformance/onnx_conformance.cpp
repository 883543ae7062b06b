// Conformance runner over the ONNX backend test data (Debian's libonnx-testdata): each case is
// loaded from model.onnx, run on its input_*.pb and compared with output_*.pb. Cases whose ops
// or types are not supported are skipped and counted; any failure of a supported case fails.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#ifdef N2D2_HAVE_CUDA
#include "scheduler/cuda/cuda_executor.h"
#endif

namespace fs = std::filesystem;
using namespace n2d2;

namespace {

struct Options {
  std::string data_dir = "/usr/include/onnx/backend/test/data";
  std::vector<std::string> suites;
  std::string filter;
  double rtol = 1e-3, atol = 1e-5;
  int min_pass = 0;
  bool verbose = false;
  std::string engine = "tbb";
  std::string report;  // markdown summary written here (atomically) when set
  int threads = 2;
  bool cuda = false;  // --device cuda: the CUDA executor (CPU fallback for nodes it lacks)
};

// Exit code of a run that could not start for want of a GPU: ctest reports the test as skipped.
constexpr int kSkipExit = 77;

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::string> failures;
  std::map<std::string, int> skip_reasons;
};

// Groups skip messages: the unsupported op types ("unsupported op: GRU"), or for kernel refusals
// the op and the last reason ("no kernel: Cast: input 0 has unsupported type float16").
std::string skip_key(const std::string& msg) {
  std::set<std::string> ops;
  std::string reason;
  std::size_t pos = msg.find('\n');
  bool schema = msg.find("not supported:") != std::string::npos;
  while (pos != std::string::npos) {
    std::size_t end = msg.find('\n', pos + 1);
    std::string line = msg.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
    pos = end;
    if (schema) {
      auto colon = line.find(": "), paren = line.rfind(" (");
      if (colon != std::string::npos && paren != std::string::npos && paren > colon)
        ops.insert(line.substr(colon + 2, paren - colon - 2));
    } else {
      auto open = line.find(") ("), close = line.find("):");
      if (open == std::string::npos) open = line.find("' (");
      if (open != std::string::npos && close != std::string::npos && close > open)
        ops.insert(line.substr(open + 3, close - open - 3));
      auto last = line.rfind(": ");
      if (last != std::string::npos) reason = line.substr(last + 2);
    }
  }
  std::string key = schema ? "unsupported op:" : msg.find("no kernel") != std::string::npos ? "no kernel:" : "unsupported:";
  for (const auto& o : ops) key += " " + o;
  if (ops.empty()) key += " " + msg.substr(msg.rfind(": ") == std::string::npos ? 0 : msg.rfind(": ") + 2, 80);
  if (!reason.empty()) key += ": " + reason;
  return key;
}

std::string compare(const Tensor& got, const Tensor& want, const Options& o) {
  if (got.dtype() != want.dtype())
    return std::string("dtype ") + dtype_name(got.dtype()) + ", expected " + dtype_name(want.dtype());
  if (got.shape() != want.shape()) return "shape [" + shape_str(got.shape()) + "], expected [" + shape_str(want.shape()) + "]";
  if (!dtype_is_float(got.dtype())) {
    if (std::memcmp(got.raw(), want.raw(), got.nbytes()) != 0) {
      auto g = got.to_double_vector(), w = want.to_double_vector();
      for (std::size_t i = 0; i < g.size(); ++i)
        if (g[i] != w[i]) return "element " + std::to_string(i) + ": " + std::to_string(g[i]) + " vs " + std::to_string(w[i]);
    }
    return "";
  }
  auto g = got.to_double_vector(), w = want.to_double_vector();
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (std::isnan(w[i]) && std::isnan(g[i])) continue;
    if (std::isinf(w[i]) && g[i] == w[i]) continue;
    if (!(std::abs(g[i] - w[i]) <= o.atol + o.rtol * std::abs(w[i]))) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "element %zu: %.9g vs expected %.9g", i, g[i], w[i]);
      return buf;
    }
  }
  return "";
}

std::vector<fs::path> sorted_files(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> r;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(prefix, 0) == 0 && e.path().extension() == ".pb") r.push_back(e.path());
  // input_0.pb ... input_10.pb: numeric order
  std::sort(r.begin(), r.end(), [&](const fs::path& a, const fs::path& b) {
    auto num = [&](const fs::path& p) { return std::stoi(p.stem().string().substr(prefix.size())); };
    return num(a) < num(b);
  });
  return r;
}

// Returns "" on pass, "SKIP: reason" or the failure message.
std::string run_case(const fs::path& dir, const Options& o) {
  graph::Graph g;
  std::unique_ptr<sched::Plan> plan;
  try {
    g = onnx::load_model((dir / "model.onnx").string());
    sched::optimize_graph(g);
    plan = std::make_unique<sched::Plan>(sched::Plan::compile(std::move(g)));
  } catch (const UnsupportedError& e) {
    return std::string("SKIP: ") + e.what();
  }
  std::unique_ptr<sched::Executor> exec;
  if (!o.cuda) {
    exec = sched::make_executor(*plan, sched::engine_from_name(o.engine), o.threads);
  } else {
#ifdef N2D2_HAVE_CUDA
    sched::CudaOptions co;
    co.engine = sched::engine_from_name(o.engine);
    co.threads = o.threads;
    try {
      exec = sched::make_cuda_executor(*plan, co);
    } catch (const Error& e) {
      if (std::string(e.what()).find("needs static shapes") != std::string::npos) return "SKIP: cuda: dynamic shapes";
      throw;
    }
#endif
  }
  const graph::Graph& pg = plan->graph();
  int sets = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_directory() || e.path().filename().string().rfind("test_data_set_", 0) != 0) continue;
    ++sets;
    auto in_files = sorted_files(e.path(), "input_");
    auto out_files = sorted_files(e.path(), "output_");
    // Inputs are matched by name when the .pb carries one, else by position.
    std::vector<Tensor> inputs(pg.inputs().size());
    for (std::size_t i = 0; i < in_files.size(); ++i) {
      std::string name;
      Tensor t = onnx::load_tensor_pb(in_files[i].string(), &name);
      std::size_t slot = i;
      for (std::size_t k = 0; k < pg.inputs().size(); ++k)
        if (!name.empty() && pg.value(pg.inputs()[k]).name == name) slot = k;
      if (slot >= inputs.size()) return "input file " + in_files[i].filename().string() + " has no graph input";
      inputs[slot] = std::move(t);
    }
    std::vector<Tensor> outs;
    try {
      outs = exec->run(inputs);
    } catch (const UnsupportedError& e) {
      return std::string("SKIP: ") + e.what();
    }
    if (outs.size() != out_files.size())
      return std::to_string(outs.size()) + " outputs, expected " + std::to_string(out_files.size());
    for (std::size_t i = 0; i < out_files.size(); ++i) {
      Tensor want = onnx::load_tensor_pb(out_files[i].string());
      std::string d = compare(outs[i], want, o);
      if (!d.empty()) return e.path().filename().string() + ": output " + pg.value(pg.outputs()[i]).name + ": " + d;
    }
  }
  if (sets == 0) return "no test_data_set_* folder";
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--suite") o.suites.push_back(next());
    else if (a == "--filter") o.filter = next();
    else if (a == "--data-dir") o.data_dir = next();
    else if (a == "--min-pass") o.min_pass = std::stoi(next());
    else if (a == "--engine") o.engine = next();
    else if (a == "--threads") o.threads = std::stoi(next());
    else if (a == "-v" || a == "--verbose") o.verbose = true;
    else if (a == "--report") o.report = next();
    else if (a == "--device") {
      std::string d = next();
      if (d != "cpu" && d != "cuda") {
        std::fprintf(stderr, "--device must be cpu or cuda, not '%s'\n", d.c_str());
        return 2;
      }
      o.cuda = d == "cuda";
    }
    else {
      std::fprintf(stderr,
                   "usage: onnx_conformance [--suite node|simple|pytorch-converted|pytorch-operator]... [--filter S]\n"
                   "                        [--data-dir DIR] [--min-pass N] [--engine tbb|seq] [--threads N] [-v]\n"
                   "                        [--report FILE.md] [--device cpu|cuda]\n");
      return 2;
    }
  }
  if (o.suites.empty()) o.suites = {"node", "simple", "pytorch-converted", "pytorch-operator"};
  if (o.cuda) {
#ifdef N2D2_HAVE_CUDA
    if (std::string why = sched::cuda_unavailable_reason(); !why.empty()) {
      std::fprintf(stderr, "--device cuda: %s: not run\n", why.c_str());
      return kSkipExit;
    }
#else
    std::fprintf(stderr, "--device cuda: this build has no CUDA backend: not run\n");
    return kSkipExit;
#endif
  }
  bool ok = true;
  int total_pass = 0;
  std::string md = "| suite | cases | passed | failed | skipped |\n|---|---|---|---|---|\n", md_skips, md_fail;
  for (const std::string& suite : o.suites) {
    fs::path root = fs::path(o.data_dir) / suite;
    if (!fs::is_directory(root)) {
      std::fprintf(stderr, "no such suite folder: %s\n", root.c_str());
      return 2;
    }
    std::vector<fs::path> cases;
    for (const auto& e : fs::directory_iterator(root))
      if (e.is_directory() && e.path().filename().string().find(o.filter) != std::string::npos) cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());
    Counts c;
    for (const auto& dir : cases) {
      std::string name = dir.filename().string(), r;
      try {
        r = run_case(dir, o);
      } catch (const std::exception& e) {
        r = e.what();
      }
      if (r.empty()) {
        ++c.passed;
        if (o.verbose) std::printf("PASS %s\n", name.c_str());
      } else if (r.rfind("SKIP: ", 0) == 0) {
        ++c.skipped;
        ++c.skip_reasons[skip_key(r.substr(6))];
        if (o.verbose) std::printf("SKIP %s: %s\n", name.c_str(), r.substr(6, 200).c_str());
      } else {
        ++c.failed;
        c.failures.push_back(name + ": " + r);
        if (o.verbose) std::printf("FAIL %s: %s\n", name.c_str(), r.c_str());
      }
    }
    std::printf("suite %s: %d passed, %d failed, %d skipped (of %zu)\n", suite.c_str(), c.passed, c.failed, c.skipped,
                cases.size());
    for (const auto& f : c.failures) std::printf("  FAILED %s\n", f.c_str());
    if (o.verbose) {
      std::vector<std::pair<int, std::string>> reasons;
      for (const auto& [k, v] : c.skip_reasons) reasons.emplace_back(v, k);
      std::sort(reasons.rbegin(), reasons.rend());
      for (const auto& [v, k] : reasons) std::printf("  skipped %4d: %s\n", v, k.c_str());
    }
    ok = ok && c.failed == 0;
    total_pass += c.passed;
    md += "| " + suite + " | " + std::to_string(cases.size()) + " | " + std::to_string(c.passed) + " | " +
          std::to_string(c.failed) + " | " + std::to_string(c.skipped) + " |\n";
    std::vector<std::pair<int, std::string>> reasons;
    for (const auto& [k, v] : c.skip_reasons) reasons.emplace_back(v, k);
    std::sort(reasons.rbegin(), reasons.rend());
    for (const auto& [v, k] : reasons) md_skips += "| " + suite + " | " + std::to_string(v) + " | " + k + " |\n";
    for (const auto& f : c.failures) md_fail += "- " + suite + ": " + f + "\n";
  }
  if (total_pass < o.min_pass) {
    std::printf("only %d cases passed, at least %d required\n", total_pass, o.min_pass);
    ok = false;
  }
  if (!o.report.empty()) {
    std::string text = md + "\nSkipped cases by first reason (count):\n\n| suite | cases | reason |\n|---|---|---|\n" + md_skips;
    if (!md_fail.empty()) text += "\nFailures:\n\n" + md_fail;
    io::write_file_atomic(o.report, text);
  }
  return ok ? 0 : 1;
}
