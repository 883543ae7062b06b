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

DepthwisePlaneF32 plane_kernel(Isa isa) {
  return isa == Isa::Avx512 ? depthwise_plane_f32_avx512 : depthwise_plane_f32_scalar;
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

// One input channel, zero-padded and split by column phase for the column stride cs: padded
// column c of row r lies at r * row + (c % cs) * wp + c / cs (wp = ceil(pw / cs), row = cs * wp).
// Output column j's tap at padded column j * cs + kw * d is then element j + (kw * d) / cs of
// phase (kw * d) % cs: every row kernel reads consecutive floats, whatever the stride.
struct PhasePlane {
  int64_t cs, wp, row, rows;
  int64_t pb_h, pb_w, in_h, in_w;

  PhasePlane() : cs(0), wp(0), row(0), rows(0), pb_h(0), pb_w(0), in_h(0), in_w(0) {}
  explicit PhasePlane(const Spatial3& s)
      : cs(s.s[2]),
        wp((s.padded_extent(2) + s.s[2] - 1) / s.s[2]),
        row(cs * wp),
        rows(s.padded_extent(1)),
        pb_h(s.pb[1]),
        pb_w(s.pb[2]),
        in_h(s.in[1]),
        in_w(s.in[2]) {}

  int64_t size() const { return rows * row; }
  int64_t tap(int64_t kh_off, int64_t kw_off) const { return kh_off * row + (kw_off % cs) * wp + kw_off / cs; }

  bool operator==(const PhasePlane&) const = default;

  // Writes channel xc (in_h x in_w) into the data cells of p; the padding cells are left as they
  // are (zero: the buffer is zeroed for each new geometry, run_depthwise_conv). AVX2 splits
  // stride-2 rows in one pass.
  void fill(const float* xc, float* p, bool avx2) const {
    if (cs == 2 && avx2) {
      // Input column 2 i goes to phase pb_w % 2 at pb_w / 2 + i, column 2 i + 1 to the other
      // phase at pb_w / 2 + i + pb_w % 2.
      const int64_t q = pb_w / 2, r = pb_w % 2;
      for (int64_t ih = 0; ih < in_h; ++ih) {
        float* d = p + (ih + pb_h) * row;
        deinterleave2_f32_avx2(xc + ih * in_w, in_w, d + r * wp + q, d + (1 - r) * wp + q + r);
      }
      return;
    }
    for (int64_t ph = 0; ph < cs; ++ph) {
      // Phase ph holds padded columns ph + cs * j; input columns are padded columns pb_w .. pb_w + in_w - 1.
      const int64_t lo = std::clamp<int64_t>((pb_w - ph + cs - 1) / cs, 0, wp);
      const int64_t hi = std::clamp<int64_t>((pb_w + in_w - ph + cs - 1) / cs, lo, wp);
      const int64_t first = ph + cs * lo - pb_w;  // the input column of element lo
      for (int64_t ih = 0; ih < in_h; ++ih) {
        float* d = p + (ih + pb_h) * row + ph * wp + lo;
        const float* src = xc + ih * in_w + first;
        if (cs == 1)
          std::copy(src, src + (hi - lo), d);
        else
          for (int64_t j = 0; j < hi - lo; ++j) d[j] = src[cs * j];
      }
    }
  }
};

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
  const PhasePlane plane(s);
  std::vector<int64_t> tap_off;
  for (int64_t kh = 0; kh < s.k[1]; ++kh)
    for (int64_t kw = 0; kw < s.k[2]; ++kw) tap_off.push_back(plane.tap(kh * s.d[1], kw * s.d[2]));
  const int64_t row_step = s.s[1] * plane.row;  // from one output row's inputs to the next's
  const float* xp = x.data<float>();
  const float* wp = w.data<float>();
  const float* bp = c.has_input(2) ? c.in(2).data<float>() : nullptr;
  float* yp = y.data_mut<float>();
  // AVX2 applies the epilogue in registers where it can (else, like the other ISAs, in a pass).
  const int act = micro_act(ep.act);
  const bool in_registers = isa == Isa::Avx2 && act >= 0;
  const bool pass = !in_registers && (ep.residual || ep.act != Activation::None);
  // y + 0 + residual, as apply_epilogue adds them (a -0 sum becomes +0 before the activation).
  static const float kZero = 0.f;
  const float* zero = in_registers && (ep.residual || act > 0) ? &kZero : nullptr;
  // Output planes in tasks of about 32 Ki multiply-adds (each element is summed within one task,
  // so the split does not change the results).
  const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 15) / (P * taps));
  const int64_t OH = s.out[0] * s.out[1], OW = s.out[2];
  parallel_for(N * M, grain, [&](int64_t begin, int64_t end) {
    thread_local std::vector<float> buf;
    thread_local PhasePlane zeroed{};  // the geometry whose padding cells `buf` holds (as zeros)
    if (!(zeroed == plane)) {
      // The row kernels may read up to 16 floats past the plane's last row (discarded lanes).
      buf.assign(static_cast<std::size_t>(plane.size() + 16), 0.f);
      zeroed = plane;
    }
    float* pl = buf.data();
    int64_t filled = -1;  // the input plane now in `buf`
    for (int64_t nm = begin; nm < end; ++nm) {
      int64_t n = nm / M, m = nm % M, src = n * C + m / mult;
      if (src != filled) {
        plane.fill(xp + src * s.in_size(), pl, isa == Isa::Avx2);
        filled = src;
      }
      float* yo = yp + nm * P;
      const float bias = bp ? bp[m] : 0.f;
      if (isa == Isa::Avx2) {
        MicroEpilogue e{zero, in_registers && ep.residual ? ep.residual + nm * P : nullptr, 0,
                        in_registers ? act : 0, ep.alpha, ep.beta};
        depthwise_plane_ep_f32_avx2(pl, row_step, tap_off.data(), wp + m * taps, static_cast<int>(taps), yo, OH, OW,
                                    bias, e);
      } else {
        plane_kernel(isa)(pl, row_step, tap_off.data(), wp + m * taps, static_cast<int>(taps), yo, OH, OW, bias);
      }
      if (pass) apply_epilogue(yo, ep.residual ? ep.residual + nm * P : nullptr, P, 0.f, ep);
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
