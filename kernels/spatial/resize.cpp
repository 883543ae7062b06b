// Reference Resize (opsets 10-13) and Upsample. Each output coordinate maps, per axis, to a few
// input taps with weights (nearest: 1, linear: 2, cubic: 4); an output element is the weighted
// sum over the product of its axes' taps.
#include <cmath>

#include "graph/ops/spatial_ops.h"
#include "kernels/parallel.h"
#include "kernels/spatial/spatial_kernels.h"

namespace n2d2::kernels {

namespace {

struct Tap {
  int64_t index;
  double weight;
};

struct AxisMap {
  std::vector<std::vector<Tap>> taps;  // per output coordinate
  std::vector<bool> outside;           // tf_crop_and_resize: coordinate outside the input
};

struct Options {
  std::string mode, transform, nearest_mode;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  double extrapolation = 0;
};

// `out_len` is in_len * scale (not rounded), as the ONNX reference defines "length_resized".
double original_coordinate(const Options& o, double x, double scale, int64_t in_len, double out_len, double roi_start,
                           double roi_end) {
  const std::string& t = o.transform;
  if (t == "half_pixel") return (x + 0.5) / scale - 0.5;
  if (t == "pytorch_half_pixel") return out_len > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  if (t == "align_corners") return out_len == 1 ? 0.0 : x * static_cast<double>(in_len - 1) / (out_len - 1);
  if (t == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  if (t == "tf_crop_and_resize")
    return out_len > 1 ? roi_start * (in_len - 1) + x * (roi_end - roi_start) * (in_len - 1) / (out_len - 1)
                       : 0.5 * (roi_start + roi_end) * (in_len - 1);
  return x / scale;  // asymmetric
}

int64_t nearest_index(const std::string& mode, double x) {
  if (mode == "floor") return static_cast<int64_t>(std::floor(x));
  if (mode == "ceil") return static_cast<int64_t>(std::ceil(x));
  double f = std::floor(x);
  if (x - f == 0.5) return static_cast<int64_t>(mode == "round_prefer_ceil" ? f + 1 : f);
  return static_cast<int64_t>(std::round(x));
}

double cubic_weight(double d, double a) {  // d = |distance|
  if (d <= 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
  if (d < 2) return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  return 0;
}

AxisMap map_axis(const Options& o, int64_t in_len, int64_t out_len, double scale, double roi_start, double roi_end) {
  AxisMap m;
  m.taps.resize(static_cast<std::size_t>(out_len));
  m.outside.assign(static_cast<std::size_t>(out_len), false);
  auto clamp = [&](int64_t i) { return i < 0 ? 0 : i >= in_len ? in_len - 1 : i; };
  for (int64_t x = 0; x < out_len; ++x) {
    double xo = original_coordinate(o, static_cast<double>(x), scale, in_len, static_cast<double>(in_len) * scale,
                                    roi_start, roi_end);
    auto& taps = m.taps[x];
    if (o.transform == "tf_crop_and_resize" && (xo < 0 || xo > in_len - 1)) {
      m.outside[x] = true;
      taps.push_back({0, 0.0});
      continue;
    }
    if (o.mode == "nearest") {
      taps.push_back({clamp(nearest_index(o.nearest_mode, xo)), 1.0});
    } else if (o.mode == "cubic") {
      double f = std::floor(xo), t = xo - f;
      double sum = 0;
      for (int k = -1; k <= 2; ++k) {
        int64_t i = static_cast<int64_t>(f) + k;
        double w = cubic_weight(std::abs(t - k), o.cubic_a);
        if (o.exclude_outside && (i < 0 || i >= in_len)) w = 0;
        sum += w;
        taps.push_back({clamp(i), w});
      }
      if (o.exclude_outside && sum != 0)
        for (auto& tp : taps) tp.weight /= sum;
    } else {  // linear
      double xc = std::min(std::max(xo, 0.0), static_cast<double>(in_len - 1));
      int64_t i0 = static_cast<int64_t>(std::floor(xc));
      int64_t i1 = std::min(i0 + 1, in_len - 1);
      double w1 = xc - static_cast<double>(i0);
      taps.push_back({i0, 1.0 - w1});
      if (w1 != 0) taps.push_back({i1, w1});
    }
  }
  return m;
}

Status resize_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  const Shape& is = x.shape();
  const Shape& os = c.out(0).shape();
  auto rank = static_cast<int64_t>(is.size());
  bool upsample = c.node.op_type == "Upsample";
  int v = c.node.since_version;
  bool v11 = !upsample && v >= 11;
  Options o;
  o.mode = c.attrs().s("mode");
  if (o.mode == "bilinear") o.mode = "linear";
  o.transform = v11 ? c.attrs().s("coordinate_transformation_mode") : "asymmetric";
  o.nearest_mode = v11 ? c.attrs().s("nearest_mode") : "floor";
  if (v11) {
    o.cubic_a = c.attrs().f("cubic_coeff_a");
    o.exclude_outside = c.attrs().i("exclude_outside") != 0;
    o.extrapolation = c.attrs().f("extrapolation_value");
  }
  std::size_t si = (upsample || v < 11) ? 1 : 2;
  bool has_sizes = v11 && c.has_input(3) && c.in(3).numel() > 0;
  auto geo = graph::resize_geometry(c.node, is, c.has_input(si) && c.in(si).numel() > 0,
                                    c.has_input(si) ? &c.in(si) : nullptr, has_sizes, has_sizes ? &c.in(3) : nullptr);
  std::vector<double> roi;
  if (o.transform == "tf_crop_and_resize") {
    if (!c.has_input(1) || c.in(1).numel() != 2 * rank) return Status::error("tf_crop_and_resize needs roi of ", 2 * rank, " values");
    roi = c.in(1).to_double_vector();
  }
  std::vector<AxisMap> maps;
  for (int64_t a = 0; a < rank; ++a)
    maps.push_back(map_axis(o, is[a], os[a], geo->scales[a], roi.empty() ? 0 : roi[a], roi.empty() ? 1 : roi[a + rank]));
  std::vector<int64_t> strides = shape_strides(is);
  int64_t total = c.out(0).numel();
  bool ok = visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T* xp = x.data<T>();
      T* yp = c.out(0).data_mut<T>();
      parallel_for(total, 1024, [&](int64_t b, int64_t e) {
        std::vector<int64_t> idx(static_cast<std::size_t>(rank));
        std::vector<std::size_t> tap(static_cast<std::size_t>(rank));
        for (int64_t out = b; out < e; ++out) {
          int64_t r = out;
          bool outside = false;
          for (int64_t a = rank - 1; a >= 0; --a) {
            idx[a] = r % os[a];
            r /= os[a];
            outside = outside || maps[a].outside[idx[a]];
          }
          if (outside) {
            yp[out] = static_cast<T>(o.extrapolation);
            continue;
          }
          // Sum over the product of taps (odometer over each axis's tap list).
          std::fill(tap.begin(), tap.end(), 0);
          double acc = 0;
          while (true) {
            double w = 1;
            int64_t off = 0;
            for (int64_t a = 0; a < rank; ++a) {
              const Tap& t = maps[a].taps[idx[a]][tap[a]];
              w *= t.weight;
              off += t.index * strides[a];
            }
            acc += w * static_cast<double>(xp[off]);
            int64_t a = rank - 1;
            for (; a >= 0; --a) {
              if (++tap[a] < maps[a].taps[idx[a]].size()) break;
              tap[a] = 0;
            }
            if (a < 0) break;
          }
          if constexpr (std::is_integral_v<T>) yp[out] = static_cast<T>(std::round(acc));
          else yp[out] = static_cast<T>(acc);
        }
      });
    }
  });
  if (!ok) return Status::error("unsupported type ", dtype_name(x.dtype()));
  return Status::ok();
}

std::string supports(const KernelQuery& q) {
  if (!q.input_types.empty() && (q.input_types[0].dtype == DType::Bool || q.input_types[0].dtype == DType::F16 ||
                                 q.input_types[0].dtype == DType::BF16))
    return std::string("input type ") + dtype_name(q.input_types[0].dtype);
  return "";
}

}  // namespace

void register_spatial_family_resize(KernelRegistry& r) {
  r.add({"resize_ref", "Resize", "", supports, resize_ref});
  r.add({"upsample_ref", "Upsample", "", supports, resize_ref});
}

}  // namespace n2d2::kernels
