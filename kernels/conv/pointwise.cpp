// 1x1 convolution (stride 1, no padding, one group) as a matrix product per image:
// Y[n] (M x HW) = W (M x C) * X[n] (C x HW), on the fastest float core allowed (gemm.h).
#include "kernels/cpu/isa.h"
#include "kernels/gemm/gemm.h"
#include "kernels/nn_family.h"

namespace n2d2::kernels {

namespace {

Status conv1x1_f32_gemm(const KernelContext& c) {
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  int64_t N = x.shape()[0], C = x.shape()[1], M = y.shape()[1];
  int64_t hw = x.numel() / (N * C);
  detail::MatmulF32 core = detail::best_matmul_f32();
  const float* bias = c.has_input(2) ? c.in(2).data<float>() : nullptr;
  for (int64_t n = 0; n < N; ++n) {
    float* yn = y.data_mut<float>() + n * M * hw;
    core(M, hw, C, w.data<float>(), x.data<float>() + n * C * hw, yn);
    if (bias)
      for (int64_t m = 0; m < M; ++m)
        for (int64_t i = 0; i < hw; ++i) yn[m * hw + i] += bias[m];
  }
  return Status::ok();
}

std::string supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  if (!r.empty()) return r;
  const graph::Attributes& a = q.node.attrs;
  if (a.i("group") != 1) return "grouped convolution";
  const TensorType& w = q.input_types[1];
  if (!w.rank_known) return "unknown weight shape";
  for (std::size_t i = 2; i < w.rank(); ++i)
    if (w.dims[i] != 1) return "kernel is not 1x1";
  for (int64_t s : a.ints_or("strides", {}))
    if (s != 1) return "stride is not 1";
  for (int64_t p : a.ints_or("pads", {}))
    if (p != 0) return "padded";
  return "";
}

}  // namespace

void register_pointwise_conv_kernels(KernelRegistry& r) { r.add({"conv1x1_f32_gemm", "Conv", "", supports, conv1x1_f32_gemm}); }

}  // namespace n2d2::kernels
