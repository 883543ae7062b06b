// Gemm schemas: Y = alpha * op(A) * op(B) + beta * C, C unidirectionally broadcast to [M, N].
#include "graph/ops/nn_ops.h"

namespace n2d2::graph {

namespace {

using namespace detail;

void check_types(const InferContext& c) {
  // float16/32/64 up to Gemm-7; Gemm-9 added 32/64-bit integers.
  for (std::size_t i = 0; i < c.num_inputs(); ++i) {
    if (!c.has_input(i)) continue;
    if (c.since_version() < 9) require_float(c, i);
    else require_dtype(c, i, {DType::F16, DType::F32, DType::F64, DType::I32, DType::I64, DType::U32, DType::U64});
    if (c.input_type(i).dtype != c.input_type(0).dtype && c.input_type(i).dtype != DType::Undefined &&
        c.input_type(0).dtype != DType::Undefined)
      c.fail("inputs 0 and ", i, " have different types");
  }
}

std::vector<TensorType> gemm(const InferContext& c) {
  check_types(c);
  const TensorType &a = c.input_type(0), &b = c.input_type(1);
  if (!a.rank_known || !b.rank_known) return {TensorType(a.dtype, {kUnknownDim, kUnknownDim})};
  if (a.rank() != 2 || b.rank() != 2) c.fail("A ", a.str(), " and B ", b.str(), " must be 2-D");
  bool ta = c.attrs().i("transA") != 0, tb = c.attrs().i("transB") != 0;
  int64_t m = a.dims[ta ? 1 : 0], ka = a.dims[ta ? 0 : 1];
  int64_t kb = b.dims[tb ? 1 : 0], n = b.dims[tb ? 0 : 1];
  if (ka >= 0 && kb >= 0 && ka != kb)
    c.fail("inner dimensions differ: A ", a.str(), (ta ? " (transposed)" : ""), ", B ", b.str(), (tb ? " (transposed)" : ""));
  if (c.has_input(2) && c.input_type(2).rank_known) {
    const Shape& cd = c.input_type(2).dims;
    const int64_t mn[2] = {m, n};
    if (cd.size() > 2) c.fail("C ", c.input_type(2).str(), " must have rank <= 2");
    for (std::size_t i = 0; i < cd.size(); ++i) {
      int64_t want = mn[2 - cd.size() + i];
      if (cd[i] >= 0 && cd[i] != 1 && want >= 0 && cd[i] != want)
        c.fail("C ", c.input_type(2).str(), " does not broadcast to [", m, "x", n, "]");
    }
  }
  return {TensorType(a.dtype, {m, n})};
}

int64_t gemm_macs(const InferContext& c, const std::vector<TensorType>& outs) {
  const TensorType& a = c.input_type(0);
  return shape_numel(outs[0].dims) * a.dims[c.attrs().i("transA") != 0 ? 0 : 1];
}

}  // namespace

void register_gemm_ops(OpRegistry& r) {
  std::vector<AttrSpec> attrs = {float_attr("alpha", 1.f), float_attr("beta", 1.f), int_attr("transA", 0), int_attr("transB", 0)};
  std::vector<AttrSpec> legacy = attrs;
  legacy.push_back(int_attr("broadcast", 0));  // C is broadcast whatever its value, as numpy would
  for (int v : {1, 6}) r.add(OpSchema{"Gemm", "", v, 3, 3, 1, 1, legacy, gemm, gemm_macs});
  for (int v : {7, 9}) r.add(OpSchema{"Gemm", "", v, 3, 3, 1, 1, attrs, gemm, gemm_macs});
  for (int v : {11, 13}) r.add(OpSchema{"Gemm", "", v, 2, 3, 1, 1, attrs, gemm, gemm_macs});  // C optional
}

}  // namespace n2d2::graph
