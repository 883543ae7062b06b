// Reference unary kernels: math functions, activations, Clip, IsNaN/IsInf, Not.
// Floating-point functions evaluate in the input's own precision (float or double).
#include <cfloat>
#include <cmath>
#include <functional>
#include <map>

#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

namespace {

using detail::unary_loop;

// A floating-point unary function, given the node (for attributes).
template <class T>
using FloatFn = std::function<T(T)>;

template <class T>
FloatFn<T> float_fn(const graph::Node& n) {
  const std::string& op = n.op_type;
  const graph::Attributes& a = n.attrs;
  auto alpha = [&] { return static_cast<T>(a.f("alpha")); };
  if (op == "Sqrt") return [](T x) { return std::sqrt(x); };
  if (op == "Exp") return [](T x) { return std::exp(x); };
  if (op == "Log") return [](T x) { return std::log(x); };
  if (op == "Reciprocal") return [](T x) { return T(1) / x; };
  if (op == "Floor") return [](T x) { return std::floor(x); };
  if (op == "Ceil") return [](T x) { return std::ceil(x); };
  if (op == "Round") return [](T x) { return std::nearbyint(x); };  // half to even
  if (op == "Sin") return [](T x) { return std::sin(x); };
  if (op == "Cos") return [](T x) { return std::cos(x); };
  if (op == "Tan") return [](T x) { return std::tan(x); };
  if (op == "Asin") return [](T x) { return std::asin(x); };
  if (op == "Acos") return [](T x) { return std::acos(x); };
  if (op == "Atan") return [](T x) { return std::atan(x); };
  if (op == "Sinh") return [](T x) { return std::sinh(x); };
  if (op == "Cosh") return [](T x) { return std::cosh(x); };
  if (op == "Asinh") return [](T x) { return std::asinh(x); };
  if (op == "Acosh") return [](T x) { return std::acosh(x); };
  if (op == "Atanh") return [](T x) { return std::atanh(x); };
  if (op == "Erf") return [](T x) { return std::erf(x); };
  if (op == "Sigmoid") return [](T x) { return x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x)); };
  if (op == "Tanh") return [](T x) { return std::tanh(x); };
  if (op == "Softplus") return [](T x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); };
  if (op == "Softsign") return [](T x) { return x / (T(1) + std::abs(x)); };
  if (op == "HardSwish") return [](T x) { return x * std::max(T(0), std::min(T(1), x / T(6) + T(0.5))); };
  if (op == "HardSigmoid") {
    T al = alpha(), be = static_cast<T>(a.f("beta"));
    return [al, be](T x) { return std::max(T(0), std::min(T(1), al * x + be)); };
  }
  if (op == "Elu") {
    T al = alpha();
    return [al](T x) { return x >= 0 ? x : al * (std::exp(x) - T(1)); };
  }
  if (op == "Celu") {
    T al = alpha();
    return [al](T x) { return std::max(T(0), x) + std::min(T(0), al * (std::exp(x / al) - T(1))); };
  }
  if (op == "Selu") {
    T al = alpha(), ga = static_cast<T>(a.f("gamma"));
    return [al, ga](T x) { return x > 0 ? ga * x : ga * (al * std::exp(x) - al); };
  }
  if (op == "LeakyRelu") {
    T al = alpha();
    return [al](T x) { return x < 0 ? al * x : x; };
  }
  if (op == "ThresholdedRelu") {
    T al = alpha();
    return [al](T x) { return x > al ? x : T(0); };
  }
  if (op == "Shrink") {
    T bias = static_cast<T>(a.f("bias")), l = static_cast<T>(a.f("lambd"));
    return [bias, l](T x) { return x < -l ? x + bias : x > l ? x - bias : T(0); };
  }
  return nullptr;
}

// Ops that also take integers.
template <class T>
std::function<T(T)> integer_fn(const std::string& op) {
  if (op == "Neg") return [](T x) { return static_cast<T>(-x); };
  if (op == "Abs") return [](T x) {
    if constexpr (std::is_signed_v<T>) return static_cast<T>(x < 0 ? -x : x);
    else return x;
  };
  if (op == "Sign") return [](T x) { return static_cast<T>(x > 0 ? 1 : x < 0 ? -1 : 0); };
  if (op == "Relu") return [](T x) { return x > 0 ? x : T(0); };
  return nullptr;
}

Status unary_ref(const KernelContext& c) {
  Status st;
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      if (auto f = integer_fn<T>(c.node.op_type)) {
        unary_loop<T, T>(c.in(0), c.out(0), f);
        return;
      }
      if constexpr (std::is_floating_point_v<T>) {
        if (auto f = float_fn<T>(c.node)) {
          unary_loop<T, T>(c.in(0), c.out(0), f);
          return;
        }
      }
    }
    st = Status::error(c.node.op_type, " on ", dtype_name(c.in(0).dtype()));
  });
  return st;
}

Status clip_ref(const KernelContext& c) {
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
      if (c.node.since_version < 11) {
        lo = static_cast<T>(c.attrs().f("min"));
        hi = static_cast<T>(c.attrs().f("max"));
      } else {
        if (c.has_input(1) && c.in(1).numel()) lo = c.in(1).data<T>()[0];
        if (c.has_input(2) && c.in(2).numel()) hi = c.in(2).data<T>()[0];
      }
      unary_loop<T, T>(c.in(0), c.out(0), [lo, hi](T x) { return x < lo ? lo : x > hi ? hi : x; });
    }
  });
  return Status::ok();
}

Status isnan_isinf_ref(const KernelContext& c) {
  bool inf = c.node.op_type == "IsInf";
  bool neg = inf && c.attrs().i("detect_negative") != 0, pos = inf && c.attrs().i("detect_positive") != 0;
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      if (!inf) unary_loop<T, bool>(c.in(0), c.out(0), [](T x) { return std::isnan(x); });
      else unary_loop<T, bool>(c.in(0), c.out(0), [neg, pos](T x) { return std::isinf(x) && ((x < 0 && neg) || (x > 0 && pos)); });
    }
  });
  return Status::ok();
}

Status not_ref(const KernelContext& c) {
  unary_loop<bool, bool>(c.in(0), c.out(0), [](bool x) { return !x; });
  return Status::ok();
}

std::string floats(const KernelQuery& q) { return require_input_dtypes(q, {DType::F32, DType::F64}); }
std::string numeric(const KernelQuery& q) {
  return require_input_dtypes(q, {DType::F32, DType::F64, DType::I8, DType::U8, DType::I16, DType::U16, DType::I32,
                                  DType::U32, DType::I64, DType::U64});
}

}  // namespace

void register_elementwise_unary(KernelRegistry& r) {
  for (const char* op : {"Neg", "Abs", "Sign", "Relu"}) r.add({"unary_ref", op, "", numeric, unary_ref});
  for (const char* op : {"Sqrt", "Exp", "Log", "Reciprocal", "Floor", "Ceil", "Round", "Sin", "Cos", "Tan", "Asin", "Acos",
                         "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Erf", "Sigmoid", "Tanh", "Softplus", "Softsign",
                         "HardSwish", "HardSigmoid", "Elu", "Celu", "Selu", "LeakyRelu", "ThresholdedRelu", "Shrink"})
    r.add({"unary_ref", op, "", floats, unary_ref});
  r.add({"clip_ref", "Clip", "", numeric, clip_ref});
  r.add({"isnan_ref", "IsNaN", "", floats, isnan_isinf_ref});
  r.add({"isinf_ref", "IsInf", "", floats, isnan_isinf_ref});
  r.add({"not_ref", "Not", "", [](const KernelQuery& q) { return require_input_dtypes(q, {DType::Bool}); }, not_ref});
}

}  // namespace n2d2::kernels
