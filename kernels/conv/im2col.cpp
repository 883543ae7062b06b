// Float convolution (1 to 3 spatial axes, strides, dilations, padding, groups) as im2col + the
// fastest float GEMM core (gemm.h): per image and group, the input windows are laid out as a
// [cin_g * k, out] matrix (zeros where a tap falls in the padding) and
// Y[n, g] (cout_g x out) = W[g] (cout_g x cin_g*k) * cols. Depthwise convolutions (one input
// channel per group) stay with the direct kernel, which needs no column matrix.
#include <algorithm>
#include <cstring>
#include <vector>

#include "graph/ops/window.h"
#include "kernels/conv/conv.h"
#include "kernels/gemm/gemm.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace detail {

// Rows [r0, r1) of the column matrix of one group: row r = (ic, kd, kh, kw) holds, for every
// output position, the input value that tap reads (0 in the padding).
void im2col_rows(const float* x, float* cols, const Spatial3& s, int64_t r0, int64_t r1) {
  const int64_t ksz = s.k_size(), out = s.out_size();
  for (int64_t r = r0; r < r1; ++r) {
    int64_t ic = r / ksz, k = r % ksz;
    int64_t kd = k / (s.k[1] * s.k[2]), kh = (k / s.k[2]) % s.k[1], kw = k % s.k[2];
    const float* xc = x + ic * s.in_size();
    float* row = cols + r * out;
    int64_t off_d = kd * s.d[0] - s.pb[0], off_h = kh * s.d[1] - s.pb[1], off_w = kw * s.d[2] - s.pb[2];
    detail::Range rd = detail::tap_range(off_d, s.s[0], s.in[0], s.out[0]);
    detail::Range rh = detail::tap_range(off_h, s.s[1], s.in[1], s.out[1]);
    detail::Range rw = detail::tap_range(off_w, s.s[2], s.in[2], s.out[2]);
    // A tap that lies in the padding for every output (pads wider than the kernel) has lo > count.
    rw.lo = std::min(rw.lo, s.out[2]), rw.hi = std::min(rw.hi, s.out[2]);
    for (int64_t od = 0; od < s.out[0]; ++od)
      for (int64_t oh = 0; oh < s.out[1]; ++oh) {
        float* dst = row + (od * s.out[1] + oh) * s.out[2];
        if (od < rd.lo || od >= rd.hi || oh < rh.lo || oh >= rh.hi) {
          std::memset(dst, 0, sizeof(float) * s.out[2]);
          continue;
        }
        const float* src = xc + ((od * s.s[0] + off_d) * s.in[1] + oh * s.s[1] + off_h) * s.in[2] + off_w;
        std::memset(dst, 0, sizeof(float) * rw.lo);
        if (s.s[2] == 1) {
          std::memcpy(dst + rw.lo, src + rw.lo, sizeof(float) * (rw.hi - rw.lo));
        } else {
          for (int64_t ow = rw.lo; ow < rw.hi; ++ow) dst[ow] = src[ow * s.s[2]];
        }
        std::memset(dst + rw.hi, 0, sizeof(float) * (s.out[2] - rw.hi));
      }
  }
}

}  // namespace detail

namespace detail {

Status conv_f32_im2col_with(const KernelContext& c, MatmulF32 core) {
  using detail::Spatial3;
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  graph::Window win = graph::window_forward(c.node, graph::spatial_dims(xs), detail::conv_kernel_shape(c), false);
  Spatial3 s;
  if (!detail::to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  const int64_t N = xs[0], C = xs[1], M = y.shape()[1], G = c.attrs().i("group");
  const int64_t cin_g = C / G, cout_g = M / G, rows = cin_g * s.k_size(), out = s.out_size();
  const float* xp = x.data<float>();
  const float* wp = w.data<float>();
  const float* bp = c.has_input(2) ? c.in(2).data<float>() : nullptr;
  float* yp = y.data_mut<float>();
  std::vector<float> cols(static_cast<std::size_t>(rows * out));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t g = 0; g < G; ++g) {
      const float* xg = xp + (n * C + g * cin_g) * s.in_size();
      parallel_for(rows, 8, [&](int64_t r0, int64_t r1) { detail::im2col_rows(xg, cols.data(), s, r0, r1); });
      float* yg = yp + (n * M + g * cout_g) * out;
      core(cout_g, out, rows, wp + g * cout_g * rows, cols.data(), yg);
    }
  if (bp)
    parallel_for(N * M, 16, [&](int64_t b, int64_t e) {
      for (int64_t nm = b; nm < e; ++nm) {
        float v = bp[nm % M];
        float* yr = yp + nm * out;
        for (int64_t i = 0; i < out; ++i) yr[i] += v;
      }
    });
  return Status::ok();
}

}  // namespace detail

namespace {


Status conv_f32_im2col(const KernelContext& c) { return detail::conv_f32_im2col_with(c, detail::best_matmul_f32()); }

std::string supports(const KernelQuery& q) {
  if (std::string r = require_input_dtypes(q, {DType::F32}); !r.empty()) return r;
  if (std::string r = detail::conv_supports(q); !r.empty()) return r;
  const TensorType& x = q.input_types[0];
  const TensorType& w = q.input_types[1];
  if (!x.rank_known || !w.rank_known || x.rank() < 3) return "unknown input or weight rank";
  int64_t group = q.node.attrs.i("group");
  if (w.dims[1] == 1 && group > 1) return "depthwise (the direct kernel needs no column matrix)";
  return "";
}

}  // namespace

void register_im2col_conv_kernels(KernelRegistry& r) { r.add({"conv_f32_im2col", "Conv", "", supports, conv_f32_im2col}); }

}  // namespace n2d2::kernels
