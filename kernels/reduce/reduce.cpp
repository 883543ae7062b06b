// Reference Reduce* kernels: one template over the reduction kind, on the shared ReduceSpace.
// Over an empty set, Sum-like reductions give 0, Prod 1, Mean NaN (0 for integers), Max -inf
// (the lowest integer), Min +inf (the highest), LogSum and LogSumExp -inf: ONNX's identities.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "graph/ops/reduce_ops.h"
#include "kernels/parallel.h"
#include "kernels/reduce/accumulate.h"
#include "kernels/reduce/reduce_kernels.h"
#include "kernels/reduce/reduce_space.h"

namespace n2d2::kernels {

namespace {

using detail::Acc;
using detail::ReduceSpace;

enum class Kind { Sum, Mean, Prod, SumSquare, L1, L2, LogSum, LogSumExp, Max, Min };

// Max/Min keep the element type; a NaN wins (numpy's max/min propagate it).
template <bool kMax, class T>
T extreme(const T* x, const ReduceSpace& s, int64_t base) {
  using L = std::numeric_limits<T>;
  T m = kMax ? (L::has_infinity ? -L::infinity() : L::lowest()) : (L::has_infinity ? L::infinity() : L::max());
  s.for_each_reduced(base, [&](int64_t off) {
    const T v = x[off];
    bool take = kMax ? v > m : v < m;
    if constexpr (std::is_floating_point_v<T>) take = take || std::isnan(v);
    if (take) m = v;
  });
  return m;
}

// log(sum(exp(x))) computed as m + log(sum(exp(x - m))) with m the largest finite maximum.
template <class T>
T log_sum_exp(const T* x, const ReduceSpace& s, int64_t base) {
  double m = -std::numeric_limits<double>::infinity();
  s.for_each_reduced(base, [&](int64_t off) { m = std::max(m, static_cast<double>(x[off])); });
  if (!std::isfinite(m)) m = 0;
  double sum = 0;
  s.for_each_reduced(base, [&](int64_t off) { sum += std::exp(static_cast<double>(x[off]) - m); });
  return detail::from_double<T>(m + std::log(sum));
}

template <Kind K, class T>
T reduce_one(const T* x, const ReduceSpace& s, int64_t base) {
  if constexpr (K == Kind::Max || K == Kind::Min) {
    return extreme<K == Kind::Max>(x, s, base);
  } else if constexpr (K == Kind::LogSumExp) {
    return log_sum_exp(x, s, base);
  } else {
    using A = Acc<T>;
    A acc = K == Kind::Prod ? A(1) : A(0);
    s.for_each_reduced(base, [&](int64_t off) {
      const auto v = static_cast<A>(x[off]);
      if constexpr (K == Kind::Prod) acc = detail::acc_mul(acc, v);
      else if constexpr (K == Kind::SumSquare || K == Kind::L2) acc = detail::acc_add(acc, detail::acc_mul(v, v));
      else if constexpr (K == Kind::L1) acc = detail::acc_add(acc, detail::acc_abs(v));
      else acc = detail::acc_add(acc, v);
    });
    const int64_t n = s.reduced_size();
    if constexpr (K == Kind::Mean) {
      if constexpr (std::is_integral_v<T>) return n ? static_cast<T>(acc / static_cast<A>(n)) : T(0);  // truncates
      else return static_cast<T>(acc / static_cast<double>(n));
    } else if constexpr (K == Kind::L2) {
      return detail::from_double<T>(std::sqrt(static_cast<double>(acc)));
    } else if constexpr (K == Kind::LogSum) {
      return detail::from_double<T>(std::log(static_cast<double>(acc)));
    } else {
      return static_cast<T>(acc);
    }
  }
}

template <Kind K>
Status reduce_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  const graph::ReduceAxes ra =
      graph::reduce_axes(c.node, static_cast<int64_t>(x.rank()), c.has_input(1) ? &c.in(1) : nullptr);
  if (ra.noop) {
    std::memcpy(y.raw_mut(), x.raw(), x.nbytes());
    return Status::ok();
  }
  const ReduceSpace space(x.shape(), ra.axes);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (detail::kReducible<T>) {
      const T* xp = x.data<T>();
      T* yp = y.data_mut<T>();
      const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, space.reduced_size()));
      parallel_for(space.num_outputs(), grain, [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) yp[o] = reduce_one<K, T>(xp, space, space.base_offset(o));
      });
    }
  });
  return Status::ok();
}

}  // namespace

void register_reduce_reductions(KernelRegistry& r) {
  r.add({"reduce_sum_ref", "ReduceSum", "", require_reducible_data, reduce_ref<Kind::Sum>});
  r.add({"reduce_mean_ref", "ReduceMean", "", require_reducible_data, reduce_ref<Kind::Mean>});
  r.add({"reduce_prod_ref", "ReduceProd", "", require_reducible_data, reduce_ref<Kind::Prod>});
  r.add({"reduce_sum_square_ref", "ReduceSumSquare", "", require_reducible_data, reduce_ref<Kind::SumSquare>});
  r.add({"reduce_l1_ref", "ReduceL1", "", require_reducible_data, reduce_ref<Kind::L1>});
  r.add({"reduce_l2_ref", "ReduceL2", "", require_reducible_data, reduce_ref<Kind::L2>});
  r.add({"reduce_log_sum_ref", "ReduceLogSum", "", require_reducible_data, reduce_ref<Kind::LogSum>});
  r.add({"reduce_log_sum_exp_ref", "ReduceLogSumExp", "", require_reducible_data, reduce_ref<Kind::LogSumExp>});
  r.add({"reduce_max_ref", "ReduceMax", "", require_reducible_data, reduce_ref<Kind::Max>});
  r.add({"reduce_min_ref", "ReduceMin", "", require_reducible_data, reduce_ref<Kind::Min>});
}

}  // namespace n2d2::kernels
