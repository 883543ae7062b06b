#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

void register_tensor_kernels(KernelRegistry& r) {
  register_tensor_views(r);
  register_tensor_movement(r);
  register_tensor_indexing(r);
  register_tensor_selection(r);
  register_tensor_makers(r);
}

namespace tensor {

std::string require_readable(const KernelQuery& q) {
  for (const TensorType& t : q.input_types)
    if (t.dtype != DType::Undefined && !visit_dtype(t.dtype, [](auto) {}))
      return std::string("input type ") + dtype_name(t.dtype) + " is not supported";
  return "";
}

}  // namespace tensor
}  // namespace n2d2::kernels
