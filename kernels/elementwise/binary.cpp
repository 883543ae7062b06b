// Reference binary, variadic and ternary elementwise kernels.
#include <atomic>
#include <cmath>
#include <cstring>

#include "graph/ops/elementwise_ops.h"
#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

namespace {

using detail::binary_loop;

template <class T>
constexpr bool kNumeric = !std::is_same_v<T, bool>;

// Add, Sub, Mul, Div, Mod, BitShift, Min, Max, Sum: same-type arithmetic.
template <class T>
Status arith(const std::string& op, const Tensor& a, const Tensor& b, Tensor& y, const KernelContext& c) {
  if (op == "Add" || op == "Sum") binary_loop<T, T, T>(a, b, y, [](T p, T q) { return static_cast<T>(p + q); });
  else if (op == "Sub") binary_loop<T, T, T>(a, b, y, [](T p, T q) { return static_cast<T>(p - q); });
  else if (op == "Mul") binary_loop<T, T, T>(a, b, y, [](T p, T q) { return static_cast<T>(p * q); });
  else if (op == "Max") binary_loop<T, T, T>(a, b, y, [](T p, T q) { return p >= q || p != p ? p : q; });
  else if (op == "Min") binary_loop<T, T, T>(a, b, y, [](T p, T q) { return p <= q || p != p ? p : q; });
  else if (op == "Div" || op == "Mod") {
    if constexpr (std::is_integral_v<T>) {
      std::atomic<bool> by_zero{false};
      bool fmod = op == "Mod" && c.attrs().i("fmod") != 0;
      binary_loop<T, T, T>(a, b, y, [&](T p, T q) {
        if (q == 0) {
          by_zero.store(true, std::memory_order_relaxed);
          return T(0);
        }
        if (op == "Div") return static_cast<T>(p / q);
        T r = static_cast<T>(p % q);
        if (!fmod && r != 0 && ((r < 0) != (q < 0))) r = static_cast<T>(r + q);  // sign of the divisor
        return r;
      });
      if (by_zero) return Status::error("integer division by zero");
    } else if (op == "Div") {
      binary_loop<T, T, T>(a, b, y, [](T p, T q) { return static_cast<T>(p / q); });
    } else {
      bool fmod = c.attrs().i("fmod") != 0;
      binary_loop<T, T, T>(a, b, y, [fmod](T p, T q) {
        T r = static_cast<T>(std::fmod(p, q));
        if (!fmod && r != 0 && ((r < 0) != (q < 0))) r = static_cast<T>(r + q);
        return r;
      });
    }
  } else if (op == "BitShift") {
    if constexpr (std::is_unsigned_v<T>) {
      bool left = c.attrs().s("direction") == "LEFT";
      binary_loop<T, T, T>(a, b, y, [left](T p, T q) {
        if (q >= sizeof(T) * 8) return T(0);
        return static_cast<T>(left ? p << q : p >> q);
      });
    } else {
      return Status::error("BitShift needs unsigned integers");
    }
  } else {
    return Status::error("unknown op ", op);
  }
  return Status::ok();
}

Status arith_ref(const KernelContext& c) {
  Status st;
  Tensor b = c.in(1).reshaped(graph::legacy_broadcast_b(c.node, c.in(0).shape(), c.in(1).shape()));
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kNumeric<T>) st = arith<T>(c.node.op_type, c.in(0), b, c.out(0), c);
  });
  return st;
}

// Min, Max, Sum, Mean over any number of inputs: folded left to right into the output.
Status variadic_ref(const KernelContext& c) {
  const std::string& op = c.node.op_type;
  Tensor& y = c.out(0);
  Status st;
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kNumeric<T>) {
      // y = broadcast(in0), then y = op(y, in_k).
      Tensor zero(y.dtype(), {});
      binary_loop<T, T, T>(c.in(0), zero, y, [](T p, T) { return p; });
      std::string fold = op == "Mean" ? "Sum" : op;
      for (std::size_t k = 1; k < c.num_inputs() && st.is_ok(); ++k) {
        Tensor acc = y.clone();
        st = arith<T>(fold, acc, c.in(k), y, c);
      }
      if (op == "Mean") {
        T* p = y.data_mut<T>();
        T n = static_cast<T>(c.num_inputs());
        for (int64_t i = 0; i < y.numel(); ++i) p[i] = static_cast<T>(p[i] / n);
      }
    }
  });
  return st;
}

Status pow_ref(const KernelContext& c) {
  bool ok = true;
  visit_dtype(c.in(0).dtype(), [&](auto ta) {
    using A = decltype(ta);
    visit_dtype(c.in(1).dtype(), [&](auto tb) {
      using B = decltype(tb);
      if constexpr (kNumeric<A> && kNumeric<B>) {
        Tensor e = c.in(1).reshaped(graph::legacy_broadcast_b(c.node, c.in(0).shape(), c.in(1).shape()));
        binary_loop<A, B, A>(c.in(0), e, c.out(0), [](A p, B q) {
          if constexpr (std::is_integral_v<A> && std::is_integral_v<B>) {
            // Exact integer power (exponents < 0 give 0 unless the base is +-1).
            auto base = static_cast<int64_t>(p), e = static_cast<int64_t>(q);
            if (e < 0) return static_cast<A>(base == 1 ? 1 : base == -1 ? (e % 2 ? -1 : 1) : 0);
            int64_t r = 1;
            for (int64_t i = 0; i < e; ++i) r *= base;
            return static_cast<A>(r);
          } else {
            return static_cast<A>(std::pow(static_cast<double>(p), static_cast<double>(q)));
          }
        });
      } else {
        ok = false;
      }
    });
  });
  return ok ? Status::ok() : Status::error("Pow on bool");
}

Status compare_ref(const KernelContext& c) {
  const std::string& op = c.node.op_type;
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    const Tensor &a = c.in(0), &b = c.in(1);
    Tensor& y = c.out(0);
    if (op == "Equal") binary_loop<T, T, bool>(a, b, y, [](T p, T q) { return p == q; });
    else if (op == "Less") binary_loop<T, T, bool>(a, b, y, [](T p, T q) { return p < q; });
    else if (op == "Greater") binary_loop<T, T, bool>(a, b, y, [](T p, T q) { return p > q; });
    else if (op == "LessOrEqual") binary_loop<T, T, bool>(a, b, y, [](T p, T q) { return p <= q; });
    else if (op == "GreaterOrEqual") binary_loop<T, T, bool>(a, b, y, [](T p, T q) { return p >= q; });
    else if (op == "And") binary_loop<T, T, bool>(a, b, y, [](T p, T q) { return p && q; });
    else if (op == "Or") binary_loop<T, T, bool>(a, b, y, [](T p, T q) { return p || q; });
    else binary_loop<T, T, bool>(a, b, y, [](T p, T q) { return static_cast<bool>(p) != static_cast<bool>(q); });
  });
  return Status::ok();
}

Status where_ref(const KernelContext& c) {
  const Tensor &cond = c.in(0), &x = c.in(1), &yv = c.in(2);
  Tensor& out = c.out(0);
  detail::Broadcast bc(out.shape(), {&cond, &x, &yv});
  std::size_t esz = dtype_size(out.dtype());
  const bool* pc = cond.data<bool>();
  const auto* px = static_cast<const unsigned char*>(x.raw());
  const auto* py = static_cast<const unsigned char*>(yv.raw());
  auto* po = static_cast<unsigned char*>(out.raw_mut());
  detail::for_each_row(bc, [&](const std::vector<int64_t>& offs, int64_t o, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      bool take_x = pc[offs[0] + i * bc.inner[0]];
      const unsigned char* src = take_x ? px + (offs[1] + i * bc.inner[1]) * esz : py + (offs[2] + i * bc.inner[2]) * esz;
      std::memcpy(po + (o + i) * esz, src, esz);
    }
  });
  return Status::ok();
}

Status prelu_ref(const KernelContext& c) {
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kNumeric<T>)
      binary_loop<T, T, T>(c.in(0), c.in(1).reshaped(graph::legacy_broadcast_b(c.node, c.in(0).shape(), c.in(1).shape())),
                           c.out(0), [](T x, T s) { return x < 0 ? static_cast<T>(s * x) : x; });
  });
  return Status::ok();
}

std::string numeric(const KernelQuery& q) {
  return require_input_dtypes(q, {DType::F32, DType::F64, DType::I8, DType::U8, DType::I16, DType::U16, DType::I32,
                                  DType::U32, DType::I64, DType::U64});
}
std::string any_computable(const KernelQuery& q) {
  for (const auto& t : q.input_types)
    if (t.dtype == DType::F16 || t.dtype == DType::BF16) return std::string("input type ") + dtype_name(t.dtype);
  return "";
}
std::string bool_only(const KernelQuery& q) { return require_input_dtypes(q, {DType::Bool}); }

}  // namespace

void register_elementwise_binary(KernelRegistry& r) {
  for (const char* op : {"Add", "Sub", "Mul", "Div", "Mod", "BitShift"}) r.add({"binary_ref", op, "", numeric, arith_ref});
  for (const char* op : {"Min", "Max", "Sum", "Mean"}) r.add({"variadic_ref", op, "", numeric, variadic_ref});
  r.add({"pow_ref", "Pow", "", numeric, pow_ref});
  for (const char* op : {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"})
    r.add({"compare_ref", op, "", any_computable, compare_ref});
  for (const char* op : {"And", "Or", "Xor"}) r.add({"logic_ref", op, "", bool_only, compare_ref});
  r.add({"where_ref", "Where", "", any_computable, where_ref});
  r.add({"prelu_ref", "PRelu", "", numeric, prelu_ref});
}

}  // namespace n2d2::kernels
