// Reference arithmetic kernels with numpy broadcasting: Add, Sub, Mul, Div, Mod, Pow, BitShift,
// PRelu and the variadic Min, Max, Sum, Mean. Integer arithmetic wraps around; an integer
// division by zero is reported as an error.
#include <functional>

#include "graph/ops/elementwise_ops.h"
#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

namespace {

using detail::arithmetic;
using detail::binary_loop;

template <class T>
constexpr bool kNumeric = !std::is_same_v<T, bool>;

// B as the kernel sees it: opset-1/6 `broadcast`/`axis` (and PRelu's per-channel slope) aligned.
Tensor second_operand(const KernelContext& c) {
  return c.in(1).reshaped(graph::legacy_broadcast_b(c.node, c.in(0).shape(), c.in(1).shape()));
}

template <class T>
bool has_zero(const Tensor& t) {
  for (T v : t.span<T>())
    if (v == T(0)) return true;
  return false;
}

// Mod with fmod=0 takes the divisor's sign (Python's %); the remainder `r` of C's % / fmod has the
// dividend's.
template <class T>
T to_divisor_sign(T r, T q) {
  if constexpr (std::is_signed_v<T>)
    if (r != 0 && (r < 0) != (q < 0)) return static_cast<T>(r + q);
  return r;
}

template <class T>
Status divide(const Tensor& a, const Tensor& b, Tensor& y) {
  if constexpr (std::is_integral_v<T>) {
    if (has_zero<T>(b)) return Status::error("integer division by zero");
    binary_loop<T, T, T>(a, b, y, [](T p, T q) {
      if constexpr (std::is_signed_v<T>)
        if (q == T(-1)) return arithmetic(T(0), p, std::minus<>());  // lowest / -1 wraps
      return static_cast<T>(p / q);                                   // truncates toward zero
    });
  } else {
    binary_loop<T, T, T>(a, b, y, [](T p, T q) { return p / q; });
  }
  return Status::ok();
}

template <class T>
Status modulo(const Tensor& a, const Tensor& b, Tensor& y, bool fmod) {
  if constexpr (std::is_integral_v<T>) {
    if (has_zero<T>(b)) return Status::error("integer modulo by zero");
    binary_loop<T, T, T>(a, b, y, [fmod](T p, T q) {
      if constexpr (std::is_signed_v<T>)
        if (q == T(-1)) return T(0);
      auto r = static_cast<T>(p % q);
      return fmod ? r : to_divisor_sign(r, q);
    });
  } else {
    binary_loop<T, T, T>(a, b, y, [fmod](T p, T q) {
      T r = std::fmod(p, q);
      return fmod ? r : to_divisor_sign(r, q);
    });
  }
  return Status::ok();
}

// y = op(a, b) for the same-type ops, which the variadic ops fold with.
template <class T>
Status arith(const std::string& op, const Tensor& a, const Tensor& b, Tensor& y, const KernelContext& c) {
  auto run = [&](auto f) { binary_loop<T, T, T>(a, b, y, f); };
  if (op == "Add" || op == "Sum") run([](T p, T q) { return arithmetic(p, q, std::plus<>()); });
  else if (op == "Sub") run([](T p, T q) { return arithmetic(p, q, std::minus<>()); });
  else if (op == "Mul") run([](T p, T q) { return arithmetic(p, q, std::multiplies<>()); });
  else if (op == "Max") run([](T p, T q) { return p >= q || p != p ? p : q; });  // NaN wins
  else if (op == "Min") run([](T p, T q) { return p <= q || p != p ? p : q; });
  else if (op == "Div") return divide<T>(a, b, y);
  else if (op == "Mod") return modulo<T>(a, b, y, c.attrs().i("fmod") != 0);
  else return Status::error("no arithmetic for ", op);
  return Status::ok();
}

Status arith_ref(const KernelContext& c) {
  Status st;
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kNumeric<T>) st = arith<T>(c.node.op_type, c.in(0), second_operand(c), c.out(0), c);
  });
  return st;
}

// Min, Max, Sum, Mean over any number of inputs: y = in0 broadcast, then y = op(y, in_k) in place.
Status variadic_ref(const KernelContext& c) {
  const std::string& op = c.node.op_type;
  const std::string fold = op == "Mean" ? "Sum" : op;
  Tensor& y = c.out(0);
  Status st;
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kNumeric<T>) {
      binary_loop<T, T, T>(c.in(0), c.in(0), y, [](T p, T) { return p; });
      for (std::size_t k = 1; k < c.num_inputs() && st.is_ok(); ++k) st = arith<T>(fold, y, c.in(k), y, c);
      if (op == "Mean") {
        const auto n = static_cast<T>(c.num_inputs());
        detail::unary_loop<T, T>(y, y, [n](T v) { return static_cast<T>(v / n); });
      }
    }
  });
  return st;
}

// Integer power by squaring, wrapping around like repeated multiplication; a negative exponent
// gives 1/base^e truncated: 0 unless the base is 1 or -1.
template <class A, class B>
A integer_power(A base, B exponent) {
  if constexpr (std::is_signed_v<B>) {
    if (exponent < 0) {
      if (base == A(1)) return A(1);
      if constexpr (std::is_signed_v<A>)
        if (base == A(-1)) return exponent % 2 ? A(-1) : A(1);
      return A(0);
    }
  }
  auto e = static_cast<uint64_t>(exponent);
  auto b = static_cast<uint64_t>(static_cast<int64_t>(base));
  uint64_t r = 1;
  for (; e; e >>= 1, b *= b)
    if (e & 1) r *= b;
  return static_cast<A>(r);
}

Status pow_ref(const KernelContext& c) {
  Tensor e = second_operand(c);
  visit_dtype(c.in(0).dtype(), [&](auto ta) {
    using A = decltype(ta);
    visit_dtype(e.dtype(), [&](auto tb) {
      using B = decltype(tb);
      if constexpr (kNumeric<A> && kNumeric<B>) {
        binary_loop<A, B, A>(c.in(0), e, c.out(0), [](A p, B q) {
          if constexpr (std::is_integral_v<A> && std::is_integral_v<B>) return integer_power(p, q);
          else return detail::convert<A>(std::pow(static_cast<double>(p), static_cast<double>(q)));
        });
      }
    });
  });
  return Status::ok();
}

Status bit_shift_ref(const KernelContext& c) {
  const bool left = c.attrs().s("direction") == "LEFT";
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_unsigned_v<T> && kNumeric<T>) {
      binary_loop<T, T, T>(c.in(0), c.in(1), c.out(0), [left](T p, T q) {
        if (q >= sizeof(T) * 8) return T(0);
        auto w = static_cast<detail::Wrapped<T>>(p);
        return static_cast<T>(left ? w << q : w >> q);
      });
    }
  });
  return Status::ok();
}

Status prelu_ref(const KernelContext& c) {
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kNumeric<T>)
      binary_loop<T, T, T>(c.in(0), second_operand(c), c.out(0),
                           [](T x, T s) { return x < T(0) ? arithmetic(s, x, std::multiplies<>()) : x; });
  });
  return Status::ok();
}

std::string require_unsigned(const KernelQuery& q) {
  return require_input_dtypes(q, {DType::U8, DType::U16, DType::U32, DType::U64});
}

}  // namespace

void register_elementwise_arithmetic(KernelRegistry& r) {
  for (const char* op : {"Add", "Sub", "Mul", "Div", "Mod"}) r.add({"arith_ref", op, "", require_numeric, arith_ref});
  for (const char* op : {"Min", "Max", "Sum", "Mean"}) r.add({"variadic_ref", op, "", require_numeric, variadic_ref});
  r.add({"pow_ref", "Pow", "", require_numeric, pow_ref});
  r.add({"bit_shift_ref", "BitShift", "", require_unsigned, bit_shift_ref});
  r.add({"prelu_ref", "PRelu", "", require_numeric, prelu_ref});
}

}  // namespace n2d2::kernels
