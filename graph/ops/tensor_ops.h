// Shared by the tensor-family schemas (graph/ops/tensor_*.cpp) and kernels (kernels/tensor/):
// how the attributes and shape-like inputs of an op resolve. Each function throws n2d2::Error
// naming the node on a bad value; kernels call them only on inputs shape inference accepted.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "graph/graph.h"

namespace n2d2::graph {

// Transpose: the `perm` attribute normalized, or the reversed axes when absent.
std::vector<int64_t> transpose_perm(const Node& n, std::size_t rank);

// Slice: for every axis of the input, the first element, the step and the element count.
struct SliceAxis {
  int64_t start = 0, step = 1, count = 0;
};
// Slice-10+ inputs (nullptr: absent). Slice-1 reads its attributes instead.
struct SliceInputs {
  const n2d2::Tensor *starts = nullptr, *ends = nullptr, *axes = nullptr, *steps = nullptr;
};
// Starts and ends are clamped as ONNX specifies (INT64_MAX means "to the end"). An unknown input
// dim gives an unknown count on that axis.
std::vector<SliceAxis> slice_axes(const Node& n, const Shape& in, const SliceInputs& inputs);

// Split: the sizes of the parts along the axis of `dim` elements, from the `split` input
// (nullptr: absent) or, before opset 13, the `split` attribute; else equal parts.
std::vector<int64_t> split_sizes(const Node& n, int64_t dim, std::size_t num_outputs, const n2d2::Tensor* split);

// Constant: the value its attribute holds (value, value_float(s) or value_int(s)). Throws
// UnsupportedError for string and sparse values.
n2d2::Tensor constant_value(const Node& n);

// Shape-15: the range [first, second) of dims reported (start/end attributes, clamped).
std::pair<int64_t, int64_t> shape_range(const Node& n, int64_t rank);

}  // namespace n2d2::graph
