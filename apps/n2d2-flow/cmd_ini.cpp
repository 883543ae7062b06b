// n2d2-flow ini: prints an N2D2 INI file as n2d2-flow resolves it (variables substituted,
// templates expanded, ConfigSection lists merged, [section]Property references replaced), each
// property followed by the file:line it came from.
#include <iostream>

#include "apps/n2d2-flow/args.h"
#include "apps/n2d2-flow/commands.h"
#include "frontends/ini/ini_resolve.h"
#include "frontends/ini_model/ini_model.h"
#include "frontends/ini_model/ini_weights.h"
#include "frontends/onnx/onnx_loader.h"
#include "graph/error.h"

namespace n2d2::cli {

namespace {
const char* kIniUsage =
    "usage: n2d2-flow ini FILE.ini [--no-where]\n"
    "Prints the INI file resolved: $VAR/${VAR} substituted, [name@file.ini.tpl] templates expanded,\n"
    "ConfigSection lists merged, [section]Property references replaced; each property with the\n"
    "file:line it came from (unless --no-where).\n"
    "       n2d2-flow ini FILE.ini --export-weights DIR [--weights-from MODEL.onnx] [-w DIR] [-seed S]\n"
    "Writes the parameters of the INI network's Conv/Fc/BatchNorm layers to DIR as N2D2 text weights\n"
    "(<layer>_weights.syntxt, ...; read back with -w DIR): those of MODEL.onnx (the same network\n"
    "exported to ONNX: its k-th Conv/Gemm/BatchNormalization gives the k-th layer's), else those\n"
    "of -w DIR, else the fillers (seeded by -seed, default 1).\n";

std::string quoted(const ini::Property& p) {
  bool needs = p.quoted || p.value.find_first_of(";#") != std::string::npos;
  return needs ? "\"" + p.value + "\"" : p.value;
}
}  // namespace

int cmd_ini(int argc, char** argv) {
  Args a(argc, argv, 2, {"--export-weights", "--weights-from", "-w", "-seed"}, {"--help", "-h", "--no-where"});
  if (a.has("--help") || a.has("-h")) {
    std::cout << kIniUsage;
    return 0;
  }
  if (a.positional().size() != 1) {
    std::cerr << kIniUsage;
    return 2;
  }
  if (a.has("--export-weights")) {
    const std::string path = a.positional()[0], dir = a.get("--export-weights");
    ini::IniModel m = ini::load_ini_model(path, {}, {a.get("-w"), static_cast<uint64_t>(a.get_int("-seed", 1, 0))});
    if (a.has("--weights-from")) {
      const std::string src = a.get("--weights-from");
      ini::copy_weights(onnx::load_model(src), src, m.params, m.graph);
    }
    ini::export_weights(dir, m.params, m.graph);
    std::cout << "wrote the parameters of " << m.params.size() << " layers to " << dir << "\n";
    return 0;
  }
  for (const char* opt : {"--weights-from", "-w", "-seed"})
    if (a.has(opt)) fail(opt, " needs --export-weights");
  const bool where = !a.has("--no-where");
  ini::Document d = ini::load_document(a.positional()[0]);
  for (const auto& s : d.sections()) {
    if (s.name.empty() && s.properties.empty()) continue;
    if (!s.name.empty()) {
      std::cout << "[" << s.name << "]";
      if (where) std::cout << " ; " << s.where.str() << (d.is_config(s.name) ? " (config)" : "");
      std::cout << "\n";
    }
    for (const auto& p : s.properties) {
      std::cout << p.name << "=" << quoted(p);
      if (where) std::cout << " ; " << p.where.str();
      std::cout << "\n";
    }
  }
  return 0;
}

}  // namespace n2d2::cli
