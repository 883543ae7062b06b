// Shape helpers shared by shape inference and kernels.
#pragma once

#include <string>
#include <vector>

#include "graph/tensor.h"

namespace n2d2::graph {

// Numpy-style multidirectional broadcasting. Unknown dims stay unknown unless the other side
// fixes them. Returns false (and leaves `out`) when the shapes are incompatible.
bool broadcast_shapes(const Shape& a, const Shape& b, Shape& out);

// Normalizes a possibly negative axis into [0, rank). Returns false when out of range.
bool normalize_axis(int64_t& axis, int64_t rank);

// Same for an axis that may also equal rank (insert positions: Unsqueeze).
bool normalize_axis_inclusive(int64_t& axis, int64_t rank);

}  // namespace n2d2::graph
