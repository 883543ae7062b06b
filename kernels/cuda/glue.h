// Small helpers shared by the CUDA kernel glue files.
#pragma once

#include <optional>
#include <string>

#include "kernels/cuda/cuda_kernel.h"
#include "kernels/cuda/launch.h"

namespace n2d2::cuda {

// The constant value of input `i` of the node, if it is a constant.
inline const Tensor* constant_input(const PrepareContext& p, std::size_t i) {
  if (!p.node.has_input(i)) return nullptr;
  const auto& v = p.graph.value(p.node.inputs[i]);
  return v.initializer ? &*v.initializer : nullptr;
}

// One float from a constant scalar input (Clip's min/max), or `def` when the input is absent.
inline float constant_scalar(const PrepareContext& p, std::size_t i, float def) {
  const Tensor* t = constant_input(p, i);
  if (!t) return def;
  if (t->dtype() != DType::F32 || t->numel() != 1) fail(p.node.label(), ": input ", i, " must be a float32 scalar");
  return t->data<float>()[0];
}

// Broadcast indexing of `a` and `b` (numpy rules) onto `out`; false beyond launch::kMaxRank.
inline bool make_broadcast(const Shape& out, const Shape& a, const Shape& b, launch::Broadcast& bc) {
  if (out.size() > static_cast<std::size_t>(launch::kMaxRank)) return false;
  bc.rank = static_cast<int>(out.size());
  auto strides = [&](const Shape& s, int64_t* dst) {
    int64_t stride = 1;
    for (int d = bc.rank - 1, k = static_cast<int>(s.size()) - 1; d >= 0; --d, --k) {
      int64_t len = k >= 0 ? s[k] : 1;
      dst[d] = len == 1 ? 0 : stride;
      stride *= len;
    }
  };
  for (int d = 0; d < bc.rank; ++d) bc.dims[d] = out[d];
  strides(a, bc.a_strides);
  strides(b, bc.b_strides);
  return true;
}

inline std::string max_rank(const kernels::KernelQuery& q) {
  for (const TensorType& t : q.output_types)
    if (t.rank() > static_cast<std::size_t>(launch::kMaxRank)) return "rank above " + std::to_string(launch::kMaxRank);
  return "";
}

}  // namespace n2d2::cuda
