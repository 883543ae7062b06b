// Reference Resize (opsets 10-13) and Upsample in n dimensions: per axis, each output coordinate
// reads a few input taps (nearest 1, linear 2, cubic 4; resize_taps.cpp); an output element is
// interpolated along axis 0 of interpolations along axis 1, ..., like the ONNX reference, in
// double. Integer outputs are rounded to nearest and saturated.
#include <algorithm>
#include <cmath>
#include <limits>

#include "graph/ops/resize_ops.h"
#include "kernels/parallel.h"
#include "kernels/spatial/resize_taps.h"
#include "kernels/spatial/spatial_kernels.h"

namespace n2d2::kernels {

namespace {

using detail::AxisTaps;

template <class T>
T to_element(double v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v != 0;
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else {
    if (std::isnan(v)) return T(0);
    v = std::round(v);
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  }
}

template <class T>
struct Interpolation {
  const T* x;
  const std::vector<AxisTaps>& axes;
  const std::vector<int64_t>& strides;

  // The interpolation over axes level.. of the output element at coordinates `idx`, reading
  // the input from `offset` on.
  double at(const int64_t* idx, std::size_t level, int64_t offset) const {
    if (level == axes.size()) return static_cast<double>(x[offset]);
    const AxisTaps& a = axes[level];
    double acc = 0;
    for (int64_t k = a.first[idx[level]]; k < a.first[idx[level] + 1]; ++k)
      acc += a.weight[k] * at(idx, level + 1, offset + a.index[k] * strides[level]);
    return acc;
  }
};

template <class T>
void interpolate(const Tensor& x, Tensor& y, const std::vector<AxisTaps>& axes, double extrapolation) {
  const Shape& out = y.shape();
  const std::size_t rank = out.size();
  const std::vector<int64_t> strides = shape_strides(x.shape());
  const Interpolation<T> interp{x.data<T>(), axes, strides};
  T* yp = y.data_mut<T>();
  parallel_for(y.numel(), 4096, [&](int64_t b, int64_t e) {
    std::vector<int64_t> idx(rank);  // coordinates of output element o, kept in step with o
    for (int64_t a = static_cast<int64_t>(rank) - 1, rem = b; a >= 0; --a) {
      idx[a] = rem % out[a];
      rem /= out[a];
    }
    for (int64_t o = b; o < e; ++o) {
      bool outside = false;
      for (std::size_t a = 0; a < rank; ++a) outside = outside || axes[a].outside[idx[a]];
      yp[o] = to_element<T>(outside ? extrapolation : interp.at(idx.data(), 0, 0));
      for (int64_t a = static_cast<int64_t>(rank) - 1; a >= 0; --a) {
        if (++idx[a] < out[a]) break;
        idx[a] = 0;
      }
    }
  });
}

Status resize_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  if (y.numel() == 0) return Status::ok();
  const graph::ResizeSettings s = graph::resize_settings(c.node);
  const graph::ResizeInputs pos = graph::resize_inputs(c.node);
  auto arg = [&](int i) {
    return i >= 0 && c.has_input(i) && c.in(i).numel() > 0 ? graph::ResizeArg{true, &c.in(i)} : graph::ResizeArg{};
  };
  const std::optional<graph::ResizeGeometry> g = graph::resize_geometry(c.node, x.shape(), arg(pos.scales), arg(pos.sizes));
  if (!g) return Status::error("no scales or sizes");
  const auto rank = static_cast<int64_t>(x.rank());
  std::vector<double> roi;
  if (s.transform == graph::CoordinateTransform::TfCropAndResize) roi = c.in(pos.roi).to_double_vector();
  std::vector<AxisTaps> axes;
  for (int64_t a = 0; a < rank; ++a)
    axes.push_back(detail::axis_taps(s, x.shape()[a], y.shape()[a], g->scales[a], roi.empty() ? 0.0 : roi[a],
                                     roi.empty() ? 1.0 : roi[a + rank]));
  visit_dtype(x.dtype(), [&](auto tag) { interpolate<decltype(tag)>(x, y, axes, s.extrapolation_value); });
  return Status::ok();
}

std::string supports(const KernelQuery& q) {
  const DType t = q.input_types.empty() ? DType::Undefined : q.input_types[0].dtype;
  if (!visit_dtype(t, [](auto) {})) return std::string("input 0 has unsupported type ") + dtype_name(t);
  return {};
}

}  // namespace

void register_spatial_resize(KernelRegistry& r) {
  r.add({"resize_ref", "Resize", "", supports, resize_ref});
  r.add({"upsample_ref", "Upsample", "", supports, resize_ref});
}

}  // namespace n2d2::kernels
