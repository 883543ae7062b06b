// Turning CUDA, cuDNN and cuBLAS status codes into n2d2::Error with the call that failed.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include "graph/error.h"

namespace n2d2::cuda {

inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) fail("CUDA: ", what, ": ", cudaGetErrorString(e));
}
inline void check(cudnnStatus_t e, const char* what) {
  if (e != CUDNN_STATUS_SUCCESS) fail("cuDNN: ", what, ": ", cudnnGetErrorString(e));
}
inline void check(cublasStatus_t e, const char* what) {
  if (e != CUBLAS_STATUS_SUCCESS) fail("cuBLAS: ", what, ": status ", static_cast<int>(e));
}

}  // namespace n2d2::cuda

// N2D2_CUDA(call): checks the status of `call`, naming it.
#define N2D2_CUDA(call) ::n2d2::cuda::check((call), #call)
