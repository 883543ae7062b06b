// Resize's interpolation along one axis: for each output coordinate, the input elements (taps)
// it reads and their weights, following ONNX's coordinate_transformation_mode, nearest_mode
// and cubic_coeff_a/exclude_outside. An output element is the weighted sum over the product of
// its coordinates' taps.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/ops/resize_ops.h"

namespace n2d2::kernels::detail {

struct AxisTaps {
  // Taps of output coordinate x: index[k], weight[k] for k in [first[x], first[x + 1]). Taps of
  // weight 0 are left out; indices are clamped into the input (edge replication).
  std::vector<int64_t> first, index;
  std::vector<double> weight;
  // tf_crop_and_resize: the coordinate maps outside the input, the output is extrapolation_value.
  std::vector<bool> outside;
};

// `scale` is output length / input length as resize_geometry gives it; roi_start and roi_end
// (normalized) matter to tf_crop_and_resize only.
AxisTaps axis_taps(const graph::ResizeSettings& s, int64_t in_len, int64_t out_len, double scale, double roi_start,
                   double roi_end);

}  // namespace n2d2::kernels::detail
