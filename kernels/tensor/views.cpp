// Ops whose output is their input under another shape: the output is a view sharing the input's
// buffer, nothing is copied.
#include <algorithm>

#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

// Output 0 = input 0 viewed with the inferred shape.
Status view_ref(const KernelContext& c) {
  Shape shape = c.out(0).shape();
  c.out(0) = c.in(0).reshaped(std::move(shape));
  return Status::ok();
}

// Inference Dropout: nothing is dropped, so the output is the input and the optional mask is all
// true (ones of the input's type before opset 10).
Status dropout_ref(const KernelContext& c) {
  view_ref(c);
  if (!c.has_output(1)) return Status::ok();
  Tensor& mask = c.out(1);
  bool filled = visit_dtype(mask.dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::fill_n(mask.data_mut<T>(), mask.numel(), T(1));
  });
  return filled ? Status::ok() : Status::error("a mask of type ", dtype_name(mask.dtype()), " is not supported");
}

// A training_mode known only at run time may turn training on: shape inference declines a
// constant true one, and this declines one that is not constant.
std::string dropout_supports(const KernelQuery& q) {
  bool has_mode = q.input_types.size() > 2 && q.input_types[2].dtype != DType::Undefined;
  if (has_mode && !q.input_is_constant(2)) return "training_mode is not a constant (training is not supported)";
  if (q.output_types.size() > 1 && q.output_types[1].dtype != DType::Undefined &&
      !visit_dtype(q.output_types[1].dtype, [](auto) {}))
    return std::string("a mask of type ") + dtype_name(q.output_types[1].dtype) + " is not supported";
  return "";
}

}  // namespace

void register_tensor_views(KernelRegistry& r) {
  r.add({"reshape_ref", "Reshape", "", nullptr, view_ref});
  r.add({"flatten_ref", "Flatten", "", nullptr, view_ref});
  r.add({"squeeze_ref", "Squeeze", "", nullptr, view_ref});
  r.add({"unsqueeze_ref", "Unsqueeze", "", nullptr, view_ref});
  r.add({"identity_ref", "Identity", "", nullptr, view_ref});
  r.add({"dropout_inference_ref", "Dropout", "", dropout_supports, dropout_ref});
}

}  // namespace n2d2::kernels
