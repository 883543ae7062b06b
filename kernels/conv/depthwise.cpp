// Depthwise convolution: y[n, m] = bias[m] + sum over taps of w[m, tap] * x[n, m / multiplier]
// shifted. Taps are summed in (kh, kw) order after the bias, per output element, in one task:
// results do not depend on the thread count.
#include "kernels/conv/depthwise.h"

#include <algorithm>
#include <vector>

#include "kernels/conv/conv.h"
#include "kernels/conv/micro.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels::detail {

namespace {

DepthwiseRowF32 row_kernel(Isa isa) {
  switch (isa) {
    case Isa::Avx512: return depthwise_row_f32_avx512;
    case Isa::Avx2: return depthwise_row_f32_avx2;
    case Isa::Scalar: break;
  }
  return depthwise_row_f32_scalar;
}

}  // namespace

std::string depthwise_conv_supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  if (!r.empty()) return r;
  const TensorType &x = q.input_types[0], &w = q.input_types[1];
  if (!x.rank_known || !w.rank_known || x.dims[1] < 0 || w.dims[1] < 0) return "unknown input shape";
  if (x.rank() != 3 && x.rank() != 4) return "not 1 or 2 spatial axes";
  int64_t g = q.node.attrs.i("group");
  if (w.dims[1] != 1 || g != x.dims[1]) return "not depthwise (one input channel per group)";
  // One input channel and several outputs (LeNet's first layer): the packed kernels' tiles share
  // each input load between output channels, which the depthwise rows do not.
  if (g == 1 && !w.dims.empty() && w.dims[0] > 1) return "a single group of several output channels (packed is faster)";
  return "";
}

Status run_depthwise_conv(const KernelContext& c, Isa isa, ConvEpilogue ep) {
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  graph::Window win = graph::window_forward(c.node, graph::spatial_dims(xs), conv_kernel_shape(c), false);
  Spatial3 s;
  if (!to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  const int64_t N = xs[0], C = xs[1], M = y.shape()[1], mult = C == 0 ? 1 : M / C;
  const int64_t P = s.out_size(), taps = s.k[1] * s.k[2];
  if (N == 0 || M == 0 || P == 0) return Status::ok();
  // The padded plane covers every row/column any window reads.
  const int64_t ph = s.padded_extent(1), pw = s.padded_extent(2);
  std::vector<int64_t> tap_off;
  for (int64_t kh = 0; kh < s.k[1]; ++kh)
    for (int64_t kw = 0; kw < s.k[2]; ++kw) tap_off.push_back(kh * s.d[1] * pw + kw * s.d[2]);
  const DepthwiseRowF32 row = row_kernel(isa);
  const float* xp = x.data<float>();
  const float* wp = w.data<float>();
  const float* bp = c.has_input(2) ? c.in(2).data<float>() : nullptr;
  float* yp = y.data_mut<float>();
  // AVX2: the sums start from the bias and the epilogue runs in registers (no fill, no pass).
  const int act = micro_act(ep.act);
  const bool fused = isa == Isa::Avx2 && act >= 0;
  static const float kZero = 0.f;  // apply_epilogue's bias argument: y + 0 + residual
  parallel_for(N * M, 1, [&](int64_t begin, int64_t end) {
    thread_local std::vector<float> plane;
    plane.assign(static_cast<std::size_t>(ph * pw), 0.f);
    int64_t filled = -1;  // the input plane now in `plane`
    for (int64_t nm = begin; nm < end; ++nm) {
      int64_t n = nm / M, m = nm % M, src = n * C + m / mult;
      if (src != filled) {
        const float* xc = xp + src * s.in_size();
        for (int64_t ih = 0; ih < s.in[1]; ++ih)
          std::copy(xc + ih * s.in[2], xc + (ih + 1) * s.in[2], plane.data() + (ih + s.pb[1]) * pw + s.pb[2]);
        filled = src;
      }
      float* yo = yp + nm * P;
      if (fused) {
        MicroEpilogue e{ep.residual || act > 0 ? &kZero : nullptr, nullptr, 0, act, ep.alpha, ep.beta};
        for (int64_t oh = 0; oh < s.out[1]; ++oh) {
          e.residual = ep.residual ? ep.residual + nm * P + oh * s.out[2] : nullptr;
          depthwise_row_ep_f32_avx2(plane.data() + oh * s.s[1] * pw, s.s[2], tap_off.data(), wp + m * taps,
                                    static_cast<int>(taps), yo + oh * s.out[2], s.out[2], bp ? bp[m] : 0.f, e);
        }
        continue;
      }
      std::fill(yo, yo + P, bp ? bp[m] : 0.f);
      for (int64_t oh = 0; oh < s.out[1]; ++oh)
        row(plane.data() + oh * s.s[1] * pw, s.s[2], tap_off.data(), wp + m * taps, static_cast<int>(taps),
            yo + oh * s.out[2], s.out[2]);
      if (ep.residual || ep.act != Activation::None)
        apply_epilogue(yo, ep.residual ? ep.residual + nm * P : nullptr, P, 0.f, ep);
    }
  });
  return Status::ok();
}

}  // namespace n2d2::kernels::detail

namespace n2d2::kernels {

namespace {

template <Isa isa>
std::string supports(const KernelQuery& q) {
  std::string r = detail::depthwise_conv_supports(q);
  return r.empty() ? require_isa(isa) : r;
}

template <Isa isa>
Status run(const KernelContext& c) {
  return detail::run_depthwise_conv(c, isa, {});
}

}  // namespace

void register_depthwise_conv_kernels(KernelRegistry& r) {
  r.add({"conv_dw_f32_avx512", "Conv", "", supports<Isa::Avx512>, run<Isa::Avx512>, nullptr, true});
  r.add({"conv_dw_f32_avx2", "Conv", "", supports<Isa::Avx2>, run<Isa::Avx2>, nullptr, true});
  r.add({"conv_dw_f32_scalar", "Conv", "", supports<Isa::Scalar>, run<Isa::Scalar>, nullptr, true});
}

}  // namespace n2d2::kernels
