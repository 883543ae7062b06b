// n2d2-flow export: a model written out as ONNX (the graph as loaded: names, shapes, attributes
// kept) or, for a model written by `n2d2-flow quantize`, as a standalone C++ folder
// (exporters/cpp_export.h) whose outputs equal the integer run bit for bit.
#include <filesystem>
#include <iostream>

#include "apps/n2d2-flow/args.h"
#include "apps/n2d2-flow/commands.h"
#include "apps/n2d2-flow/session.h"
#include "exporters/cpp_export.h"
#include "exporters/onnx_qdq.h"
#include "exporters/onnx_writer.h"
#include "frontends/onnx/onnx_loader.h"
#include "scheduler/pipeline.h"

namespace n2d2::cli {

namespace {
const char* kUsage =
    "usage: n2d2-flow export MODEL --format onnx|onnx-int8|cpp -o DIR [--integer-ops] [--force] [--shape NAME=DIMS]\n"
    "  onnx       DIR/model.onnx: the model as loaded (round trip: same names, shapes and outputs)\n"
    "  onnx-int8  DIR/model.onnx: a quantized model (from n2d2-flow quantize, 8 bits) as standard ONNX:\n"
    "             QuantizeLinear/DequantizeLinear around float Conv/Gemm on integer values, or with\n"
    "             --integer-ops ConvInteger/MatMulInteger on (u)int8 tensors; ONNX Runtime runs both\n"
    "  cpp   DIR/{network.cpp,network.hpp,n2d2_ops.hpp,n2d2_semantics.hpp,main.cpp,CMakeLists.txt}: a\n"
    "        standalone C++17 program of a quantized model (from n2d2-flow quantize) classifying an image\n"
    "        file (binary PGM or raw float32); build with cmake or g++ -std=c++17 main.cpp network.cpp\n";
}

int cmd_export(int argc, char** argv) {
  std::set<std::string> with_value = {"--format", "-o"};
  with_value.insert(kModelOptions.begin(), kModelOptions.end());
  Args a(argc, argv, 2, with_value, {"--force", "--help", "--integer-ops"});
  if (a.has("--help")) {
    std::cout << kUsage;
    return 0;
  }
  if (a.positional().size() != 1) fail("export needs one MODEL\n", kUsage);
  if (!a.has("-o")) fail("export needs -o DIR");
  std::string format = a.get("--format", ""), out = a.get("-o");
  if (format != "onnx" && format != "onnx-int8" && format != "cpp")
    fail("--format must be onnx, onnx-int8 or cpp, got '", format, "'");
  if (a.has("--integer-ops") && format != "onnx-int8") fail("--integer-ops goes with --format onnx-int8");
  namespace fs = std::filesystem;
  if (fs::exists(out) && !(fs::is_directory(out) && fs::is_empty(out)) && !a.has("--force"))
    fail("output folder ", out, " exists and is not empty (use --force to overwrite)");
  ModelOptions mo = ModelOptions::from_args(a);
  onnx::LoadOptions lo;
  lo.input_shapes = mo.shapes;
  lo.batch = mo.batch;
  graph::Graph g = onnx::load_model(a.positional()[0], lo);
  fs::create_directories(out);
  if (format == "onnx") {
    exporters::write_onnx(g, (fs::path(out) / "model.onnx").string());
    std::cout << "wrote " << (fs::path(out) / "model.onnx").string() << "\n";
  } else if (format == "onnx-int8") {
    sched::optimize_graph(g);
    exporters::write_onnx(exporters::onnx_int8_graph(g, a.has("--integer-ops")), (fs::path(out) / "model.onnx").string());
    std::cout << "wrote " << (fs::path(out) / "model.onnx").string() << "\n";
  } else {
    sched::optimize_graph(g);
    exporters::write_cpp_export(g, out);
    std::cout << "wrote " << out << "/network.cpp (build: cd " << out
              << " && g++ -std=c++17 -O2 main.cpp network.cpp -o network)\n";
  }
  return 0;
}

}  // namespace n2d2::cli
