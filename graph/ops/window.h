// Sliding-window geometry shared by Conv, ConvTranspose and the pooling ops (schemas and
// kernels): kernel, strides, dilations, pads (after auto_pad) and output size per spatial axis.
#pragma once

#include <vector>

#include "graph/graph.h"

namespace n2d2::graph {

struct Window {
  std::vector<int64_t> kernel, strides, dilations, pads_begin, pads_end, out;
};

// Conv and pooling. `in` holds the spatial input dims (unknown ones give unknown outputs);
// `kernel` comes from the attribute or (Conv) the weight shape. ceil_mode as MaxPool/AveragePool.
Window window_forward(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel, bool ceil_mode);

// ConvTranspose: output_shape / output_padding / auto_pad rules.
Window window_transposed(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel);

}  // namespace n2d2::graph
