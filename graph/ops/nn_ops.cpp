// The nn family: Conv, ConvTranspose, Gemm, MatMul, pooling and normalization.
#include "graph/ops/nn_ops.h"

#include "graph/ops/ops.h"

namespace n2d2::graph {

void register_nn_ops(OpRegistry& r) {
  register_conv_ops(r);
  register_gemm_ops(r);
  register_matmul_ops(r);
  register_pool_ops(r);
  register_normalization_ops(r);
}

namespace detail {

AttrSpec float_attr(const char* name, float v) { return AttrSpec{name, AttrType::Float, AttrValue{v}}; }
AttrSpec int_attr(const char* name, int64_t v) { return AttrSpec{name, AttrType::Int, AttrValue{v}}; }
AttrSpec string_attr(const char* name, const char* v) { return AttrSpec{name, AttrType::String, AttrValue{std::string(v)}}; }
AttrSpec ints_attr(const char* name, std::vector<int64_t> v) { return AttrSpec{name, AttrType::Ints, AttrValue{std::move(v)}}; }
AttrSpec optional_attr(const char* name, AttrType t) { return AttrSpec{name, t, std::nullopt}; }
AttrSpec required_attr(const char* name, AttrType t) { return AttrSpec{name, t, std::nullopt, true}; }

void require_dtype(const InferContext& c, std::size_t i, std::initializer_list<DType> dtypes) {
  DType t = c.input_type(i).dtype;
  if (t == DType::Undefined) return;
  for (DType d : dtypes)
    if (d == t) return;
  std::string allowed;
  for (DType d : dtypes) allowed += std::string(allowed.empty() ? "" : ", ") + dtype_name(d);
  c.fail("input ", i, " has type ", dtype_name(t), ", expected one of ", allowed);
}

void require_float(const InferContext& c, std::size_t i) { require_dtype(c, i, {DType::F16, DType::F32, DType::F64}); }

std::vector<int64_t> kernel_shape(const InferContext& c, const std::vector<int64_t>& weight_dims) {
  if (!c.attrs().has("kernel_shape")) return weight_dims;
  const std::vector<int64_t>& k = c.attrs().ints("kernel_shape");
  for (int64_t v : k)
    if (v <= 0) c.fail("kernel_shape values must be positive");
  if (!weight_dims.empty()) {
    if (k.size() != weight_dims.size()) c.fail("kernel_shape has ", k.size(), " dims, W has ", weight_dims.size(), " spatial dims");
    for (std::size_t i = 0; i < k.size(); ++i)
      if (weight_dims[i] >= 0 && weight_dims[i] != k[i]) c.fail("kernel_shape disagrees with the spatial dims of W");
  }
  return k;
}

void require_spatial_rank(const InferContext& c, const TensorType& x, const char* what) {
  if (x.rank() < 3) c.fail(what, " ", x.str(), " must have rank >= 3 (N x C x D1 ...)");
}

}  // namespace detail

}  // namespace n2d2::graph
