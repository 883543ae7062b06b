// Reference CumSum along one axis, with the exclusive and reverse options.
#include "kernels/reduce/reduce_kernels.h"

namespace n2d2::kernels {

namespace {

Status cumsum_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  int64_t axis = c.in(1).to_int64_vector().at(0);
  auto rank = static_cast<int64_t>(x.rank());
  if (axis < -rank || axis >= rank) return Status::error("axis ", axis, " is out of range for rank ", rank);
  if (axis < 0) axis += rank;
  int64_t outer = 1, len = x.shape()[axis], inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= x.shape()[i];
  for (int64_t i = axis + 1; i < rank; ++i) inner *= x.shape()[i];
  bool exclusive = c.attrs().i("exclusive") != 0, reverse = c.attrs().i("reverse") != 0;
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T* xp = x.data<T>();
      T* yp = c.out(0).data_mut<T>();
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t in = 0; in < inner; ++in) {
          T acc = 0;
          for (int64_t k = 0; k < len; ++k) {
            int64_t i = reverse ? len - 1 - k : k;
            int64_t off = (o * len + i) * inner + in;
            if (exclusive) {
              yp[off] = acc;
              acc += xp[off];
            } else {
              acc += xp[off];
              yp[off] = acc;
            }
          }
        }
    }
  });
  return Status::ok();
}

std::string supports(const KernelQuery& q) {
  return require_input_dtypes(q, {DType::F32, DType::F64, DType::I32, DType::I64, DType::U32, DType::U64});
}

}  // namespace

void register_reduce_family_cumsum(KernelRegistry& r) { r.add({"cumsum_ref", "CumSum", "", supports, cumsum_ref}); }

}  // namespace n2d2::kernels
