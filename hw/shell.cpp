#include "hw/shell.h"

#include <sys/wait.h>

#include <cstdio>

#include "graph/error.h"

namespace n2d2::hw {

std::string shell_quote(const std::string& s) {
  std::string r(1, '\'');
  for (char c : s) {
    if (c == '\'') r.append("'\\''");
    else r.push_back(c);
  }
  r.push_back('\'');
  return r;
}

std::pair<int, std::string> run_shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(("{ " + cmd + "; } 2>&1").c_str(), "r");
  if (!p) fail("cannot run: ", cmd);
  char buf[4096];
  std::size_t k;
  while ((k = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, k);
  int st = ::pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : 128, out};
}

}  // namespace n2d2::hw
