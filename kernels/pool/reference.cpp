// Reference pooling over 1 to 3 spatial axes: MaxPool (with Indices), AveragePool, LpPool and
// their global forms (one window covering the whole plane). The windows of each axis are computed
// once (axis_windows); pool_plane walks them and feeds each window's input values to a reducer.
// Each (n, c) plane is one task.
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "graph/ops/window.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace {

using detail::Spatial3;

// Reducers: reset() before each window, add(value, offset in the plane) for each tap inside the
// input, result(taps inside the input, taps inside the padded input).
template <class T>
struct MaxReducer {
  T best{};
  int64_t arg = -1;
  void reset() { arg = -1; }
  void add(T v, int64_t off) {
    if (arg < 0 || v > best) {
      best = v;
      arg = off;
    }
  }
  // A window lying wholly in the padding (pads >= kernel) gives the lowest value, Indices -1.
  T result(int64_t, int64_t) const { return arg < 0 ? std::numeric_limits<T>::lowest() : best; }
};

template <class T>
struct AverageReducer {
  bool count_include_pad = false;
  double sum = 0;
  void reset() { sum = 0; }
  void add(T v, int64_t) { sum += static_cast<double>(v); }
  T result(int64_t inside, int64_t padded) const {
    int64_t n = count_include_pad ? padded : inside;
    return static_cast<T>(n > 0 ? sum / static_cast<double>(n) : 0.0);
  }
};

template <class T>
struct LpReducer {
  double p = 2;
  double sum = 0;
  void reset() { sum = 0; }
  void add(T v, int64_t) { sum += std::pow(std::abs(static_cast<double>(v)), p); }
  T result(int64_t, int64_t) const { return static_cast<T>(std::pow(sum, 1.0 / p)); }
};

// Row-major offset in a plane -> the storage_order=1 (column-major) offset.
int64_t column_major(int64_t off, const Spatial3& s) {
  int64_t w = off % s.in[2], h = (off / s.in[2]) % s.in[1], d = off / (s.in[2] * s.in[1]);
  return (w * s.in[1] + h) * s.in[0] + d;
}

// The windows along one spatial axis, per output index: the first tap inside the input, how many
// taps lie inside the input, and how many inside the padded input (count_include_pad).
struct AxisWindows {
  std::vector<int64_t> first, inside, padded;
};
AxisWindows axis_windows(const Spatial3& s, int a) {
  AxisWindows w;
  for (int64_t o = 0; o < s.out[a]; ++o) {
    int64_t start = o * s.s[a] - s.pb[a];
    detail::Range in = detail::tap_range(start, s.d[a], s.in[a], s.k[a]);
    w.first.push_back(start + in.lo * s.d[a]);
    w.inside.push_back(in.hi - in.lo);
    w.padded.push_back(detail::tap_range(o * s.s[a], s.d[a], s.in[a] + s.pb[a] + s.pe[a], s.k[a]).hi);
  }
  return w;
}

// Pools one plane x into y over the windows of each axis. `indices` (MaxPool's second output, or
// nullptr) receives the argmax offset in the whole tensor: plane_base + offset in the plane.
template <class T, class Reducer>
void pool_plane(const T* x, T* y, int64_t* indices, int64_t plane_base, bool col_major, const Spatial3& s,
                const AxisWindows (&w)[3], Reducer r) {
  for (int64_t od = 0; od < s.out[0]; ++od)
    for (int64_t oh = 0; oh < s.out[1]; ++oh)
      for (int64_t ow = 0; ow < s.out[2]; ++ow) {
        r.reset();
        for (int64_t td = 0; td < w[0].inside[od]; ++td)
          for (int64_t th = 0; th < w[1].inside[oh]; ++th) {
            int64_t row = ((w[0].first[od] + td * s.d[0]) * s.in[1] + w[1].first[oh] + th * s.d[1]) * s.in[2] + w[2].first[ow];
            for (int64_t tw = 0; tw < w[2].inside[ow]; ++tw) r.add(x[row + tw * s.d[2]], row + tw * s.d[2]);
          }
        int64_t oi = (od * s.out[1] + oh) * s.out[2] + ow;
        y[oi] = r.result(w[0].inside[od] * w[1].inside[oh] * w[2].inside[ow], w[0].padded[od] * w[1].padded[oh] * w[2].padded[ow]);
        if constexpr (std::is_same_v<Reducer, MaxReducer<T>>) {
          if (indices) indices[oi] = r.arg < 0 ? -1 : plane_base + (col_major ? column_major(r.arg, s) : r.arg);
        }
      }
}

enum class Kind { Max, Average, Lp };

template <class T>
Status pool_typed(const KernelContext& c, Kind kind, bool global) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  std::vector<int64_t> sp = graph::spatial_dims(xs);
  graph::Window win;
  if (global) {
    win.kernel = sp;
    win.strides = win.dilations = std::vector<int64_t>(sp.size(), 1);
    win.pads_begin = win.pads_end = std::vector<int64_t>(sp.size(), 0);
  } else {
    win = graph::window_forward(c.node, sp, c.attrs().ints("kernel_shape"), c.attrs().i_or("ceil_mode", 0) != 0);
  }
  Spatial3 s;
  if (!detail::to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  bool col_major = c.attrs().i_or("storage_order", 0) != 0;
  int64_t* indices = c.has_output(1) ? c.out(1).data_mut<int64_t>() : nullptr;
  const T* xp = x.data<T>();
  T* yp = y.data_mut<T>();
  const AxisWindows windows[3] = {axis_windows(s, 0), axis_windows(s, 1), axis_windows(s, 2)};
  auto run = [&](auto reducer) {
    parallel_for(xs[0] * xs[1], 1, [&](int64_t b, int64_t e) {
      for (int64_t nc = b; nc < e; ++nc)
        pool_plane(xp + nc * s.in_size(), yp + nc * s.out_size(), indices ? indices + nc * s.out_size() : nullptr,
                   nc * s.in_size(), col_major, s, windows, reducer);
    });
  };
  if (kind == Kind::Max) {
    run(MaxReducer<T>{});
  } else if (kind == Kind::Average) {
    run(AverageReducer<T>{c.attrs().i_or("count_include_pad", 0) != 0});
  } else {
    run(LpReducer<T>{static_cast<double>(c.attrs().i("p"))});
  }
  return Status::ok();
}

template <Kind kind, bool global>
Status pool_ref(const KernelContext& c) {
  switch (c.in(0).dtype()) {
    case DType::F64: return pool_typed<double>(c, kind, global);
    case DType::I8: return pool_typed<int8_t>(c, kind, global);
    case DType::U8: return pool_typed<uint8_t>(c, kind, global);
    default: return pool_typed<float>(c, kind, global);
  }
}

std::string check_rank(const KernelQuery& q) {
  if (q.input_types[0].rank_known && q.input_types[0].rank() > 5) return "more than 3 spatial axes";
  return "";
}
std::string float_supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32, DType::F64});
  return r.empty() ? check_rank(q) : r;
}
std::string max_supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32, DType::F64, DType::I8, DType::U8});
  return r.empty() ? check_rank(q) : r;
}

}  // namespace

void register_pool_kernels(KernelRegistry& r) {
  r.add({"maxpool_ref", "MaxPool", "", max_supports, pool_ref<Kind::Max, false>});
  r.add({"avgpool_ref", "AveragePool", "", float_supports, pool_ref<Kind::Average, false>});
  r.add({"lppool_ref", "LpPool", "", float_supports, pool_ref<Kind::Lp, false>});
  r.add({"global_maxpool_ref", "GlobalMaxPool", "", float_supports, pool_ref<Kind::Max, true>});
  r.add({"global_avgpool_ref", "GlobalAveragePool", "", float_supports, pool_ref<Kind::Average, true>});
  r.add({"global_lppool_ref", "GlobalLpPool", "", float_supports, pool_ref<Kind::Lp, true>});
}

}  // namespace n2d2::kernels
