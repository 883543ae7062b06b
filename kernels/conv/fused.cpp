// ai.n2d2 FusedConv (graph/ops/fused_ops.cpp): Y = act(Conv(X, W, B) + Z). The reference runs the
// Conv reference, then the epilogue element by element; the optimized kernels are the depthwise
// and packed Conv kernels with the epilogue applied per tile while it is in cache.
#include "kernels/conv/conv.h"
#include "kernels/conv/depthwise.h"
#include "kernels/conv/packed.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"

namespace n2d2::kernels {

namespace {

detail::ConvEpilogue epilogue_of(const KernelContext& c) {
  detail::ConvEpilogue e;
  detail::activation_from_name(c.attrs().s("activation"), e.act);  // "" stays None
  e.alpha = c.attrs().f("alpha");
  e.beta = c.attrs().f("beta");
  e.residual = c.has_input(3) ? c.in(3).data<float>() : nullptr;
  return e;
}

std::string supports_f32(const KernelQuery& q) { return require_input_dtypes(q, {DType::F32}); }

Status fused_conv_ref(const KernelContext& c) {
  Status st = detail::conv_reference(c);
  if (!st) return st;
  detail::ConvEpilogue e = epilogue_of(c);
  Tensor& y = c.out(0);
  float* yp = y.data_mut<float>();
  int64_t n = y.numel();
  parallel_for(n, 1 << 14, [&](int64_t b, int64_t end) {
    for (int64_t i = b; i < end; ++i)
      yp[i] = detail::activate(e.act, yp[i] + (e.residual ? e.residual[i] : 0.f), e.alpha, e.beta);
  });
  return Status::ok();
}

template <Isa isa>
std::string supports_dw(const KernelQuery& q) {
  std::string r = detail::depthwise_conv_supports(q);
  return r.empty() ? require_isa(isa) : r;
}
template <Isa isa>
Status run_dw(const KernelContext& c) {
  return detail::run_depthwise_conv(c, isa, epilogue_of(c));
}

template <Isa isa>
std::string supports_packed(const KernelQuery& q) {
  std::string r = detail::packed_conv_supports(q);
  return r.empty() ? require_isa(isa) : r;
}
template <Isa isa>
std::shared_ptr<const void> prepare_packed(const KernelQuery& q, std::span<const Tensor* const> constants) {
  if (constants.size() < 2 || !constants[1]) return nullptr;
  return detail::prepare_conv_weights(isa, q, *constants[1]);
}
template <Isa isa>
Status run_packed(const KernelContext& c) {
  return detail::run_packed_conv(c, isa, epilogue_of(c));
}

}  // namespace

void register_fused_conv_kernels(KernelRegistry& r) {
  const char* d = "ai.n2d2";
  r.add({"fused_conv_dw_f32_avx512", "FusedConv", d, supports_dw<Isa::Avx512>, run_dw<Isa::Avx512>, nullptr, true});
  r.add({"fused_conv_dw_f32_avx2", "FusedConv", d, supports_dw<Isa::Avx2>, run_dw<Isa::Avx2>, nullptr, true});
  r.add({"fused_conv_dw_f32_scalar", "FusedConv", d, supports_dw<Isa::Scalar>, run_dw<Isa::Scalar>, nullptr, true});
  r.add({"fused_conv_f32_avx512", "FusedConv", d, supports_packed<Isa::Avx512>, run_packed<Isa::Avx512>,
         prepare_packed<Isa::Avx512>, true});
  r.add({"fused_conv_f32_avx2", "FusedConv", d, supports_packed<Isa::Avx2>, run_packed<Isa::Avx2>,
         prepare_packed<Isa::Avx2>, true});
  r.add({"fused_conv_f32_scalar", "FusedConv", d, supports_packed<Isa::Scalar>, run_packed<Isa::Scalar>,
         prepare_packed<Isa::Scalar>, true});
  r.add({"fused_conv_ref", "FusedConv", d, supports_f32, fused_conv_ref});
}

}  // namespace n2d2::kernels
