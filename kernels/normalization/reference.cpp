// Reference normalization kernels: BatchNormalization (inference), InstanceNormalization,
// LayerNormalization, LRN and MeanVarianceNormalization. Statistics are computed in double.
#include <algorithm>
#include <cmath>

#include "kernels/nn_family.h"
#include "kernels/parallel.h"

namespace n2d2::kernels {

namespace {

// [n, c, inner] view of an N x C x ... tensor.
struct Nc {
  int64_t n, c, inner;
};
Nc nc_of(const Shape& s) {
  Nc r{s[0], s.size() > 1 ? s[1] : 1, 1};
  for (std::size_t i = 2; i < s.size(); ++i) r.inner *= s[i];
  return r;
}

template <class F>
Status by_float_type(DType t, F&& f) {
  return t == DType::F64 ? f(double{}) : f(float{});
}

// y = scale * (x - mean) / sqrt(var + epsilon) + bias, folded into y = a * x + b per parameter
// index: the channel, or (spatial=0 before version 9) the channel and position.
template <class T>
Status batch_norm_typed(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Nc d = nc_of(x.shape());
  double eps = c.attrs().f("epsilon");
  bool per_activation = c.attrs().i_or("spatial", 1) == 0;
  const T *scale = c.in(1).data<T>(), *bias = c.in(2).data<T>(), *mean = c.in(3).data<T>(), *var = c.in(4).data<T>();
  auto coefficients = [&](int64_t p, T& a, T& b) {
    a = static_cast<T>(static_cast<double>(scale[p]) / std::sqrt(static_cast<double>(var[p]) + eps));
    b = static_cast<T>(bias[p] - a * mean[p]);
  };
  const T* xp = x.data<T>();
  T* yp = c.out(0).data_mut<T>();
  parallel_for(d.n * d.c, 1, [&](int64_t begin, int64_t end) {
    for (int64_t nc = begin; nc < end; ++nc) {
      int64_t ch = nc % d.c;
      const T* xr = xp + nc * d.inner;
      T* yr = yp + nc * d.inner;
      T a, b;
      if (!per_activation) coefficients(ch, a, b);
      for (int64_t i = 0; i < d.inner; ++i) {
        if (per_activation) coefficients(ch * d.inner + i, a, b);
        yr[i] = a * xr[i] + b;
      }
    }
  });
  // Running mean/var outputs, when asked for: in inference, the inputs unchanged.
  for (std::size_t k = 1; k < 3 && k < c.num_outputs(); ++k)
    if (c.has_output(k)) c.out(k) = c.in(2 + k).clone();
  return Status::ok();
}

// Normalizes each of `rows` groups of `len` contiguous values: y = affine(row, i, (x - mean) /
// sqrt(var + eps)); stats(row, mean, 1 / sqrt(var + eps)) receives the statistics.
template <class T, class Affine, class Stats>
void normalize_rows(const T* x, T* y, int64_t rows, int64_t len, double eps, Affine affine, Stats stats) {
  parallel_for(rows, 1, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* xr = x + r * len;
      double mean = 0, var = 0;
      for (int64_t i = 0; i < len; ++i) mean += static_cast<double>(xr[i]);
      mean /= static_cast<double>(len);
      for (int64_t i = 0; i < len; ++i) var += (static_cast<double>(xr[i]) - mean) * (static_cast<double>(xr[i]) - mean);
      var /= static_cast<double>(len);
      double inv = 1.0 / std::sqrt(var + eps);
      for (int64_t i = 0; i < len; ++i) y[r * len + i] = affine(r, i, static_cast<T>((static_cast<double>(xr[i]) - mean) * inv));
      stats(r, mean, inv);
    }
  });
}

// The values of `p` broadcast (numpy, trailing dims aligned) to `dims`, row-major.
template <class T>
std::vector<T> broadcast_to(const Tensor& p, const Shape& dims) {
  Shape ps = p.shape();
  ps.insert(ps.begin(), dims.size() - ps.size(), 1);
  std::vector<int64_t> strides = shape_strides(ps);
  std::vector<T> out(static_cast<std::size_t>(shape_numel(dims)));
  for (std::size_t o = 0; o < out.size(); ++o) {
    int64_t rem = static_cast<int64_t>(o), src = 0;
    for (std::size_t d = dims.size(); d-- > 0;) {
      if (ps[d] != 1) src += (rem % dims[d]) * strides[d];
      rem /= dims[d];
    }
    out[o] = p.data<T>()[src];
  }
  return out;
}

// Per (n, c) plane, then scale and B per channel.
template <class T>
Status instance_norm_typed(const KernelContext& c) {
  Nc d = nc_of(c.in(0).shape());
  const T *scale = c.in(1).data<T>(), *bias = c.in(2).data<T>();
  normalize_rows<T>(
      c.in(0).data<T>(), c.out(0).data_mut<T>(), d.n * d.c, d.inner, c.attrs().f("epsilon"),
      [&](int64_t r, int64_t, T v) { return v * scale[r % d.c] + bias[r % d.c]; }, [](int64_t, double, double) {});
  return Status::ok();
}

// LayerNormalization's Mean/InvStdDev element r (absent output: nullptr), float32 or float64.
void store_stat(Tensor* out, int64_t r, double v) {
  if (!out) return;
  if (out->dtype() == DType::F64) out->data_mut<double>()[r] = v;
  else out->data_mut<float>()[r] = static_cast<float>(v);
}

// Over the dims from `axis` on; Scale and B broadcast to them. Mean and InvStdDev have the
// stash_type (float32 or float64), which may differ from T.
template <class T>
Status layer_norm_typed(const KernelContext& c) {
  const Shape& xs = c.in(0).shape();
  auto rank = static_cast<int64_t>(xs.size());
  int64_t axis = c.attrs().i("axis");
  if (axis < 0) axis += rank;
  int64_t rows = 1, len = 1;
  for (int64_t i = 0; i < rank; ++i) (i < axis ? rows : len) *= xs[i];
  Shape normalized(xs.begin() + axis, xs.end());
  std::vector<T> scale = broadcast_to<T>(c.in(1), normalized);
  std::vector<T> bias = c.has_input(2) ? broadcast_to<T>(c.in(2), normalized) : std::vector<T>(static_cast<std::size_t>(len));
  Tensor* mean = c.has_output(1) ? &c.out(1) : nullptr;
  Tensor* inv = c.has_output(2) ? &c.out(2) : nullptr;
  normalize_rows<T>(
      c.in(0).data<T>(), c.out(0).data_mut<T>(), rows, len, c.attrs().f("epsilon"),
      [&](int64_t, int64_t i, T v) { return v * scale[i] + bias[i]; },
      [&](int64_t r, double m, double s) {
        store_stat(mean, r, m);
        store_stat(inv, r, s);
      });
  return Status::ok();
}

// y = x / (bias + alpha / size * sum of x^2 over the `size` channels around c)^beta.
template <class T>
Status lrn_typed(const KernelContext& c) {
  Nc d = nc_of(c.in(0).shape());
  double alpha = c.attrs().f("alpha"), beta = c.attrs().f("beta"), bias = c.attrs().f("bias");
  int64_t size = c.attrs().i("size"), before = (size - 1) / 2, after = size - 1 - before;
  const T* x = c.in(0).data<T>();
  T* y = c.out(0).data_mut<T>();
  parallel_for(d.n * d.c, 1, [&](int64_t begin, int64_t end) {
    for (int64_t nc = begin; nc < end; ++nc) {
      int64_t n = nc / d.c, ch = nc % d.c;
      int64_t first = std::max<int64_t>(0, ch - before), last = std::min(d.c - 1, ch + after);
      for (int64_t i = 0; i < d.inner; ++i) {
        double sq = 0;
        for (int64_t k = first; k <= last; ++k) {
          double v = static_cast<double>(x[(n * d.c + k) * d.inner + i]);
          sq += v * v;
        }
        int64_t o = nc * d.inner + i;
        y[o] = static_cast<T>(static_cast<double>(x[o]) / std::pow(bias + alpha / static_cast<double>(size) * sq, beta));
      }
    }
  });
  return Status::ok();
}

// y = (x - mean) / (std + 1e-9), statistics over `axes` (the ONNX function body's epsilon).
template <class T>
Status mvn_typed(const KernelContext& c) {
  const Shape& xs = c.in(0).shape();
  auto rank = static_cast<int64_t>(xs.size());
  std::vector<bool> reduced(xs.size(), false);
  for (int64_t a : c.attrs().ints("axes")) reduced[a < 0 ? a + rank : a] = true;
  // Each element's group: the row-major index of its coordinates on the kept axes.
  std::vector<int64_t> strides = shape_strides(xs);
  int64_t total = shape_numel(xs), groups = 1;
  for (int64_t i = 0; i < rank; ++i)
    if (!reduced[i]) groups *= xs[i];
  std::vector<int64_t> group(static_cast<std::size_t>(total));
  for (int64_t o = 0; o < total; ++o) {
    int64_t g = 0;
    for (int64_t i = 0; i < rank; ++i)
      if (!reduced[i]) g = g * xs[i] + (o / strides[i]) % xs[i];
    group[o] = g;
  }
  auto ng = static_cast<std::size_t>(groups);
  std::vector<double> sum(ng, 0), sq(ng, 0), count(ng, 0);
  const T* x = c.in(0).data<T>();
  for (int64_t o = 0; o < total; ++o) {
    sum[group[o]] += static_cast<double>(x[o]);
    count[group[o]] += 1;
  }
  for (int64_t o = 0; o < total; ++o) {
    double dv = static_cast<double>(x[o]) - sum[group[o]] / count[group[o]];
    sq[group[o]] += dv * dv;
  }
  T* y = c.out(0).data_mut<T>();
  for (int64_t o = 0; o < total; ++o) {
    double mean = sum[group[o]] / count[group[o]], var = sq[group[o]] / count[group[o]];
    y[o] = static_cast<T>((static_cast<double>(x[o]) - mean) / (std::sqrt(var) + 1e-9));
  }
  return Status::ok();
}

Status batch_norm_ref(const KernelContext& c) {
  return by_float_type(c.in(0).dtype(), [&](auto t) { return batch_norm_typed<decltype(t)>(c); });
}
Status instance_norm_ref(const KernelContext& c) {
  return by_float_type(c.in(0).dtype(), [&](auto t) { return instance_norm_typed<decltype(t)>(c); });
}
Status layer_norm_ref(const KernelContext& c) {
  return by_float_type(c.in(0).dtype(), [&](auto t) { return layer_norm_typed<decltype(t)>(c); });
}
Status lrn_ref(const KernelContext& c) {
  return by_float_type(c.in(0).dtype(), [&](auto t) { return lrn_typed<decltype(t)>(c); });
}
Status mvn_ref(const KernelContext& c) {
  return by_float_type(c.in(0).dtype(), [&](auto t) { return mvn_typed<decltype(t)>(c); });
}

// float32/float64, every input of one type.
std::string same_float_type(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32, DType::F64});
  if (!r.empty()) return r;
  for (std::size_t i = 1; i < q.input_types.size(); ++i)
    if (q.input_types[i].dtype != DType::Undefined && q.input_types[i].dtype != q.input_types[0].dtype)
      return "input " + std::to_string(i) + " has another type than input 0";
  return "";
}

std::string batch_norm_supports(const KernelQuery& q) {
  if (q.node.attrs.i_or("training_mode", 0) != 0) return "training_mode=1 is not supported (inference only)";
  if (q.node.outputs.size() > 3) return "training outputs (saved mean/var) are not supported";
  return same_float_type(q);
}

}  // namespace

void register_normalization_kernels(KernelRegistry& r) {
  r.add({"batchnorm_ref", "BatchNormalization", "", batch_norm_supports, batch_norm_ref});
  r.add({"instancenorm_ref", "InstanceNormalization", "", same_float_type, instance_norm_ref});
  r.add({"layernorm_ref", "LayerNormalization", "", same_float_type, layer_norm_ref});
  r.add({"lrn_ref", "LRN", "", same_float_type, lrn_ref});
  r.add({"mvn_ref", "MeanVarianceNormalization", "", same_float_type, mvn_ref});
}

}  // namespace n2d2::kernels
