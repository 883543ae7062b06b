// Shared by the Reduce* schemas and kernels: which axes a Reduce node reduces.
#pragma once

#include <optional>
#include <vector>

#include "graph/graph.h"

namespace n2d2::graph {

struct ReduceAxes {
  std::vector<int64_t> axes;  // sorted, unique, normalized; all axes when none are given
  bool noop = false;          // ReduceSum-13 with empty axes and noop_with_empty_axes
};

// From the `axes` attribute or (ReduceSum-13) the axes input `axes_value` (nullptr when that
// input is absent, `axes_known` false when present but not known yet: returns nullopt).
// Throws n2d2::Error naming the node for an axis out of range.
std::optional<ReduceAxes> reduce_axes(const Node& n, int64_t rank, bool axes_known, const n2d2::Tensor* axes_value);

}  // namespace n2d2::graph
