// Reference Cast and CastLike between all numeric types and bool (float16/bfloat16 and strings
// are declined). Float to integer truncates toward zero; see detail::convert for NaN and range.
#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

namespace {

Status cast_ref(const KernelContext& c) {
  bool done = false;
  visit_dtype(c.in(0).dtype(), [&](auto from) {
    using F = decltype(from);
    done = visit_dtype(c.out(0).dtype(), [&](auto to) {
      using T = decltype(to);
      detail::unary_loop<F, T>(c.in(0), c.out(0), [](F x) { return detail::convert<T>(x); });
    });
  });
  if (!done) return Status::error("cannot cast ", dtype_name(c.in(0).dtype()), " to ", dtype_name(c.out(0).dtype()));
  return Status::ok();
}

std::string supports(const KernelQuery& q) {
  auto computable = [](DType t) { return visit_dtype(t, [](auto) {}); };
  if (!computable(q.input_types[0].dtype)) return std::string("input type ") + dtype_name(q.input_types[0].dtype);
  DType to = q.node.op_type == "Cast" ? dtype_from_onnx_code(q.node.attrs.i("to")) : q.input_types[1].dtype;
  if (!computable(to)) return std::string("output type ") + dtype_name(to);
  return "";
}

}  // namespace

void register_elementwise_cast(KernelRegistry& r) {
  r.add({"cast_ref", "Cast", "", supports, cast_ref});
  r.add({"cast_ref", "CastLike", "", supports, cast_ref});
}

}  // namespace n2d2::kernels
