// The tensor family: shape manipulation, data movement, indexing and tensor makers. Each group of
// schemas lives in its own tensor_<group>.cpp; this file lists them and holds their shared helpers.
#include "graph/ops/ops.h"
#include "graph/ops/tensor_schemas.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

void register_tensor_ops(OpRegistry& r) {
  tensor_schemas::register_shape_ops(r);
  tensor_schemas::register_movement_ops(r);
  tensor_schemas::register_indexing_ops(r);
  tensor_schemas::register_maker_ops(r);
}

namespace tensor_schemas {

std::optional<std::vector<int64_t>> int_values(const InferContext& c, std::size_t i, const char* what) {
  const TensorType& t = c.input_type(i);
  if (!dtype_is_integer(t.dtype)) c.fail(what, " must be an integer tensor, got ", dtype_name(t.dtype));
  if (t.rank_known && t.rank() > 1) c.fail(what, " must be a scalar or a 1-D tensor, got ", t.str());
  const n2d2::Tensor* v = c.input_value(i);
  if (!v) return std::nullopt;
  return v->to_int64_vector();
}

std::optional<int64_t> int_scalar(const InferContext& c, std::size_t i, const char* what) {
  auto v = int_values(c, i, what);
  if (!v) return std::nullopt;
  if (v->size() != 1) c.fail(what, " must hold one value, got ", v->size());
  return v->front();
}

std::optional<std::size_t> known_length(const InferContext& c, std::size_t i) {
  const TensorType& t = c.input_type(i);
  if (!t.rank_known || t.rank() != 1 || t.dims[0] < 0) return std::nullopt;
  return static_cast<std::size_t>(t.dims[0]);
}

int64_t axis_attr(const InferContext& c, int64_t rank, const char* name) {
  int64_t axis = c.attrs().i(name);
  if (!normalize_axis(axis, rank)) c.fail(name, " ", c.attrs().i(name), " is out of range for rank ", rank);
  return axis;
}

}  // namespace tensor_schemas
}  // namespace n2d2::graph
