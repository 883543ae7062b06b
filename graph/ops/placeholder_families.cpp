// Empty op families: each is filled by its own file group (see graph/ops/ops.h) and this file
// loses the corresponding function when that happens.
#include "graph/ops/ops.h"

namespace n2d2::graph {
void register_elementwise_ops(OpRegistry&) {}
void register_nn_ops(OpRegistry&) {}
void register_tensor_ops(OpRegistry&) {}
void register_reduce_ops(OpRegistry&) {}
}  // namespace n2d2::graph
