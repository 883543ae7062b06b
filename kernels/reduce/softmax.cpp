// Reference Softmax, LogSoftmax and Hardmax over rows of the input. Before opset 13 a row is
// everything from `axis` on (the input coerced to 2-D); from 13 it is the `axis` dimension alone,
// its elements `inner` apart. Rows are independent: each is computed sequentially (in double),
// rows in parallel blocks. Float rows that are contiguous (the last axis) run first on the AVX2 row
// kernel (softmax_row.h) where the CPU allows.
#include <algorithm>
#include <cmath>
#include <limits>

#include "graph/ops/reduce_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/parallel.h"
#include "kernels/reduce/softmax_row.h"
#include "kernels/reduce/reduce_kernels.h"

namespace n2d2::kernels {

namespace {

enum class Kind { Softmax, LogSoftmax, Hardmax };

struct Rows {
  int64_t outer = 1, len = 1, inner = 1;  // input = [outer, len, inner]; a row = len elements inner apart
};

Rows rows_of(const graph::Node& n, const Shape& s) {
  const int64_t axis = graph::single_axis(n, static_cast<int64_t>(s.size()));
  const bool coerced_2d = n.since_version < 13;
  Rows r;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto a = static_cast<int64_t>(i);
    if (a < axis) r.outer *= s[i];
    else if (a == axis || coerced_2d) r.len *= s[i];
    else r.inner *= s[i];
  }
  return r;
}

template <Kind K, class T>
void row(const T* x, T* y, int64_t len, int64_t stride) {
  if constexpr (K == Kind::Hardmax) {
    int64_t best = 0;  // the first maximum
    for (int64_t i = 1; i < len; ++i)
      if (x[i * stride] > x[best * stride]) best = i;
    for (int64_t i = 0; i < len; ++i) y[i * stride] = i == best ? T(1) : T(0);
  } else {
    double m = -std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < len; ++i) m = std::max(m, static_cast<double>(x[i * stride]));
    double sum = 0;
    for (int64_t i = 0; i < len; ++i) sum += std::exp(static_cast<double>(x[i * stride]) - m);
    const double log_sum = std::log(sum);
    for (int64_t i = 0; i < len; ++i) {
      const double v = static_cast<double>(x[i * stride]) - m;
      y[i * stride] = static_cast<T>(K == Kind::LogSoftmax ? v - log_sum : std::exp(v) / sum);
    }
  }
}

template <Kind K>
Status softmax_ref(const KernelContext& c) {
  const Rows r = rows_of(c.node, c.in(0).shape());
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      const T* x = c.in(0).data<T>();
      T* y = c.out(0).data_mut<T>();
      const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, r.len));
      parallel_for(r.outer * r.inner, grain, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
          const int64_t start = (i / r.inner) * r.len * r.inner + i % r.inner;
          row<K, T>(x + start, y + start, r.len, r.inner);
        }
      });
    }
  });
  return Status::ok();
}

std::string require_float_data(const KernelQuery& q) { return require_input_dtypes(q, {DType::F32, DType::F64}); }

// The AVX2 rows (softmax_row.h): float32, contiguous rows (inner == 1).
std::string avx2_supports(const KernelQuery& q) {
  std::string r = require_isa(Isa::Avx2);
  if (!r.empty()) return r;
  if (!(r = require_input_dtypes(q, {DType::F32})).empty()) return r;
  if (!q.input_types[0].fully_known()) return "input shape unknown";
  return rows_of(q.node, q.input_types[0].dims).inner == 1 ? "" : "rows are not contiguous (axis is not the last)";
}

template <Kind K>
Status softmax_avx2(const KernelContext& c) {
  const Rows r = rows_of(c.node, c.in(0).shape());
  if (r.inner != 1) return Status::error("rows are not contiguous");
  const float* x = c.in(0).data<float>();
  float* y = c.out(0).data_mut<float>();
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, r.len));
  parallel_for(r.outer, grain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) detail::softmax_row_f32_avx2(x + i * r.len, y + i * r.len, r.len, K == Kind::LogSoftmax);
  });
  return Status::ok();
}

}  // namespace

void register_reduce_softmax(KernelRegistry& r) {
  r.add({"softmax_f32_avx2", "Softmax", "", avx2_supports, softmax_avx2<Kind::Softmax>, nullptr, true});
  r.add({"logsoftmax_f32_avx2", "LogSoftmax", "", avx2_supports, softmax_avx2<Kind::LogSoftmax>, nullptr, true});
  r.add({"softmax_ref", "Softmax", "", require_float_data, softmax_ref<Kind::Softmax>});
  r.add({"logsoftmax_ref", "LogSoftmax", "", require_float_data, softmax_ref<Kind::LogSoftmax>});
  r.add({"hardmax_ref", "Hardmax", "", require_float_data, softmax_ref<Kind::Hardmax>});
}

}  // namespace n2d2::kernels
