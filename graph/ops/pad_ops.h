// Shared by the Pad schema (pad_ops.cpp) and kernel (kernels/spatial/pad.cpp).
#pragma once

#include <vector>

#include "graph/op_registry.h"

namespace n2d2::graph {

enum class PadMode { Constant, Reflect, Edge };

// The node's `mode`. Throws n2d2::Error naming the node for a mode ONNX does not define.
PadMode pad_mode(const Node& n);

// True when the pads (and the constant value) are inputs: Pad-11 and later.
inline bool pads_from_input(const Node& n) { return n.since_version >= 11; }

// [x1_begin, x2_begin, ..., x1_end, x2_end] from the `pads` attribute (Pad-2) or `pads_input`
// (Pad-11+, whose value must be known). Negative amounts crop. Throws n2d2::Error naming the
// node for a count other than 2 * rank.
std::vector<int64_t> pad_amounts(const Node& n, int64_t rank, const n2d2::Tensor* pads_input);

// pad_ops.cpp: Pad-2, Pad-11, Pad-13.
void register_pad_ops(OpRegistry& r);

}  // namespace n2d2::graph
