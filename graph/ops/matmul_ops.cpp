// MatMul schemas: numpy matmul (1-D operands promoted, batch dims broadcast).
#include "graph/ops/nn_ops.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

namespace {

using namespace detail;

std::vector<TensorType> matmul(const InferContext& c) {
  for (std::size_t i = 0; i < 2; ++i) {
    // float16/32/64 in MatMul-1; MatMul-9 added 32/64-bit integers.
    if (c.since_version() < 9) require_float(c, i);
    else require_dtype(c, i, {DType::F16, DType::F32, DType::F64, DType::I32, DType::I64, DType::U32, DType::U64});
  }
  const TensorType &a = c.input_type(0), &b = c.input_type(1);
  if (a.dtype != b.dtype && a.dtype != DType::Undefined && b.dtype != DType::Undefined)
    c.fail("A and B have different types: ", dtype_name(a.dtype), ", ", dtype_name(b.dtype));
  if (!a.rank_known || !b.rank_known) return {TensorType::unknown_shape(a.dtype)};
  if (a.rank() == 0 || b.rank() == 0) c.fail("MatMul needs inputs of rank >= 1, got A ", a.str(), ", B ", b.str());
  // A 1-D A is a row vector [1, K], a 1-D B a column [K, 1]; the added dim is dropped from Y.
  Shape sa = a.dims, sb = b.dims;
  if (sa.size() == 1) sa.insert(sa.begin(), 1);
  if (sb.size() == 1) sb.push_back(1);
  int64_t ka = sa.back(), kb = sb[sb.size() - 2];
  if (ka >= 0 && kb >= 0 && ka != kb) c.fail("inner dimensions differ: A ", a.str(), ", B ", b.str());
  Shape batch;
  if (!broadcast_shapes(Shape(sa.begin(), sa.end() - 2), Shape(sb.begin(), sb.end() - 2), batch))
    c.fail("batch dimensions do not broadcast: A ", a.str(), ", B ", b.str());
  Shape out = batch;
  if (a.rank() > 1) out.push_back(sa[sa.size() - 2]);
  if (b.rank() > 1) out.push_back(sb.back());
  return {TensorType(a.dtype, out)};
}

int64_t matmul_macs(const InferContext& c, const std::vector<TensorType>& outs) {
  return shape_numel(outs[0].dims) * c.input_type(0).dims.back();
}

}  // namespace

void register_matmul_ops(OpRegistry& r) {
  for (int v : {1, 9, 13}) r.add(OpSchema{"MatMul", "", v, 2, 2, 1, 1, {}, matmul, matmul_macs});
}

}  // namespace n2d2::graph
