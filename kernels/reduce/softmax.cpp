// Reference Softmax, LogSoftmax and Hardmax. Before opset 13 the input is coerced to 2-D at
// `axis` ([prod(dims[:axis]), prod(dims[axis:])]); from 13 they work along `axis` alone.
#include <cmath>

#include "kernels/parallel.h"
#include "kernels/reduce/reduce_kernels.h"

namespace n2d2::kernels {

namespace {

struct Layout {
  int64_t outer = 1, len = 1, inner = 1;
};

Layout layout_of(const KernelContext& c) {
  const Shape& s = c.in(0).shape();
  auto rank = static_cast<int64_t>(s.size());
  int64_t axis = c.attrs().i("axis");
  if (axis < 0) axis += rank;
  Layout l;
  for (int64_t i = 0; i < rank; ++i) {
    if (i < axis) l.outer *= s[i];
    else if (i == axis || c.node.since_version < 13) l.len *= s[i];
    else l.inner *= s[i];
  }
  return l;
}

template <class T>
void softmax_row(const T* x, T* y, int64_t len, int64_t stride, bool log) {
  double m = -INFINITY;
  for (int64_t i = 0; i < len; ++i) m = std::max(m, static_cast<double>(x[i * stride]));
  double s = 0;
  for (int64_t i = 0; i < len; ++i) s += std::exp(static_cast<double>(x[i * stride]) - m);
  for (int64_t i = 0; i < len; ++i) {
    double v = static_cast<double>(x[i * stride]) - m;
    y[i * stride] = static_cast<T>(log ? v - std::log(s) : std::exp(v) / s);
  }
}

template <class T>
void hardmax_row(const T* x, T* y, int64_t len, int64_t stride) {
  int64_t best = 0;
  for (int64_t i = 1; i < len; ++i)
    if (x[i * stride] > x[best * stride]) best = i;
  for (int64_t i = 0; i < len; ++i) y[i * stride] = i == best ? T(1) : T(0);
}

Status softmax_ref(const KernelContext& c) {
  Layout l = layout_of(c);
  const std::string& op = c.node.op_type;
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      const T* x = c.in(0).data<T>();
      T* y = c.out(0).data_mut<T>();
      parallel_for(l.outer * l.inner, 64, [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
          int64_t base = (r / l.inner) * l.len * l.inner + r % l.inner;
          if (op == "Hardmax") hardmax_row(x + base, y + base, l.len, l.inner);
          else softmax_row(x + base, y + base, l.len, l.inner, op == "LogSoftmax");
        }
      });
    }
  });
  return Status::ok();
}

std::string float_only(const KernelQuery& q) { return require_input_dtypes(q, {DType::F32, DType::F64}); }

}  // namespace

void register_reduce_family_softmax(KernelRegistry& r) {
  r.add({"softmax_ref", "Softmax", "", float_only, softmax_ref});
  r.add({"logsoftmax_ref", "LogSoftmax", "", float_only, softmax_ref});
  r.add({"hardmax_ref", "Hardmax", "", float_only, softmax_ref});
}

}  // namespace n2d2::kernels
