// Reference Reduce* and ArgMax/ArgMin kernels over one shared index space.
#include <cmath>
#include <cstring>
#include <limits>

#include "graph/ops/reduce_ops.h"
#include "kernels/parallel.h"
#include "kernels/reduce/reduce_kernels.h"
#include "kernels/reduce/reduce_space.h"

namespace n2d2::kernels {

namespace {

enum class Kind { Mean, Sum, Max, Min, Prod, L1, L2, SumSquare, LogSum, LogSumExp };

Kind kind_of(const std::string& op) {
  if (op == "ReduceMean") return Kind::Mean;
  if (op == "ReduceSum") return Kind::Sum;
  if (op == "ReduceMax") return Kind::Max;
  if (op == "ReduceMin") return Kind::Min;
  if (op == "ReduceProd") return Kind::Prod;
  if (op == "ReduceL1") return Kind::L1;
  if (op == "ReduceL2") return Kind::L2;
  if (op == "ReduceSumSquare") return Kind::SumSquare;
  if (op == "ReduceLogSum") return Kind::LogSum;
  return Kind::LogSumExp;
}

// Accumulates in double for floating types and int64 for integers, in a fixed order.
template <class T>
T reduce_one(Kind k, const T* x, const std::vector<int64_t>& offs) {
  using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
  std::size_t n = offs.size();
  switch (k) {
    case Kind::Max: case Kind::Min: {
      if (n == 0) return k == Kind::Max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
      T m = x[offs[0]];
      for (std::size_t i = 1; i < n; ++i) {
        T v = x[offs[i]];
        if constexpr (std::is_floating_point_v<T>)
          if (std::isnan(v)) return v;
        m = k == Kind::Max ? (v > m ? v : m) : (v < m ? v : m);
      }
      return m;
    }
    case Kind::Prod: {
      Acc p = 1;
      for (int64_t o : offs) p *= static_cast<Acc>(x[o]);
      return static_cast<T>(p);
    }
    case Kind::LogSumExp: {
      if constexpr (std::is_floating_point_v<T>) {
        double m = -std::numeric_limits<double>::infinity();
        for (int64_t o : offs) m = std::max(m, static_cast<double>(x[o]));
        if (!std::isfinite(m)) m = 0;
        double s = 0;
        for (int64_t o : offs) s += std::exp(static_cast<double>(x[o]) - m);
        return static_cast<T>(m + std::log(s));
      } else {
        double s = 0;
        for (int64_t o : offs) s += std::exp(static_cast<double>(x[o]));
        return static_cast<T>(std::log(s));
      }
    }
    default: break;
  }
  Acc s = 0;
  for (int64_t o : offs) {
    Acc v = static_cast<Acc>(x[o]);
    if (k == Kind::L1) v = v < 0 ? -v : v;
    if (k == Kind::L2 || k == Kind::SumSquare) v = v * v;
    s += v;
  }
  switch (k) {
    case Kind::Mean: return n ? static_cast<T>(s / static_cast<Acc>(n)) : T{};
    case Kind::L2: return static_cast<T>(std::sqrt(static_cast<double>(s)));
    case Kind::LogSum: return static_cast<T>(std::log(static_cast<double>(s)));
    default: return static_cast<T>(s);
  }
}

Status reduce_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  auto rank = static_cast<int64_t>(x.rank());
  const Tensor* axes_in = c.has_input(1) ? &c.in(1) : nullptr;
  auto ra = graph::reduce_axes(c.node, rank, true, axes_in);
  Tensor& y = c.out(0);
  if (ra->noop) {
    std::memcpy(y.raw_mut(), x.raw(), x.nbytes());
    return Status::ok();
  }
  detail::ReduceSpace space(x.shape(), ra->axes);
  Kind k = kind_of(c.node.op_type);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T* xp = x.data<T>();
      T* yp = y.data_mut<T>();
      parallel_for(space.num_outputs(), 256, [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) yp[o] = reduce_one<T>(k, xp + space.offset_of(o), space.reduced_offsets());
      });
    }
  });
  return Status::ok();
}

Status arg_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  int64_t axis = c.attrs().i("axis");
  if (axis < 0) axis += static_cast<int64_t>(x.rank());
  bool is_max = c.node.op_type == "ArgMax";
  bool last = c.attrs().i_or("select_last_index", 0) != 0;
  detail::ReduceSpace space(x.shape(), {axis});
  int64_t* yp = c.out(0).data_mut<int64_t>();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* xp = x.data<T>();
    const auto& offs = space.reduced_offsets();
    for (int64_t o = 0; o < space.num_outputs(); ++o) {
      const T* base = xp + space.offset_of(o);
      int64_t best = 0;
      for (std::size_t i = 1; i < offs.size(); ++i) {
        T v = base[offs[i]], b = base[offs[best]];
        bool better = is_max ? (v > b || (last && v == b)) : (v < b || (last && v == b));
        if (better) best = static_cast<int64_t>(i);
      }
      yp[o] = best;
    }
  });
  return Status::ok();
}

std::string reduce_supports(const KernelQuery& q) {
  if (!q.input_types.empty() && q.input_types[0].dtype == DType::Bool) return "bool input";
  std::string r = require_input_dtypes(q, {DType::F32, DType::F64, DType::I32, DType::I64, DType::U8, DType::I8,
                                          DType::U32, DType::U64, DType::I16, DType::U16});
  return r;
}

}  // namespace

void register_reduce_family_reductions(KernelRegistry& r) {
  static const char* ops[] = {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
                              "ReduceL1",   "ReduceL2",  "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp"};
  for (const char* op : ops) r.add({"reduce_ref", op, "", reduce_supports, reduce_ref});
  r.add({"argmax_ref", "ArgMax", "", reduce_supports, arg_ref});
  r.add({"argmin_ref", "ArgMin", "", reduce_supports, arg_ref});
}

}  // namespace n2d2::kernels
