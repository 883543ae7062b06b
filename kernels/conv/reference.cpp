// Reference Conv over 1 to 3 spatial axes (groups, dilations, strides, padding, auto_pad).
// Pointwise convolutions (1x1 kernel, stride 1, no padding) are matrix products W_g * X_g per
// image and group. Others are direct: each output channel plane is one task that starts from the
// bias and, for every input channel and kernel tap, adds a weighted input row to each output row
// (contiguous at stride 1, so the compiler vectorizes it). The order of additions per output
// element is fixed: results do not depend on the thread count.
#include "kernels/conv/conv.h"
#include "kernels/gemm/gemm.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace detail {

std::vector<int64_t> conv_kernel_shape(const KernelContext& c) {
  return c.attrs().ints_or("kernel_shape", graph::spatial_dims(c.in(1).shape()));
}

std::string conv_supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32, DType::F64});
  if (!r.empty()) return r;
  if (q.input_types[0].rank_known && q.input_types[0].rank() > 5) return "more than 3 spatial axes";
  return "";
}

bool conv_geometry(const KernelContext& c, ConvGeometry& g) {
  const Shape& xs = c.in(0).shape();
  const Shape& ys = c.out(0).shape();
  graph::Window win = graph::window_forward(c.node, graph::spatial_dims(xs), conv_kernel_shape(c), false);
  if (!to_spatial3(xs, ys, win, g.s)) return false;
  g.N = xs[0], g.C = xs[1], g.M = ys[1], g.G = c.attrs().i("group");
  g.cin_g = g.C / g.G, g.cout_g = g.M / g.G;
  return true;
}

}  // namespace detail

namespace {

using detail::Spatial3;

// One output channel plane y (out_size values) from the cin_g input channels at x, weights w
// (cin_g x k_size).
template <class T>
void conv_plane(const T* x, const T* w, T* y, T bias, int64_t cin_g, const Spatial3& s) {
  for (int64_t i = 0; i < s.out_size(); ++i) y[i] = bias;
  for (int64_t ic = 0; ic < cin_g; ++ic) {
    const T* xc = x + ic * s.in_size();
    for (int64_t kd = 0; kd < s.k[0]; ++kd)
      for (int64_t kh = 0; kh < s.k[1]; ++kh)
        for (int64_t kw = 0; kw < s.k[2]; ++kw) {
          T wv = *w++;
          // Output rows/columns whose input row/column for this tap lies inside the input.
          int64_t off_d = kd * s.d[0] - s.pb[0], off_h = kh * s.d[1] - s.pb[1], off_w = kw * s.d[2] - s.pb[2];
          detail::Range rd = detail::tap_range(off_d, s.s[0], s.in[0], s.out[0]);
          detail::Range rh = detail::tap_range(off_h, s.s[1], s.in[1], s.out[1]);
          detail::Range rw = detail::tap_range(off_w, s.s[2], s.in[2], s.out[2]);
          int64_t len = rw.hi - rw.lo;
          for (int64_t od = rd.lo; od < rd.hi; ++od)
            for (int64_t oh = rh.lo; oh < rh.hi; ++oh) {
              const T* xr = xc + ((od * s.s[0] + off_d) * s.in[1] + oh * s.s[1] + off_h) * s.in[2] + rw.lo * s.s[2] + off_w;
              T* yr = y + (od * s.out[1] + oh) * s.out[2] + rw.lo;
              if (s.s[2] == 1) {
                for (int64_t i = 0; i < len; ++i) yr[i] += wv * xr[i];
              } else {
                for (int64_t i = 0; i < len; ++i) yr[i] += wv * xr[i * s.s[2]];
              }
            }
        }
  }
}

bool is_pointwise(const Spatial3& s) {
  for (int a = 0; a < 3; ++a)
    if (s.k[a] != 1 || s.s[a] != 1 || s.pb[a] != 0 || s.pe[a] != 0) return false;
  return true;
}

template <class T>
Status conv_typed(const KernelContext& c) {
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  detail::ConvGeometry geo;
  if (!detail::conv_geometry(c, geo)) return Status::error("more than 3 spatial axes");
  const Spatial3& s = geo.s;
  const int64_t N = geo.N, C = geo.C, M = geo.M, G = geo.G, cin_g = geo.cin_g, cout_g = geo.cout_g;
  const int64_t w_size = cin_g * s.k_size();
  const T* xp = x.data<T>();
  const T* wp = w.data<T>();
  const T* bp = c.has_input(2) ? c.in(2).data<T>() : nullptr;
  T* yp = y.data_mut<T>();
  if (is_pointwise(s)) {
    int64_t plane = s.out_size();
    for (int64_t n = 0; n < N; ++n)
      for (int64_t g = 0; g < G; ++g)
        detail::matmul<T>(cout_g, plane, cin_g, wp + g * cout_g * cin_g, false, xp + (n * C + g * cin_g) * plane, false,
                          yp + (n * M + g * cout_g) * plane);
    if (bp) {
      parallel_for(N * M, 16, [&](int64_t b, int64_t e) {
        for (int64_t nm = b; nm < e; ++nm)
          for (int64_t i = 0; i < plane; ++i) yp[nm * plane + i] += bp[nm % M];
      });
    }
    return Status::ok();
  }
  parallel_for(N * M, 1, [&](int64_t b, int64_t e) {
    for (int64_t nm = b; nm < e; ++nm) {
      int64_t n = nm / M, m = nm % M, g = m / cout_g;
      conv_plane(xp + (n * C + g * cin_g) * s.in_size(), wp + m * w_size, yp + nm * s.out_size(), bp ? bp[m] : T(0),
                 cin_g, s);
    }
  });
  return Status::ok();
}

Status conv_ref(const KernelContext& c) {
  return c.in(0).dtype() == DType::F64 ? conv_typed<double>(c) : conv_typed<float>(c);
}

}  // namespace

void register_conv_kernels(KernelRegistry& r) {
  r.add({"conv_ref", "Conv", "", detail::conv_supports, conv_ref});
}

}  // namespace n2d2::kernels
