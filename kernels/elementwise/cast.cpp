// Reference Cast and CastLike between all numeric types and bool (float16/bfloat16 excluded).
#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

namespace {

Status cast_ref(const KernelContext& c) {
  bool ok = false;
  visit_dtype(c.in(0).dtype(), [&](auto from) {
    using F = decltype(from);
    visit_dtype(c.out(0).dtype(), [&](auto to) {
      using T = decltype(to);
      detail::unary_loop<F, T>(c.in(0), c.out(0), [](F x) {
        if constexpr (std::is_same_v<T, bool>) return x != F(0);
        else return static_cast<T>(x);
      });
      ok = true;
    });
  });
  return ok ? Status::ok() : Status::error("cannot cast ", dtype_name(c.in(0).dtype()), " to ", dtype_name(c.out(0).dtype()));
}

std::string supports(const KernelQuery& q) {
  auto bad = [](DType t) { return t == DType::F16 || t == DType::BF16 || t == DType::Undefined; };
  if (bad(q.input_types[0].dtype)) return std::string("input type ") + dtype_name(q.input_types[0].dtype);
  DType to = q.node.op_type == "Cast" ? dtype_from_onnx_code(q.node.attrs.i("to"))
                                      : q.input_types.size() > 1 ? q.input_types[1].dtype : DType::Undefined;
  if (bad(to)) return std::string("output type ") + dtype_name(to);
  return "";
}

}  // namespace

void register_elementwise_cast(KernelRegistry& r) {
  r.add({"cast_ref", "Cast", "", supports, cast_ref});
  r.add({"cast_ref", "CastLike", "", supports, cast_ref});
}

}  // namespace n2d2::kernels
