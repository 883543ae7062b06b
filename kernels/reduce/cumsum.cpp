// Reference CumSum along one axis, with the exclusive and reverse options. Each line along the
// axis is summed sequentially (floats in double, integers wrapping around); lines in parallel.
#include <algorithm>

#include "kernels/parallel.h"
#include "kernels/reduce/accumulate.h"
#include "kernels/reduce/reduce_kernels.h"

namespace n2d2::kernels {

namespace {

Status cumsum_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  const auto rank = static_cast<int64_t>(x.rank());
  int64_t axis = c.in(1).to_int64_vector().at(0);  // in range: checked by shape inference
  if (axis < 0) axis += rank;
  int64_t outer = 1, len = x.shape()[axis], inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= x.shape()[i];
  for (int64_t i = axis + 1; i < rank; ++i) inner *= x.shape()[i];
  const bool exclusive = c.attrs().i("exclusive") != 0, reverse = c.attrs().i("reverse") != 0;
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (detail::kReducible<T>) {
      using A = detail::Acc<T>;
      const T* xp = x.data<T>();
      T* yp = c.out(0).data_mut<T>();
      parallel_for(outer * inner, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, len)), [&](int64_t b, int64_t e) {
        for (int64_t line = b; line < e; ++line) {
          const int64_t start = (line / inner) * len * inner + line % inner;
          A acc = 0;
          for (int64_t k = 0; k < len; ++k) {
            const int64_t off = start + (reverse ? len - 1 - k : k) * inner;
            const A v = static_cast<A>(xp[off]);
            if (!exclusive) acc = detail::acc_add(acc, v);
            yp[off] = static_cast<T>(acc);
            if (exclusive) acc = detail::acc_add(acc, v);
          }
        }
      });
    }
  });
  return Status::ok();
}

}  // namespace

void register_reduce_cumsum(KernelRegistry& r) { r.add({"cumsum_ref", "CumSum", "", require_reducible_data, cumsum_ref}); }

}  // namespace n2d2::kernels
