// Shared by the reduce family's schemas (reduce_ops.cpp, softmax_ops.cpp) and its kernels
// (kernels/reduce/): which axes a reduction runs over, and the family's per-file registrations.
#pragma once

#include <vector>

#include "graph/op_registry.h"

namespace n2d2::graph {

struct ReduceAxes {
  std::vector<int64_t> axes;  // sorted, unique, in [0, rank); every axis when none are given
  bool noop = false;          // ReduceSum-13 with empty axes and noop_with_empty_axes=1: y = x
};

// True for the Reduce* nodes whose axes come from their second input (ReduceSum-13) rather
// than from the `axes` attribute.
bool reduce_axes_from_input(const Node& n);

// The axes of a Reduce* node of input rank `rank`: from the attribute, or from `axes_input`
// (nullptr when that input is absent). Throws n2d2::Error naming the node for an axis out of
// range. Callers whose axes input is present but not known yet must not call it.
ReduceAxes reduce_axes(const Node& n, int64_t rank, const n2d2::Tensor* axes_input);

// The single axis of ArgMax, ArgMin, Softmax, LogSoftmax, Hardmax ("axis" attribute), normalized
// against `rank`. Throws n2d2::Error naming the node when out of range.
int64_t single_axis(const Node& n, int64_t rank);

// softmax_ops.cpp: Softmax, LogSoftmax, Hardmax.
void register_softmax_ops(OpRegistry& r);

}  // namespace n2d2::graph
