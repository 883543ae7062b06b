// The CUDA backend as a plugin of the n2d2-flow binary: libn2d2_cuda_plugin.so, next to the
// executable, is loaded (dlopen) only when a run asks for --device cuda, so CPU runs do not map
// the CUDA, cuBLAS and cuDNN libraries (hundreds of MB). The plugin resolves the engine's own
// symbols against the executable (linked with -rdynamic). C entry points, one ABI tag.
#pragma once

#include <cstddef>

#include "scheduler/cuda/cuda_executor.h"

#define N2D2_CUDA_PLUGIN_ABI "n2d2-cuda-plugin-1"

extern "C" {
// N2D2_CUDA_PLUGIN_ABI.
const char* n2d2_cuda_plugin_abi();
// make_cuda_executor; nullptr with the error message in `err` (NUL-terminated, truncated).
n2d2::sched::Executor* n2d2_cuda_plugin_make_executor(const n2d2::sched::Plan* plan, const n2d2::sched::CudaOptions* opts,
                                                      char* err, std::size_t err_size);
}
