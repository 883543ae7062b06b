// The CUDA kernel registry: per op an ordered list, first accepting implementation wins (as the
// CPU registry). Nodes no CUDA kernel accepts run on the CPU (scheduler/device_placement.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kernels/cuda/cuda_kernel.h"

namespace n2d2::cuda {

class CudaRegistry {
 public:
  void add(const CudaKernelImpl& impl);
  // The first implementation accepting the node, or nullptr with the reasons in `why`.
  const CudaKernelImpl* select(const kernels::KernelQuery& q, std::string& why) const;
  std::vector<std::string> ops() const;  // "Conv", "ai.n2d2:X", ... for --help and docs
  static const CudaRegistry& builtin();

 private:
  std::map<std::pair<std::string, std::string>, std::vector<CudaKernelImpl>> impls_;
};

// One registration function per file of kernels/cuda/.
void register_cuda_dnn_kernels(CudaRegistry& r);          // dnn_kernels.cpp: Conv, pools, BN, Softmax, activations
void register_cuda_blas_kernels(CudaRegistry& r);         // blas_kernels.cpp: Gemm, MatMul
void register_cuda_elementwise_kernels(CudaRegistry& r);  // elementwise_kernels.cpp
void register_cuda_tensor_kernels(CudaRegistry& r);       // tensor_kernels.cpp: views, Concat, Transpose, Pad, Resize

// Accepts float32 inputs and outputs with every shape known (what the device kernels need).
std::string require_static_f32(const kernels::KernelQuery& q);

}  // namespace n2d2::cuda
