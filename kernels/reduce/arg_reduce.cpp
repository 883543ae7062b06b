// Reference ArgMax and ArgMin along one axis, on the shared ReduceSpace. As numpy's argmax and
// argmin, a NaN counts as the extreme value; ties give the first index, or the last one with
// select_last_index.
#include <algorithm>
#include <cmath>

#include "graph/ops/reduce_ops.h"
#include "kernels/parallel.h"
#include "kernels/reduce/accumulate.h"
#include "kernels/reduce/reduce_kernels.h"
#include "kernels/reduce/reduce_space.h"

namespace n2d2::kernels {

namespace {

using detail::ReduceSpace;

template <bool kMax, class T>
bool better(T v, T best) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(best)) return false;
    if (std::isnan(v)) return true;
  }
  return kMax ? v > best : v < best;
}

template <class T>
bool same(T v, T best) {
  if constexpr (std::is_floating_point_v<T>)
    if (std::isnan(v) && std::isnan(best)) return true;
  return v == best;
}

template <bool kMax, class T>
int64_t arg_one(const T* x, const ReduceSpace& s, int64_t base, bool last) {
  int64_t i = 0, best_index = 0;
  T best{};
  s.for_each_reduced(base, [&](int64_t off) {
    const T v = x[off];
    if (i == 0 || better<kMax>(v, best) || (last && same(v, best))) {
      best = v;
      best_index = i;
    }
    ++i;
  });
  return best_index;
}

template <bool kMax>
Status arg_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  const int64_t axis = graph::single_axis(c.node, static_cast<int64_t>(x.rank()));
  const bool last = c.attrs().i_or("select_last_index", 0) != 0;  // absent before ArgMax-12
  const ReduceSpace space(x.shape(), {axis});
  int64_t* yp = c.out(0).data_mut<int64_t>();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (detail::kReducible<T>) {
      const T* xp = x.data<T>();
      const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, space.reduced_size()));
      parallel_for(space.num_outputs(), grain, [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) yp[o] = arg_one<kMax, T>(xp, space, space.base_offset(o), last);
      });
    }
  });
  return Status::ok();
}

}  // namespace

void register_reduce_arg(KernelRegistry& r) {
  r.add({"argmax_ref", "ArgMax", "", require_reducible_data, arg_ref<true>});
  r.add({"argmin_ref", "ArgMin", "", require_reducible_data, arg_ref<false>});
}

}  // namespace n2d2::kernels
