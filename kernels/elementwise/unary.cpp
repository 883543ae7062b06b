// Reference unary kernels: math functions, activations, Clip, IsNaN/IsInf. Each op is a small
// functor handed to one shared loop; floating-point functions evaluate in the input's own
// precision (float or double).
#include <algorithm>
#include <cmath>
#include <functional>

#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

namespace {

using detail::unary_loop;

// Calls run(f) with the function of the floating-point op `n`; false for an unknown op.
template <class T, class Run>
bool with_float_fn(const graph::Node& n, Run&& run) {
  const std::string& op = n.op_type;
  auto attr = [&](const char* name) { return static_cast<T>(n.attrs.f(name)); };
  if (op == "Sqrt") run([](T x) { return std::sqrt(x); });
  else if (op == "Exp") run([](T x) { return std::exp(x); });
  else if (op == "Log") run([](T x) { return std::log(x); });
  else if (op == "Reciprocal") run([](T x) { return T(1) / x; });
  else if (op == "Floor") run([](T x) { return std::floor(x); });
  else if (op == "Ceil") run([](T x) { return std::ceil(x); });
  else if (op == "Round") run([](T x) { return std::nearbyint(x); });  // half to even (default rounding mode)
  else if (op == "Sin") run([](T x) { return std::sin(x); });
  else if (op == "Cos") run([](T x) { return std::cos(x); });
  else if (op == "Tan") run([](T x) { return std::tan(x); });
  else if (op == "Asin") run([](T x) { return std::asin(x); });
  else if (op == "Acos") run([](T x) { return std::acos(x); });
  else if (op == "Atan") run([](T x) { return std::atan(x); });
  else if (op == "Sinh") run([](T x) { return std::sinh(x); });
  else if (op == "Cosh") run([](T x) { return std::cosh(x); });
  else if (op == "Asinh") run([](T x) { return std::asinh(x); });
  else if (op == "Acosh") run([](T x) { return std::acosh(x); });
  else if (op == "Atanh") run([](T x) { return std::atanh(x); });
  else if (op == "Erf") run([](T x) { return std::erf(x); });
  else if (op == "Tanh") run([](T x) { return std::tanh(x); });
  else if (op == "Sigmoid")  // never exp of a large positive value
    run([](T x) { return x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x)); });
  else if (op == "Softplus")  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
    run([](T x) { return std::max(x, T(0)) + std::log1p(std::exp(-std::abs(x))); });
  else if (op == "Softsign") run([](T x) { return x / (T(1) + std::abs(x)); });
  else if (op == "HardSwish") run([](T x) { return x * std::clamp(x / T(6) + T(0.5), T(0), T(1)); });
  else if (op == "HardSigmoid")
    run([al = attr("alpha"), be = attr("beta")](T x) { return std::clamp(al * x + be, T(0), T(1)); });
  else if (op == "Elu") run([al = attr("alpha")](T x) { return x >= 0 ? x : al * (std::exp(x) - T(1)); });
  else if (op == "Celu")
    run([al = attr("alpha")](T x) { return std::max(T(0), x) + std::min(T(0), al * (std::exp(x / al) - T(1))); });
  else if (op == "Selu")
    run([al = attr("alpha"), ga = attr("gamma")](T x) { return x > 0 ? ga * x : ga * (al * std::exp(x) - al); });
  else if (op == "LeakyRelu") run([al = attr("alpha")](T x) { return x < 0 ? al * x : x; });
  else if (op == "ThresholdedRelu") run([al = attr("alpha")](T x) { return x > al ? x : T(0); });
  else if (op == "Shrink")
    run([bias = attr("bias"), l = attr("lambd")](T x) { return x < -l ? x + bias : x > l ? x - bias : T(0); });
  else return false;
  return true;
}

// Same for the ops that also take integers (which wrap around: Neg and Abs of the lowest value).
template <class T, class Run>
bool with_numeric_fn(const std::string& op, Run&& run) {
  constexpr bool kSigned = std::is_signed_v<T>;
  auto negate = [](T x) { return detail::arithmetic(T(0), x, std::minus<>()); };
  if (op == "Neg") run(negate);
  else if (op == "Abs") run([negate](T x) { return kSigned && x < T(0) ? negate(x) : x; });
  else if (op == "Sign") run([](T x) { return static_cast<T>(x > T(0) ? 1 : kSigned && x < T(0) ? -1 : 0); });
  else if (op == "Relu") run([](T x) { return x > T(0) ? x : T(0); });
  else return false;
  return true;
}

Status unary_ref(const KernelContext& c) {
  bool done = false;
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      auto run = [&](auto f) { unary_loop<T, T>(c.in(0), c.out(0), f); };
      done = with_numeric_fn<T>(c.node.op_type, run);
      if constexpr (std::is_floating_point_v<T>) done = done || with_float_fn<T>(c.node, run);
    }
  });
  return done ? Status::ok() : Status::error(c.node.op_type, " on ", dtype_name(c.in(0).dtype()));
}

// Clip bounds: opset 1/6 attributes (float, converted), opset 11+ optional scalar inputs. As
// numpy.clip, min > max gives max.
Status clip_ref(const KernelContext& c) {
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
      if (c.node.since_version < 11) {
        lo = detail::convert<T>(c.attrs().f("min"));
        hi = detail::convert<T>(c.attrs().f("max"));
      } else {
        if (c.has_input(1) && c.in(1).numel()) lo = c.in(1).data<T>()[0];
        if (c.has_input(2) && c.in(2).numel()) hi = c.in(2).data<T>()[0];
      }
      unary_loop<T, T>(c.in(0), c.out(0), [lo, hi](T x) { return std::min(std::max(x, lo), hi); });  // NaN stays
    }
  });
  return Status::ok();
}

Status isnan_isinf_ref(const KernelContext& c) {
  const bool inf = c.node.op_type == "IsInf";
  const bool neg = inf && c.attrs().i("detect_negative") != 0, pos = inf && c.attrs().i("detect_positive") != 0;
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      if (inf) unary_loop<T, bool>(c.in(0), c.out(0), [neg, pos](T x) { return std::isinf(x) && (x < 0 ? neg : pos); });
      else unary_loop<T, bool>(c.in(0), c.out(0), [](T x) { return std::isnan(x); });
    }
  });
  return Status::ok();
}

}  // namespace

void register_elementwise_unary(KernelRegistry& r) {
  for (const char* op : {"Neg", "Abs", "Sign", "Relu"}) r.add({"unary_ref", op, "", require_numeric, unary_ref});
  for (const char* op : {"Sqrt", "Exp", "Log", "Reciprocal", "Floor", "Ceil", "Round", "Sin", "Cos", "Tan", "Asin",
                         "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Erf", "Sigmoid", "Tanh",
                         "Softplus", "Softsign", "HardSwish", "HardSigmoid", "Elu", "Celu", "Selu", "LeakyRelu",
                         "ThresholdedRelu", "Shrink"})
    r.add({"unary_ref", op, "", require_floats, unary_ref});
  r.add({"clip_ref", "Clip", "", require_numeric, clip_ref});
  r.add({"isnan_ref", "IsNaN", "", require_floats, isnan_isinf_ref});
  r.add({"isinf_ref", "IsInf", "", require_floats, isnan_isinf_ref});
}

}  // namespace n2d2::kernels
