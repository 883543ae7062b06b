// The subcommands of n2d2-flow. Each returns the process exit code; errors are thrown as
// n2d2::Error and turned into exit code 2 by main().
#pragma once

namespace n2d2::cli {

int cmd_run(int argc, char** argv);   // n2d2-flow run MODEL ...
int cmd_info(int argc, char** argv);  // n2d2-flow info MODEL ...
int cmd_quantize(int argc, char** argv);  // n2d2-flow quantize MODEL --calib-data ... -o DIR
int cmd_export(int argc, char** argv);    // n2d2-flow export MODEL --format onnx|cpp -o DIR
int cmd_hw(int argc, char** argv);    // n2d2-flow hw MODEL ... (FPGA dataflow mapping)
int cmd_ini(int argc, char** argv);   // n2d2-flow ini FILE.ini
int cmd_spike(int argc, char** argv); // n2d2-flow spike MODEL --data ... --env env.ini

}  // namespace n2d2::cli
