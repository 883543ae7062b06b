// Ops whose output is the input's data under another shape: the output is a view sharing the
// input's buffer, no copy.
#include "kernels/tensor/tensor_kernels.h"

namespace n2d2::kernels {

namespace {

Status view_ref(const KernelContext& c) {
  if (c.node.op_type == "Dropout" && c.has_input(2) && c.in(2).numel() && c.in(2).to_double_vector()[0] != 0)
    return Status::error("training mode is not supported");
  Shape s = c.out(0).shape();
  c.out(0) = c.in(0).reshaped(std::move(s));
  if (c.node.op_type == "Dropout" && c.has_output(1)) {
    // Inference: nothing is dropped, the mask is all true (ones for Dropout-7).
    Tensor& m = c.out(1);
    visit_dtype(m.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* p = m.data_mut<T>();
      for (int64_t i = 0; i < m.numel(); ++i) p[i] = T(1);
    });
  }
  return Status::ok();
}

std::string dropout_supports(const KernelQuery& q) {
  if (q.input_is_constant(2) || q.input_types.size() < 3) return "";
  return q.input_types[2].dtype == DType::Undefined ? "" : "training_mode is not a constant (training is not supported)";
}

}  // namespace

void register_tensor_views(KernelRegistry& r) {
  for (const char* op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"}) r.add({"view_ref", op, "", nullptr, view_ref});
  r.add({"dropout_inference_ref", "Dropout", "", dropout_supports, view_ref});
}

}  // namespace n2d2::kernels
