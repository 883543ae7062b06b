#pragma once
// Running the external hardware tools (ghdl, yosys) from the VHDL flow and the synthesis check.
#include <string>
#include <utility>

namespace n2d2::hw {

// `s` single-quoted for /bin/sh.
std::string shell_quote(const std::string& s);

// Runs `cmd` with /bin/sh, stdout and stderr together; returns (exit code, output), exit code
// 128 when the command did not exit normally. Throws n2d2::Error when it cannot be started.
std::pair<int, std::string> run_shell(const std::string& cmd);

}  // namespace n2d2::hw
