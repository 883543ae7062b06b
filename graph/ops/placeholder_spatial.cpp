// Placeholder: the spatial op family is empty until graph/ops/ defines register_spatial_ops(); delete this file then.
#include "graph/ops/ops.h"

namespace n2d2::graph {
void register_spatial_ops(OpRegistry&) {}
}  // namespace n2d2::graph
