// Reference ai.n2d2 FusedGemm (graph/ops/fused_ops.cpp): Y = act(alpha * op(A) * op(B) + beta * C).
// The Gemm reference body, then the activation element by element (kernels/conv/epilogue.h).
#include "kernels/conv/epilogue.h"
#include "kernels/gemm/gemm_kernels.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"

namespace n2d2::kernels {

namespace {

std::string supports_f32(const KernelQuery& q) { return require_input_dtypes(q, {DType::F32}); }

Status fused_gemm_ref(const KernelContext& c) {
  detail::Activation act = detail::Activation::None;
  const std::string name = c.attrs().s("activation");
  if (!name.empty() && !detail::activation_from_name(name, act)) return Status::error("unknown activation '", name, "'");
  Status st = detail::run_gemm<float>(c, detail::matmul<float>);
  if (!st) return st;
  const float alpha = c.attrs().f("activation_alpha"), beta = c.attrs().f("activation_beta");
  float* y = c.out(0).data_mut<float>();
  parallel_for(c.out(0).numel(), 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) y[i] = detail::activate(act, y[i], alpha, beta);
  });
  return Status::ok();
}

}  // namespace

void register_fused_gemm_kernels(KernelRegistry& r) {
  r.add({"fused_gemm_ref", "FusedGemm", "ai.n2d2", supports_f32, fused_gemm_ref});
}

}  // namespace n2d2::kernels
