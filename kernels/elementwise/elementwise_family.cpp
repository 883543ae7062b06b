#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

std::string require_numeric(const KernelQuery& q) {
  return require_input_dtypes(q, {DType::F32, DType::F64, DType::I8, DType::U8, DType::I16, DType::U16, DType::I32,
                                  DType::U32, DType::I64, DType::U64});
}

std::string require_floats(const KernelQuery& q) { return require_input_dtypes(q, {DType::F32, DType::F64}); }

void register_elementwise_kernels(KernelRegistry& r) {
  register_elementwise_binary_f32(r);
  register_elementwise_arithmetic(r);
  register_elementwise_logic(r);
  register_elementwise_unary(r);
  register_elementwise_cast(r);
}

}  // namespace n2d2::kernels
