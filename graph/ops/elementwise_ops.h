// Shared by the elementwise schemas and kernels.
#pragma once

#include "graph/graph.h"

namespace n2d2::graph {

// Arithmetic ops before opset 7 broadcast B into A only with broadcast=1, aligned at `axis`:
// returns B's shape padded with trailing 1s so that numpy broadcasting gives that result.
// PRelu before opset 7 aligns a per-channel slope at axis 1 the same way.
Shape legacy_broadcast_b(const Node& n, const Shape& a, const Shape& b);

}  // namespace n2d2::graph
