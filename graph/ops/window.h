// Sliding-window geometry shared by Conv, ConvTranspose and the pooling ops (schemas and
// kernels): kernel, strides, dilations, pads (after auto_pad) and output size per spatial axis.
#pragma once

#include <vector>

#include "graph/graph.h"

namespace n2d2::graph {

struct Window {
  std::vector<int64_t> kernel, strides, dilations, pads_begin, pads_end, out;
};

// The spatial dims of an N x C x D1 x ... x Dn shape: D1 ... Dn.
std::vector<int64_t> spatial_dims(const Shape& nc_shape);

// Conv and pooling. `in` holds the spatial input dims and `kernel` comes from the attribute or
// (Conv) the weight shape; unknown ones (kUnknownDim) give unknown output dims. ceil_mode as
// MaxPool/AveragePool. Throws n2d2::Error naming the node for inconsistent attributes or a
// window larger than the padded input.
Window window_forward(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel, bool ceil_mode);

// ConvTranspose: output_shape / output_padding / auto_pad rules.
Window window_transposed(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel);

}  // namespace n2d2::graph
