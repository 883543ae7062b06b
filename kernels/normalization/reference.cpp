// Reference normalization kernels: BatchNormalization (inference), InstanceNormalization,
// LayerNormalization, LRN and MeanVarianceNormalization.
#include <algorithm>
#include <cmath>

#include "kernels/nn_family.h"
#include "kernels/parallel.h"

namespace n2d2::kernels {

namespace {

// [outer, C, inner] view of an NC... tensor.
struct Nc {
  int64_t n, c, inner;
};
Nc nc_of(const Shape& s) {
  Nc r{s[0], s.size() > 1 ? s[1] : 1, 1};
  for (std::size_t i = 2; i < s.size(); ++i) r.inner *= s[i];
  return r;
}

template <class T>
Status batch_norm_typed(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Nc d = nc_of(x.shape());
  double eps = c.attrs().f("epsilon");
  const T *scale = c.in(1).data<T>(), *bias = c.in(2).data<T>(), *mean = c.in(3).data<T>(), *var = c.in(4).data<T>();
  const T* xp = x.data<T>();
  T* yp = c.out(0).data_mut<T>();
  parallel_for(d.n * d.c, 1, [&](int64_t b, int64_t e) {
    for (int64_t nc = b; nc < e; ++nc) {
      int64_t ch = nc % d.c;
      T a = static_cast<T>(scale[ch] / std::sqrt(static_cast<double>(var[ch]) + eps));
      T sh = static_cast<T>(bias[ch] - a * mean[ch]);
      for (int64_t i = 0; i < d.inner; ++i) yp[nc * d.inner + i] = a * xp[nc * d.inner + i] + sh;
    }
  });
  // Optional running mean/var outputs (inference: the inputs unchanged).
  for (std::size_t k = 1; k < 3 && k < c.num_outputs(); ++k)
    if (c.has_output(k)) c.out(k) = c.in(2 + k).clone();
  return Status::ok();
}

// Normalizes each group of `len` contiguous elements: y = (x - mean) / sqrt(var + eps) * s + b,
// with per-element (or per-group) scale/bias given by the callback.
template <class T, class Affine>
void normalize_rows(const T* x, T* y, int64_t rows, int64_t len, double eps, Affine affine, T* mean_out, T* inv_out) {
  parallel_for(rows, 1, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const T* xr = x + r * len;
      double m = 0, v = 0;
      for (int64_t i = 0; i < len; ++i) m += static_cast<double>(xr[i]);
      m /= static_cast<double>(len);
      for (int64_t i = 0; i < len; ++i) v += (static_cast<double>(xr[i]) - m) * (static_cast<double>(xr[i]) - m);
      v /= static_cast<double>(len);
      double inv = 1.0 / std::sqrt(v + eps);
      for (int64_t i = 0; i < len; ++i) y[r * len + i] = affine(r, i, static_cast<T>((static_cast<double>(xr[i]) - m) * inv));
      if (mean_out) mean_out[r] = static_cast<T>(m);
      if (inv_out) inv_out[r] = static_cast<T>(inv);
    }
  });
}

template <class T>
Status instance_norm_typed(const KernelContext& c) {
  Nc d = nc_of(c.in(0).shape());
  const T *s = c.in(1).data<T>(), *b = c.in(2).data<T>();
  normalize_rows<T>(c.in(0).data<T>(), c.out(0).data_mut<T>(), d.n * d.c, d.inner, c.attrs().f("epsilon"),
                    [&](int64_t r, int64_t, T v) { return v * s[r % d.c] + b[r % d.c]; }, nullptr, nullptr);
  return Status::ok();
}

template <class T>
Status layer_norm_typed(const KernelContext& c) {
  const Shape& xs = c.in(0).shape();
  auto rank = static_cast<int64_t>(xs.size());
  int64_t axis = c.attrs().i("axis");
  if (axis < 0) axis += rank;
  int64_t rows = 1, len = 1;
  for (int64_t i = 0; i < rank; ++i) (i < axis ? rows : len) *= xs[i];
  // Scale and B broadcast to the normalized shape: index them modulo their size.
  const Tensor& st = c.in(1);
  const T* s = st.data<T>();
  const T* b = c.has_input(2) ? c.in(2).data<T>() : nullptr;
  int64_t sn = st.numel(), bn = b ? c.in(2).numel() : 1;
  T* mean = c.has_output(1) ? c.out(1).data_mut<T>() : nullptr;
  T* inv = c.has_output(2) ? c.out(2).data_mut<T>() : nullptr;
  normalize_rows<T>(c.in(0).data<T>(), c.out(0).data_mut<T>(), rows, len, c.attrs().f("epsilon"),
                    [&](int64_t, int64_t i, T v) { return v * s[i % sn] + (b ? b[i % bn] : T(0)); }, mean, inv);
  return Status::ok();
}

template <class T>
Status lrn_typed(const KernelContext& c) {
  Nc d = nc_of(c.in(0).shape());
  double alpha = c.attrs().f("alpha"), beta = c.attrs().f("beta"), bias = c.attrs().f("bias");
  int64_t size = c.attrs().i("size"), lo = (size - 1) / 2, hi = size - 1 - lo;
  const T* x = c.in(0).data<T>();
  T* y = c.out(0).data_mut<T>();
  for (int64_t n = 0; n < d.n; ++n)
    for (int64_t ch = 0; ch < d.c; ++ch)
      for (int64_t i = 0; i < d.inner; ++i) {
        double sq = 0;
        for (int64_t k = std::max<int64_t>(0, ch - lo); k <= std::min(d.c - 1, ch + hi); ++k) {
          double v = static_cast<double>(x[(n * d.c + k) * d.inner + i]);
          sq += v * v;
        }
        int64_t o = (n * d.c + ch) * d.inner + i;
        y[o] = static_cast<T>(static_cast<double>(x[o]) / std::pow(bias + alpha / static_cast<double>(size) * sq, beta));
      }
  return Status::ok();
}

template <class T>
Status mvn_typed(const KernelContext& c) {
  const Shape& xs = c.in(0).shape();
  std::vector<int64_t> axes = c.attrs().ints("axes");
  auto rank = static_cast<int64_t>(xs.size());
  std::vector<bool> red(xs.size(), false);
  for (int64_t a : axes) red[a < 0 ? a + rank : a] = true;
  std::vector<int64_t> st = shape_strides(xs);
  // Output element -> its group (the coordinates of kept axes).
  int64_t total = shape_numel(xs);
  std::vector<int64_t> group(static_cast<std::size_t>(total));
  int64_t groups = 1;
  for (int64_t i = 0; i < rank; ++i)
    if (!red[i]) groups *= xs[i];
  for (int64_t o = 0; o < total; ++o) {
    int64_t rem = o, g = 0;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t coord = (rem / st[i]) % xs[i];
      if (!red[i]) g = g * xs[i] + coord;
    }
    group[o] = g;
  }
  std::vector<double> sum(static_cast<std::size_t>(groups), 0), sq(static_cast<std::size_t>(groups), 0), cnt(static_cast<std::size_t>(groups), 0);
  const T* x = c.in(0).data<T>();
  for (int64_t o = 0; o < total; ++o) {
    sum[group[o]] += static_cast<double>(x[o]);
    cnt[group[o]] += 1;
  }
  for (int64_t o = 0; o < total; ++o) {
    double m = sum[group[o]] / cnt[group[o]], dv = static_cast<double>(x[o]) - m;
    sq[group[o]] += dv * dv;
  }
  T* y = c.out(0).data_mut<T>();
  for (int64_t o = 0; o < total; ++o) {
    double m = sum[group[o]] / cnt[group[o]], var = sq[group[o]] / cnt[group[o]];
    y[o] = static_cast<T>((static_cast<double>(x[o]) - m) / (std::sqrt(var) + 1e-9));
  }
  return Status::ok();
}

template <class F>
Status by_float_type(const KernelContext& c, F f) {
  return c.in(0).dtype() == DType::F64 ? f(double{}) : f(float{});
}
Status batch_norm_ref(const KernelContext& c) { return by_float_type(c, [&](auto t) { return batch_norm_typed<decltype(t)>(c); }); }
Status instance_norm_ref(const KernelContext& c) { return by_float_type(c, [&](auto t) { return instance_norm_typed<decltype(t)>(c); }); }
Status layer_norm_ref(const KernelContext& c) { return by_float_type(c, [&](auto t) { return layer_norm_typed<decltype(t)>(c); }); }
Status lrn_ref(const KernelContext& c) { return by_float_type(c, [&](auto t) { return lrn_typed<decltype(t)>(c); }); }
Status mvn_ref(const KernelContext& c) { return by_float_type(c, [&](auto t) { return mvn_typed<decltype(t)>(c); }); }

std::string floats(const KernelQuery& q) { return require_input_dtypes(q, {DType::F32, DType::F64}); }
std::string bn_supports(const KernelQuery& q) {
  if (q.node.attrs.i_or("training_mode", 0) != 0) return "training_mode=1 is not supported (inference only)";
  if (q.node.outputs.size() > 3) return "training outputs (saved mean/var) are not supported";
  return floats(q);
}

}  // namespace

void register_normalization_kernels(KernelRegistry& r) {
  r.add({"batchnorm_ref", "BatchNormalization", "", bn_supports, batch_norm_ref});
  r.add({"instancenorm_ref", "InstanceNormalization", "", floats, instance_norm_ref});
  r.add({"layernorm_ref", "LayerNormalization", "", floats, layer_norm_ref});
  r.add({"lrn_ref", "LRN", "", floats, lrn_ref});
  r.add({"mvn_ref", "MeanVarianceNormalization", "", floats, mvn_ref});
}

}  // namespace n2d2::kernels
