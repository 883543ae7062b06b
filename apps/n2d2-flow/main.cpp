// n2d2-flow: the command-line entry point. Errors become one clear line and exit code 2.
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

#include "apps/n2d2-flow/commands.h"
#include "graph/error.h"

#ifndef N2D2_VERSION
#define N2D2_VERSION "unknown"
#endif

namespace {
const char* kUsage =
    "usage: n2d2-flow <command> [options]\n"
    "commands:\n"
    "  run MODEL     run a model (seeded random or given inputs), print outputs and timings\n"
    "  info MODEL    inputs/outputs, op histogram, parameters, MACs, activation memory\n"
    "  quantize MODEL  post-training quantization to ai.n2d2 integer ops (--calib-data, --nbbits, ...)\n"
    "  export MODEL  write a model as ONNX (--format onnx) or a standalone C++ program (--format cpp)\n"
    "  hw MODEL      FPGA dataflow mapping: per-layer resources, FPS, latency (integer models)\n"
    "  ini FILE.ini  the INI file resolved (variables, templates, ConfigSection, references)\n"
    "  spike MODEL   transcode to a spiking network and simulate it on a labelled set (--data, --env)\n"
    "options: --help (also after a command), --version\n"
    "environment: N2D2_VERBOSE=dispatch prints the kernel chosen for each node\n";
}

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "n2d2-flow " << N2D2_VERSION << "\n";
    return 0;
  }
  std::string cmd = argv[1];
  try {
    if (cmd == "run") return n2d2::cli::cmd_run(argc, argv);
    if (cmd == "info") return n2d2::cli::cmd_info(argc, argv);
    if (cmd == "quantize") return n2d2::cli::cmd_quantize(argc, argv);
    if (cmd == "export") return n2d2::cli::cmd_export(argc, argv);
    if (cmd == "hw") return n2d2::cli::cmd_hw(argc, argv);
    if (cmd == "ini") return n2d2::cli::cmd_ini(argc, argv);
    if (cmd == "spike") return n2d2::cli::cmd_spike(argc, argv);
    std::cerr << "n2d2-flow: unknown command '" << cmd << "'\n" << kUsage;
    return 2;
  } catch (const n2d2::UnsupportedError& e) {
    std::cerr << "n2d2-flow: unsupported: " << e.what() << "\n";
    return 2;
  } catch (const n2d2::Error& e) {
    std::cerr << "n2d2-flow: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "n2d2-flow: error: " << e.what() << "\n";
    return 2;
  }
}
