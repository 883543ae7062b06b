// The kernel interface. A kernel is a free function over one node's input and output tensors;
// an implementation (KernelImpl) pairs it with a supports() test. Implementations of an op form
// an ordered list ending with the reference kernel (kernels/registry.cpp); the first one whose
// supports() accepts the node runs, and N2D2_VERBOSE=dispatch prints why others were skipped.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "graph/tensor.h"

namespace n2d2::kernels {

struct KernelContext {
  const graph::Node& node;
  std::span<const Tensor* const> inputs;  // nullptr for an absent optional input
  std::span<Tensor> outputs;  // allocated with the inferred types, zero-filled unless the kernel
                              // declares overwrites_outputs; a kernel may instead assign a view
                              // of an input (Reshape, Identity, ...)
  const void* prepared = nullptr;  // what the implementation's prepare() made for this node, or
                                   // nullptr (no prepare, or run outside a Plan): then it works unprepared

  const graph::Attributes& attrs() const { return node.attrs; }
  std::size_t num_inputs() const { return inputs.size(); }
  bool has_input(std::size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
  const Tensor& in(std::size_t i) const { return *inputs[i]; }
  std::size_t num_outputs() const { return outputs.size(); }
  bool has_output(std::size_t i) const { return node.has_output(i); }
  Tensor& out(std::size_t i) const { return outputs[i]; }
};

// Runs the kernel. Must not throw on data; returns an error Status instead.
using KernelFn = Status (*)(const KernelContext&);

// What supports() sees: the node (attributes bound) and its input/output types.
struct KernelQuery {
  const graph::Node& node;
  std::vector<TensorType> input_types;   // TensorType{} (Undefined) for an absent input
  std::vector<TensorType> output_types;
  bool input_is_constant(std::size_t i) const { return i < constant_inputs.size() && constant_inputs[i]; }
  std::vector<bool> constant_inputs;
};

// Returns "" when the implementation can run the node, else the reason it cannot.
using SupportsFn = std::string (*)(const KernelQuery&);

// Optional, run once when a Plan is compiled: state the kernel reuses on every run, e.g. weights
// packed from a constant input. `constants[i]` is input i's value when it is a constant, else
// nullptr. Returns nullptr when there is nothing to prepare; throws n2d2::Error on bad input.
// The Plan owns the result and hands it to run() as KernelContext::prepared.
using PrepareFn = std::shared_ptr<const void> (*)(const KernelQuery& q, std::span<const Tensor* const> constants);

struct KernelImpl {
  const char* name;     // "conv2d_f32_ref"
  const char* op_type;  // "Conv"
  const char* domain;   // "" for ai.onnx
  SupportsFn supports;  // nullptr: supports everything its op allows
  KernelFn run;
  PrepareFn prepare = nullptr;  // nullptr: nothing to prepare
  // True when run() writes every element of its outputs without reading them first: a Plan then
  // hands it uninitialized (arena) outputs instead of zero-filled ones.
  bool overwrites_outputs = false;
};

// Helper for supports(): accepts when every present input has one of `dtypes`.
std::string require_input_dtypes(const KernelQuery& q, std::initializer_list<DType> dtypes);

}  // namespace n2d2::kernels
