#include "kernels/reduce/accumulate.h"
#include "kernels/reduce/reduce_kernels.h"

namespace n2d2::kernels {

std::string require_reducible_data(const KernelQuery& q) {
  const DType t = q.input_types.empty() ? DType::Undefined : q.input_types[0].dtype;
  bool ok = false;
  visit_dtype(t, [&](auto tag) { ok = detail::kReducible<decltype(tag)>; });
  return ok ? std::string() : std::string("input 0 has unsupported type ") + dtype_name(t);
}

void register_reduce_kernels(KernelRegistry& r) {
  register_reduce_reductions(r);
  register_reduce_arg(r);
  register_reduce_softmax(r);
  register_reduce_cumsum(r);
}

}  // namespace n2d2::kernels
