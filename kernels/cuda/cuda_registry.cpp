#include "kernels/cuda/cuda_registry.h"

namespace n2d2::cuda {

void CudaRegistry::add(const CudaKernelImpl& impl) { impls_[{impl.domain, impl.op_type}].push_back(impl); }

const CudaKernelImpl* CudaRegistry::select(const kernels::KernelQuery& q, std::string& why) const {
  auto it = impls_.find({q.node.domain, q.node.op_type});
  if (it == impls_.end()) {
    why = "no CUDA kernel for " + q.node.op_type;
    return nullptr;
  }
  why.clear();
  for (const CudaKernelImpl& impl : it->second) {
    std::string r = impl.supports ? impl.supports(q) : "";
    if (r.empty()) return &impl;
    why += (why.empty() ? "" : "; ") + std::string(impl.name) + ": " + r;
  }
  return nullptr;
}

std::vector<std::string> CudaRegistry::ops() const {
  std::vector<std::string> r;
  for (const auto& [key, list] : impls_) r.push_back(key.first.empty() ? key.second : key.first + ":" + key.second);
  return r;
}

const CudaRegistry& CudaRegistry::builtin() {
  static const CudaRegistry r = [] {
    CudaRegistry x;
    register_cuda_dnn_kernels(x);
    register_cuda_blas_kernels(x);
    register_cuda_elementwise_kernels(x);
    register_cuda_tensor_kernels(x);
    return x;
  }();
  return r;
}

std::string require_static_f32(const kernels::KernelQuery& q) {
  for (std::size_t i = 0; i < q.input_types.size(); ++i) {
    const TensorType& t = q.input_types[i];
    if (t.dtype == DType::Undefined) continue;
    if (t.dtype != DType::F32) return "input " + std::to_string(i) + " is " + dtype_name(t.dtype) + ", not float32";
    if (!t.fully_known()) return "input " + std::to_string(i) + " has shape " + t.str() + " (static shapes only)";
  }
  for (const TensorType& t : q.output_types)
    if (t.dtype != DType::Undefined && (t.dtype != DType::F32 || !t.fully_known()))
      return "output is " + t.str() + " (static float32 only)";
  return "";
}

}  // namespace n2d2::cuda
