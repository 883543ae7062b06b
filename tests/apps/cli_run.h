// Running the n2d2-flow binary from a test: its exit code and stdout + stderr together.
#pragma once

#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace n2d2::test {

struct Result {
  int code = -1;
  std::string out;  // stdout and stderr together
};

// Runs `n2d2-flow <args>` with environment assignments `env` (e.g. "N2D2_MAX_ISA=avx2") prepended.
inline Result run_cli(const std::string& args, const std::string& env = "") {
  std::string cmd = env + (env.empty() ? "" : " ") + N2D2_FLOW_BIN + " " + args + " 2>&1";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace n2d2::test
