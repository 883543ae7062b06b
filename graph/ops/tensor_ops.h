// Shared by the tensor-family schemas and kernels: how shape-like inputs and attributes resolve.
#pragma once

#include <optional>
#include <vector>

#include "graph/graph.h"

namespace n2d2::graph {

// Reshape's target shape (0 copies the input dim unless allowzero, -1 inferred). Throws on a bad
// shape. Unknown input dims give unknown output dims where they matter.
Shape reshape_target(const Node& n, const Shape& in, const std::vector<int64_t>& requested);

// Squeeze/Unsqueeze axes from the attribute (before opset 13) or the input (13+, nullptr when
// absent or unknown: `known` false). Returned normalized against `rank`.
std::optional<std::vector<int64_t>> squeeze_axes(const Node& n, const n2d2::Tensor* axes_input, bool axes_present,
                                                 int64_t rank);

// Slice parameters, per axis of the input: start, step and count after clamping.
struct SliceAxis {
  int64_t start = 0, step = 1, count = 0;
};
std::optional<std::vector<SliceAxis>> slice_params(const Node& n, const Shape& in, const n2d2::Tensor* starts,
                                                   const n2d2::Tensor* ends, const n2d2::Tensor* axes,
                                                   const n2d2::Tensor* steps, bool inputs_known);

// Split sizes along the axis (attribute before 13, input from 13, else equal parts).
std::optional<std::vector<int64_t>> split_sizes(const Node& n, int64_t dim, std::size_t num_outputs,
                                                const n2d2::Tensor* split_input, bool split_present);

}  // namespace n2d2::graph
