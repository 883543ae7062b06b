// Reference ConvTranspose over 1 to 3 spatial axes: y[n, m, i * stride - pad + k * dilation] +=
// x[n, c, i] * w[c, m % (M / group), k]. Each output channel plane is one task that starts from
// the bias and, for every input channel and kernel tap, adds a weighted input row into an output
// row (contiguous at stride 1). Every output element receives its products in a fixed order:
// results do not depend on the thread count.
#include "kernels/conv/conv.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace {

using detail::Spatial3;

// Adds the contributions of one input channel plane x (weights w, k_size values) to the output
// plane y.
template <class T>
void scatter_plane(const T* x, const T* w, T* y, const Spatial3& s) {
  for (int64_t kd = 0; kd < s.k[0]; ++kd)
    for (int64_t kh = 0; kh < s.k[1]; ++kh)
      for (int64_t kw = 0; kw < s.k[2]; ++kw) {
        T wv = *w++;
        // Input rows/columns whose output row/column for this tap lies inside the output.
        int64_t off_d = kd * s.d[0] - s.pb[0], off_h = kh * s.d[1] - s.pb[1], off_w = kw * s.d[2] - s.pb[2];
        detail::Range rd = detail::tap_range(off_d, s.s[0], s.out[0], s.in[0]);
        detail::Range rh = detail::tap_range(off_h, s.s[1], s.out[1], s.in[1]);
        detail::Range rw = detail::tap_range(off_w, s.s[2], s.out[2], s.in[2]);
        int64_t len = rw.hi - rw.lo;
        for (int64_t id = rd.lo; id < rd.hi; ++id)
          for (int64_t ih = rh.lo; ih < rh.hi; ++ih) {
            const T* xr = x + (id * s.in[1] + ih) * s.in[2] + rw.lo;
            T* yr = y + ((id * s.s[0] + off_d) * s.out[1] + ih * s.s[1] + off_h) * s.out[2] + rw.lo * s.s[2] + off_w;
            if (s.s[2] == 1) {
              for (int64_t i = 0; i < len; ++i) yr[i] += wv * xr[i];
            } else {
              for (int64_t i = 0; i < len; ++i) yr[i * s.s[2]] += wv * xr[i];
            }
          }
      }
}

template <class T>
Status conv_transpose_typed(const KernelContext& c) {
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  graph::Window win = graph::window_transposed(c.node, graph::spatial_dims(xs), detail::conv_kernel_shape(c));
  Spatial3 s;
  if (!detail::to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  int64_t N = xs[0], C = xs[1], M = y.shape()[1], G = c.attrs().i("group");
  int64_t cin_g = C / G, cout_g = M / G;
  const T* xp = x.data<T>();
  const T* wp = w.data<T>();
  const T* bp = c.has_input(2) ? c.in(2).data<T>() : nullptr;
  T* yp = y.data_mut<T>();
  parallel_for(N * M, 1, [&](int64_t b, int64_t e) {
    for (int64_t nm = b; nm < e; ++nm) {
      int64_t n = nm / M, m = nm % M, g = m / cout_g, mg = m % cout_g;
      T* yo = yp + nm * s.out_size();
      for (int64_t i = 0; i < s.out_size(); ++i) yo[i] = bp ? bp[m] : T(0);
      for (int64_t ic = g * cin_g; ic < (g + 1) * cin_g; ++ic)
        scatter_plane(xp + (n * C + ic) * s.in_size(), wp + (ic * cout_g + mg) * s.k_size(), yo, s);
    }
  });
  return Status::ok();
}

Status conv_transpose_ref(const KernelContext& c) {
  return c.in(0).dtype() == DType::F64 ? conv_transpose_typed<double>(c) : conv_transpose_typed<float>(c);
}

}  // namespace

void register_conv_transpose_kernels(KernelRegistry& r) {
  r.add({"conv_transpose_ref", "ConvTranspose", "", detail::conv_supports, conv_transpose_ref});
}

}  // namespace n2d2::kernels
