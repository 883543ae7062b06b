#include "scheduler/cuda/plugin.h"

#include <cstdio>
#include <exception>

extern "C" {

const char* n2d2_cuda_plugin_abi() { return N2D2_CUDA_PLUGIN_ABI; }

n2d2::sched::Executor* n2d2_cuda_plugin_make_executor(const n2d2::sched::Plan* plan, const n2d2::sched::CudaOptions* opts,
                                                      char* err, std::size_t err_size) {
  try {
    return n2d2::sched::make_cuda_executor(*plan, *opts).release();
  } catch (const std::exception& e) {
    std::snprintf(err, err_size, "%s", e.what());
  } catch (...) {
    std::snprintf(err, err_size, "unknown error in the CUDA backend");
  }
  return nullptr;
}

}  // extern "C"
