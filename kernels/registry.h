// The kernel registry: per op an ordered implementation list, first accepting one wins.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace n2d2::kernels {

struct KernelChoice {
  const KernelImpl* impl = nullptr;
  std::vector<std::string> skipped;  // "name: reason" of the implementations that declined
};

class KernelRegistry {
 public:
  // Appends to the op's list: register faster implementations before the reference one.
  void add(const KernelImpl& impl);
  const std::vector<KernelImpl>& implementations(const std::string& op_type, const std::string& domain = "") const;
  bool has_op(const std::string& op_type, const std::string& domain = "") const;
  // First implementation that supports the node; throws UnsupportedError naming the node and
  // every reason when none does.
  KernelChoice select(const KernelQuery& q) const;

  static const KernelRegistry& builtin();

 private:
  std::map<std::pair<std::string, std::string>, std::vector<KernelImpl>> impls_;
};

// The explicit list of kernel families (kernels/registry.cpp).
void register_builtin_kernels(KernelRegistry& r);

// One registration function per kernel family folder.
void register_elementwise_kernels(KernelRegistry& r);  // kernels/elementwise/
void register_nn_kernels(KernelRegistry& r);           // kernels/conv, pool, gemm, normalization (one folder each)
void register_tensor_kernels(KernelRegistry& r);       // kernels/tensor/
void register_reduce_kernels(KernelRegistry& r);       // kernels/reduce/
void register_spatial_kernels(KernelRegistry& r);      // kernels/spatial/: Pad, Resize, Upsample, DepthToSpace, SpaceToDepth
void register_quant_kernels(KernelRegistry& r);        // kernels/quant/: ai.n2d2 integer ops (x86 variants, then reference)

}  // namespace n2d2::kernels
