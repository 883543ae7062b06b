// The explicit list of op families: adding a family means adding one line here.
#include "graph/ops/ops.h"

namespace n2d2::graph {

void register_builtin_ops(OpRegistry& r) {
  register_elementwise_ops(r);
  register_nn_ops(r);
  register_tensor_ops(r);
  register_reduce_ops(r);
  register_spatial_ops(r);
  register_quant_ops(r);
  register_fused_ops(r);
}

}  // namespace n2d2::graph
