// Shared by the spatial schemas and kernels: Pad's pads and Resize's scales/sizes.
#pragma once

#include <optional>
#include <vector>

#include "graph/graph.h"

namespace n2d2::graph {

// Pad: [x1_begin, x2_begin, ..., x1_end, x2_end] from the attribute (Pad-2) or the input
// (Pad-11+, nullptr when not known). nullopt when not known yet. Throws on a wrong length.
std::optional<std::vector<int64_t>> pad_amounts(const Node& n, int64_t rank, const n2d2::Tensor* pads_input);

// Resize/Upsample: per-axis scales and output dims. `scales`/`sizes` are the inputs when
// present (nullptr otherwise); nullopt when a needed value is not known yet.
struct ResizeGeometry {
  std::vector<double> scales;
  Shape out_dims;
};
std::optional<ResizeGeometry> resize_geometry(const Node& n, const Shape& in_dims, bool scales_present,
                                              const n2d2::Tensor* scales, bool sizes_present, const n2d2::Tensor* sizes);

}  // namespace n2d2::graph
