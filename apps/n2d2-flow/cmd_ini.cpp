// n2d2-flow ini: prints an N2D2 INI file as n2d2-flow resolves it (variables substituted,
// templates expanded, ConfigSection lists merged, [section]Property references replaced), each
// property followed by the file:line it came from.
#include <iostream>

#include "apps/n2d2-flow/args.h"
#include "apps/n2d2-flow/commands.h"
#include "frontends/ini/ini_resolve.h"
#include "graph/error.h"

namespace n2d2::cli {

namespace {
const char* kIniUsage =
    "usage: n2d2-flow ini FILE.ini [--no-where]\n"
    "Prints the INI file resolved: $VAR/${VAR} substituted, [name@file.ini.tpl] templates expanded,\n"
    "ConfigSection lists merged, [section]Property references replaced; each property with the\n"
    "file:line it came from (unless --no-where).\n";

std::string quoted(const ini::Property& p) {
  bool needs = p.quoted || p.value.find_first_of(";#") != std::string::npos;
  return needs ? "\"" + p.value + "\"" : p.value;
}
}  // namespace

int cmd_ini(int argc, char** argv) {
  Args a(argc, argv, 2, {}, {"--help", "-h", "--no-where"});
  if (a.has("--help") || a.has("-h")) {
    std::cout << kIniUsage;
    return 0;
  }
  if (a.positional().size() != 1) {
    std::cerr << kIniUsage;
    return 2;
  }
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
