// Schemas of Softmax, LogSoftmax and Hardmax. Before opset 13 they see the input as 2-D
// [prod(dims[:axis]), prod(dims[axis:])] (axis default 1); from 13 they work along `axis`
// alone (default -1). The output has the input's type either way.
#include "graph/ops/reduce_ops.h"

namespace n2d2::graph {

namespace {

std::vector<TensorType> infer_softmax(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  if (!dtype_is_float(in.dtype)) c.fail("input 0 has type ", dtype_name(in.dtype), ", a float type is required");
  if (in.rank_known) single_axis(c.node(), static_cast<int64_t>(in.rank()));
  return {in};
}

}  // namespace

void register_softmax_ops(OpRegistry& r) {
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax"}) {
    r.add(OpSchema{op, "", 1, 1, 1, 1, 1, {AttrSpec{"axis", AttrType::Int, AttrValue{int64_t{1}}}}, infer_softmax, {}});
    r.add(OpSchema{op, "", 13, 1, 1, 1, 1, {AttrSpec{"axis", AttrType::Int, AttrValue{int64_t{-1}}}}, infer_softmax, {}});
  }
}

}  // namespace n2d2::graph
