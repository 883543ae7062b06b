// Reference Conv and ConvTranspose (1-D to 3-D, groups, dilations, strides, padding).
// Conv: each output channel plane is computed by one task: bias, then for every input channel
// and kernel tap a contiguous row update (vectorizable at stride 1). The order of additions per
// output element is fixed, so results do not depend on the thread count.
#include <algorithm>

#include "graph/ops/window.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace {

using detail::Spatial3;

std::vector<int64_t> kernel_of(const KernelContext& c) {
  const Shape& w = c.in(1).shape();
  return c.attrs().ints_or("kernel_shape", std::vector<int64_t>(w.begin() + 2, w.end()));
}

template <class T>
void conv_plane(const T* x, const T* w, T* y, T bias, int64_t cin_g, int64_t c0, const Spatial3& s) {
  int64_t plane = s.out_size();
  for (int64_t i = 0; i < plane; ++i) y[i] = bias;
  for (int64_t ic = 0; ic < cin_g; ++ic) {
    const T* xc = x + (c0 + ic) * s.in_size();
    for (int64_t kd = 0; kd < s.k[0]; ++kd)
      for (int64_t kh = 0; kh < s.k[1]; ++kh)
        for (int64_t kw = 0; kw < s.k[2]; ++kw) {
          T wv = w[((ic * s.k[0] + kd) * s.k[1] + kh) * s.k[2] + kw];
          int64_t base_w = kw * s.d[2] - s.pb[2];
          // Output columns whose input column lies inside the row.
          int64_t lo = base_w >= 0 ? 0 : (-base_w + s.s[2] - 1) / s.s[2];
          int64_t hi = s.in[2] - 1 - base_w < 0 ? 0 : std::min(s.out[2], (s.in[2] - 1 - base_w) / s.s[2] + 1);
          if (lo >= hi) continue;
          for (int64_t od = 0; od < s.out[0]; ++od) {
            int64_t id = od * s.s[0] - s.pb[0] + kd * s.d[0];
            if (id < 0 || id >= s.in[0]) continue;
            for (int64_t oh = 0; oh < s.out[1]; ++oh) {
              int64_t ih = oh * s.s[1] - s.pb[1] + kh * s.d[1];
              if (ih < 0 || ih >= s.in[1]) continue;
              const T* xr = xc + (id * s.in[1] + ih) * s.in[2] + base_w;
              T* yr = y + (od * s.out[1] + oh) * s.out[2];
              if (s.s[2] == 1) {
                for (int64_t ow = lo; ow < hi; ++ow) yr[ow] += wv * xr[ow];
              } else {
                for (int64_t ow = lo; ow < hi; ++ow) yr[ow] += wv * xr[ow * s.s[2]];
              }
            }
          }
        }
  }
}

template <class T>
Status conv_typed(const KernelContext& c) {
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  std::vector<int64_t> sp(xs.begin() + 2, xs.end());
  graph::Window win = graph::window_forward(c.node, sp, kernel_of(c), false);
  Spatial3 s;
  if (!detail::to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  int64_t N = xs[0], C = xs[1], M = y.shape()[1], G = c.attrs().i("group");
  int64_t cin_g = C / G, cout_g = M / G, wsize = cin_g * s.k_size();
  const T* xp = x.data<T>();
  const T* wp = w.data<T>();
  const T* bp = c.has_input(2) ? c.in(2).data<T>() : nullptr;
  T* yp = y.data_mut<T>();
  parallel_for(N * M, 1, [&](int64_t b, int64_t e) {
    for (int64_t nm = b; nm < e; ++nm) {
      int64_t n = nm / M, m = nm % M, g = m / cout_g;
      conv_plane(xp + n * C * s.in_size(), wp + m * wsize, yp + nm * s.out_size(), bp ? bp[m] : T(0), cin_g, g * cin_g, s);
    }
  });
  return Status::ok();
}

template <class T>
Status conv_transpose_typed(const KernelContext& c) {
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  std::vector<int64_t> sp(xs.begin() + 2, xs.end());
  graph::Window win = graph::window_transposed(c.node, sp, kernel_of(c));
  Spatial3 s;
  if (!detail::to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  int64_t N = xs[0], C = xs[1], M = y.shape()[1], G = c.attrs().i("group");
  int64_t cin_g = C / G, cout_g = M / G;
  const T* xp = x.data<T>();
  const T* wp = w.data<T>();
  const T* bp = c.has_input(2) ? c.in(2).data<T>() : nullptr;
  T* yp = y.data_mut<T>();
  // One task per output channel plane: y[n,m,o] += x[n,c,i] * w[c,m%cout_g,k], o = i*s - p + k*d.
  parallel_for(N * M, 1, [&](int64_t b, int64_t e) {
    for (int64_t nm = b; nm < e; ++nm) {
      int64_t n = nm / M, m = nm % M, g = m / cout_g, mg = m % cout_g;
      T* yo = yp + nm * s.out_size();
      for (int64_t i = 0; i < s.out_size(); ++i) yo[i] = bp ? bp[m] : T(0);
      for (int64_t ic = 0; ic < cin_g; ++ic) {
        int64_t cc = g * cin_g + ic;
        const T* xc = xp + (n * C + cc) * s.in_size();
        const T* wc = wp + (cc * cout_g + mg) * s.k_size();
        for (int64_t id = 0; id < s.in[0]; ++id)
          for (int64_t ih = 0; ih < s.in[1]; ++ih)
            for (int64_t iw = 0; iw < s.in[2]; ++iw) {
              T xv = xc[(id * s.in[1] + ih) * s.in[2] + iw];
              for (int64_t kd = 0; kd < s.k[0]; ++kd) {
                int64_t od = id * s.s[0] - s.pb[0] + kd * s.d[0];
                if (od < 0 || od >= s.out[0]) continue;
                for (int64_t kh = 0; kh < s.k[1]; ++kh) {
                  int64_t oh = ih * s.s[1] - s.pb[1] + kh * s.d[1];
                  if (oh < 0 || oh >= s.out[1]) continue;
                  for (int64_t kw = 0; kw < s.k[2]; ++kw) {
                    int64_t ow = iw * s.s[2] - s.pb[2] + kw * s.d[2];
                    if (ow < 0 || ow >= s.out[2]) continue;
                    yo[(od * s.out[1] + oh) * s.out[2] + ow] += xv * wc[(kd * s.k[1] + kh) * s.k[2] + kw];
                  }
                }
              }
            }
      }
    }
  });
  return Status::ok();
}

Status conv_ref(const KernelContext& c) {
  return c.in(0).dtype() == DType::F64 ? conv_typed<double>(c) : conv_typed<float>(c);
}
Status conv_transpose_ref(const KernelContext& c) {
  return c.in(0).dtype() == DType::F64 ? conv_transpose_typed<double>(c) : conv_transpose_typed<float>(c);
}

std::string supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32, DType::F64});
  if (!r.empty()) return r;
  if (q.input_types[0].rank_known && q.input_types[0].rank() > 5) return "more than 3 spatial axes";
  return "";
}

}  // namespace

void register_conv_kernels(KernelRegistry& r) {
  r.add({"conv_ref", "Conv", "", supports, conv_ref});
  r.add({"conv_transpose_ref", "ConvTranspose", "", supports, conv_transpose_ref});
}

}  // namespace n2d2::kernels
