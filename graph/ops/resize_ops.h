// Shared by the Resize/Upsample schemas (resize_ops.cpp) and kernel (kernels/spatial/resize.cpp):
// the interpolation settings and the output geometry.
#pragma once

#include <optional>
#include <vector>

#include "graph/op_registry.h"

namespace n2d2::graph {

enum class ResizeMode { Nearest, Linear, Cubic };

enum class CoordinateTransform { HalfPixel, PytorchHalfPixel, AlignCorners, Asymmetric, TfHalfPixelForNn, TfCropAndResize };

// How `nearest` rounds an input coordinate. Legacy is Upsample's and Resize-10's, which have no
// nearest_mode: floor on an axis scaled up, ceil on an axis scaled down (as ONNX Runtime).
enum class NearestRounding { RoundPreferFloor, RoundPreferCeil, Floor, Ceil, Legacy };

struct ResizeSettings {
  ResizeMode mode = ResizeMode::Nearest;
  CoordinateTransform transform = CoordinateTransform::Asymmetric;
  NearestRounding rounding = NearestRounding::Legacy;
  double cubic_coeff_a = -0.75;
  bool exclude_outside = false;
  double extrapolation_value = 0;
};

// The node's settings: Resize-11+ attributes; Upsample and Resize-10 map asymmetrically with
// legacy rounding. Throws n2d2::Error naming the node for a name ONNX does not define.
ResizeSettings resize_settings(const Node& n);

// Input positions of roi, scales and sizes for the node's op and version (-1: no such input).
struct ResizeInputs {
  int roi = -1, scales = -1, sizes = -1;
};
ResizeInputs resize_inputs(const Node& n);

// Resize's scales or sizes input as shape inference or a kernel sees it: absent (or empty, which
// Resize-11+ uses for "not given"), given with a known value, or given with its value unknown.
struct ResizeArg {
  bool given = false;
  const n2d2::Tensor* value = nullptr;  // when given: nullptr until known
};

struct ResizeGeometry {
  std::vector<double> scales;  // per axis: output / input length (0 where the input dim is unknown)
  Shape out_dims;              // floor(in * scale), or the sizes
};

// The geometry for input dims `in` (unknown dims give unknown outputs) from Upsample-7's scales
// attribute, or from the one given of `scales` and `sizes`. nullopt while the value needed is
// unknown. Throws n2d2::Error naming the node when neither or both are given, for a count other
// than the rank, a non-positive scale (below 1 for Upsample) or a negative size.
std::optional<ResizeGeometry> resize_geometry(const Node& n, const Shape& in, const ResizeArg& scales,
                                              const ResizeArg& sizes);

// resize_ops.cpp: Upsample-7/9, Resize-10/11/13.
void register_resize_ops(OpRegistry& r);

}  // namespace n2d2::graph
