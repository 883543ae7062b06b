// The CUDA kernel interface, the device twin of kernels/kernel.h: an implementation has the same
// supports() test over the node and its (static) input/output types, an optional prepare() run
// once per node when the executor is built (descriptors, the chosen cuDNN algorithm, workspace
// size), and a run() that enqueues work on the step's stream. Outputs live in the executor's
// planned arena; a view op (Reshape, Flatten, ...) names the input it aliases and runs nothing.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include <memory>
#include <span>

#include "graph/graph.h"
#include "kernels/kernel.h"

namespace n2d2::cuda {

struct DeviceTensor {
  DType dtype = DType::Undefined;
  Shape shape;
  void* ptr = nullptr;
  int64_t numel() const { return shape_numel(shape); }
  std::size_t nbytes() const { return static_cast<std::size_t>(numel()) * dtype_size(dtype); }
  template <class T>
  T* as() const { return static_cast<T*>(ptr); }
};

// What a kernel enqueues on: its stream with the cuDNN/cuBLAS handles bound to it and the
// stream's workspace (at least the largest Prepared::workspace_bytes of the plan).
struct StreamContext {
  cudaStream_t stream = nullptr;
  cudnnHandle_t cudnn = nullptr;
  cublasHandle_t cublas = nullptr;
  void* workspace = nullptr;
  std::size_t workspace_bytes = 0;
};

struct Prepared {
  virtual ~Prepared() = default;
  std::size_t workspace_bytes = 0;
};

struct PrepareContext {
  const graph::Graph& graph;  // constant inputs are graph.value(id).initializer
  const graph::Node& node;
  const kernels::KernelQuery& query;
  cudnnHandle_t cudnn;
};

struct CudaKernelContext {
  const graph::Node& node;
  std::span<const DeviceTensor* const> inputs;  // nullptr for an absent optional input
  std::span<const DeviceTensor> outputs;
  const StreamContext& s;
  const Prepared* state;  // what prepare() returned (nullptr without prepare)

  bool has_input(std::size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
  const DeviceTensor& in(std::size_t i) const { return *inputs[i]; }
  const DeviceTensor& out(std::size_t i) const { return outputs[i]; }
  template <class T>
  const T& prepared() const { return static_cast<const T&>(*state); }
};

struct CudaKernelImpl {
  const char* name;     // "conv2d_f32_cudnn"
  const char* op_type;  // "Conv"
  const char* domain;   // "" for ai.onnx
  kernels::SupportsFn supports;  // nullptr: everything its op allows
  std::unique_ptr<Prepared> (*prepare)(const PrepareContext&) = nullptr;
  void (*run)(const CudaKernelContext&) = nullptr;  // throws n2d2::Error on a CUDA error
  int alias_input = -1;  // >= 0: output 0 is a view of this input; run is not called
};

}  // namespace n2d2::cuda
