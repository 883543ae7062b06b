// Schemas of the nn family: Conv, ConvTranspose, Gemm, MatMul, pooling and normalization.
#include "graph/ops/ops.h"
#include "graph/ops/window.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

namespace {

AttrSpec f_attr(const char* n, float v) { return AttrSpec{n, AttrType::Float, AttrValue{v}}; }
AttrSpec i_attr(const char* n, int64_t v) { return AttrSpec{n, AttrType::Int, AttrValue{v}}; }
AttrSpec s_attr(const char* n, const char* v) { return AttrSpec{n, AttrType::String, AttrValue{std::string(v)}}; }
AttrSpec opt(const char* n, AttrType t) { return AttrSpec{n, t, std::nullopt}; }

std::vector<int64_t> spatial(const TensorType& t) { return {t.dims.begin() + 2, t.dims.end()}; }

void require_float(const InferContext& c, std::size_t i) {
  DType t = c.input_type(i).dtype;
  if (t != DType::F32 && t != DType::F64 && t != DType::F16 && t != DType::Undefined)
    c.fail("input ", i, " must be a floating-point tensor, got ", dtype_name(t));
}

std::vector<TensorType> conv(const InferContext& c) {
  const TensorType &x = c.input_type(0), &w = c.input_type(1);
  require_float(c, 0);
  if (!x.rank_known || !w.rank_known) return {TensorType::unknown_shape(x.dtype)};
  if (x.rank() < 3 || w.rank() != x.rank()) c.fail("X ", x.str(), " and W ", w.str(), " must have the same rank >= 3");
  int64_t group = c.attrs().i("group");
  if (group <= 0) c.fail("group must be positive");
  if (x.dims[1] >= 0 && w.dims[1] >= 0 && x.dims[1] != w.dims[1] * group)
    c.fail("X has ", x.dims[1], " channels, W expects ", w.dims[1], " x group ", group);
  if (w.dims[0] >= 0 && w.dims[0] % group) c.fail("output channels ", w.dims[0], " not divisible by group ", group);
  if (c.has_input(2) && c.input_type(2).rank_known && (c.input_type(2).rank() != 1 || c.input_type(2).dims[0] != w.dims[0]))
    c.fail("bias must be 1-D of ", w.dims[0], " values");
  std::vector<int64_t> kernel = c.attrs().ints_or("kernel_shape", spatial(w));
  Window win = window_forward(c.node(), spatial(x), kernel, false);
  Shape out{x.dims[0], w.dims[0]};
  out.insert(out.end(), win.out.begin(), win.out.end());
  return {TensorType(x.dtype, out)};
}

int64_t conv_macs(const InferContext& c, const std::vector<TensorType>& outs) {
  const TensorType& w = c.input_type(1);
  int64_t per = 1;
  for (std::size_t i = 1; i < w.rank(); ++i) per *= w.dims[i];
  return shape_numel(outs[0].dims) * per;
}

std::vector<TensorType> conv_transpose(const InferContext& c) {
  const TensorType &x = c.input_type(0), &w = c.input_type(1);
  require_float(c, 0);
  if (!x.rank_known || !w.rank_known) return {TensorType::unknown_shape(x.dtype)};
  if (x.rank() < 3 || w.rank() != x.rank()) c.fail("X and W must have the same rank >= 3");
  int64_t group = c.attrs().i("group");
  if (x.dims[1] >= 0 && w.dims[0] >= 0 && x.dims[1] != w.dims[0]) c.fail("X has ", x.dims[1], " channels, W expects ", w.dims[0]);
  std::vector<int64_t> kernel = c.attrs().ints_or("kernel_shape", spatial(w));
  Window win = window_transposed(c.node(), spatial(x), kernel);
  Shape out{x.dims[0], w.dims[1] < 0 ? kUnknownDim : w.dims[1] * group};
  out.insert(out.end(), win.out.begin(), win.out.end());
  return {TensorType(x.dtype, out)};
}

int64_t conv_transpose_macs(const InferContext& c, const std::vector<TensorType>&) {
  const TensorType &x = c.input_type(0), &w = c.input_type(1);
  int64_t per = 1;
  for (std::size_t i = 1; i < w.rank(); ++i) per *= w.dims[i];
  return shape_numel(x.dims) * per;
}

std::vector<TensorType> gemm(const InferContext& c) {
  const TensorType &a = c.input_type(0), &b = c.input_type(1);
  if (!a.rank_known || !b.rank_known) return {TensorType(a.dtype, {kUnknownDim, kUnknownDim})};
  if (a.rank() != 2 || b.rank() != 2) c.fail("A ", a.str(), " and B ", b.str(), " must be 2-D");
  bool ta = c.attrs().i("transA") != 0, tb = c.attrs().i("transB") != 0;
  int64_t m = ta ? a.dims[1] : a.dims[0], ka = ta ? a.dims[0] : a.dims[1];
  int64_t kb = tb ? b.dims[1] : b.dims[0], n = tb ? b.dims[0] : b.dims[1];
  if (ka >= 0 && kb >= 0 && ka != kb) c.fail("inner dimensions differ: A ", a.str(), ", B ", b.str());
  if (c.has_input(2) && c.input_type(2).rank_known) {
    Shape bc;
    if (!broadcast_shapes({m < 0 ? 1 : m, n < 0 ? 1 : n}, c.input_type(2).dims, bc) || bc.size() > 2 ||
        (m >= 0 && n >= 0 && bc != Shape{m, n}))
      c.fail("C ", c.input_type(2).str(), " does not broadcast to [", m, "x", n, "]");
  }
  return {TensorType(a.dtype, {m, n})};
}

int64_t gemm_macs(const InferContext& c, const std::vector<TensorType>& outs) {
  const TensorType& a = c.input_type(0);
  int64_t k = c.attrs().i("transA") ? a.dims[0] : a.dims[1];
  return shape_numel(outs[0].dims) * k;
}

std::vector<TensorType> matmul(const InferContext& c) {
  const TensorType &a = c.input_type(0), &b = c.input_type(1);
  if (a.dtype != b.dtype) c.fail("A and B have different types");
  if (!a.rank_known || !b.rank_known) return {TensorType::unknown_shape(a.dtype)};
  if (a.rank() == 0 || b.rank() == 0) c.fail("MatMul needs inputs of rank >= 1");
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
  const TensorType& a = c.input_type(0);
  return shape_numel(outs[0].dims) * a.dims.back();
}

std::vector<TensorType> pool(const InferContext& c) {
  const TensorType& x = c.input_type(0);
  if (!x.rank_known) return {TensorType::unknown_shape(x.dtype), TensorType::unknown_shape(DType::I64)};
  if (x.rank() < 3) c.fail("input must have rank >= 3, got ", x.str());
  Window win = window_forward(c.node(), spatial(x), c.attrs().ints("kernel_shape"), c.attrs().i_or("ceil_mode", 0) != 0);
  Shape out{x.dims[0], x.dims[1]};
  out.insert(out.end(), win.out.begin(), win.out.end());
  return {TensorType(x.dtype, out), TensorType(DType::I64, out)};
}

std::vector<TensorType> global_pool(const InferContext& c) {
  const TensorType& x = c.input_type(0);
  if (!x.rank_known) return {TensorType::unknown_shape(x.dtype)};
  if (x.rank() < 3) c.fail("input must have rank >= 3, got ", x.str());
  Shape out{x.dims[0], x.dims[1]};
  out.resize(x.rank(), 1);
  return {TensorType(x.dtype, out)};
}

std::vector<TensorType> batch_norm(const InferContext& c) {
  const TensorType& x = c.input_type(0);
  for (std::size_t i = 1; i < 5; ++i) {
    const TensorType& p = c.input_type(i);
    if (x.rank_known && x.rank() >= 2 && p.rank_known && (p.rank() != 1 || (p.dims[0] >= 0 && x.dims[1] >= 0 && p.dims[0] != x.dims[1])))
      c.fail("input ", i, " ", p.str(), " must hold one value per channel of X ", x.str());
  }
  std::vector<TensorType> r{x};
  for (std::size_t i = 1; i < c.num_outputs(); ++i) r.push_back(c.input_type(3));
  return r;
}

std::vector<TensorType> same(const InferContext& c) { return {c.input_type(0)}; }

std::vector<TensorType> layer_norm(const InferContext& c) {
  const TensorType& x = c.input_type(0);
  if (!x.rank_known) return {x, TensorType::unknown_shape(x.dtype), TensorType::unknown_shape(x.dtype)};
  auto rank = static_cast<int64_t>(x.rank());
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, rank)) c.fail("axis ", c.attrs().i("axis"), " out of range for rank ", rank);
  Shape stat(x.dims.begin(), x.dims.begin() + axis);
  stat.resize(x.rank(), 1);
  return {x, TensorType(x.dtype, stat), TensorType(x.dtype, stat)};
}

}  // namespace

void register_nn_ops(OpRegistry& r) {
  std::vector<AttrSpec> conv_attrs = {s_attr("auto_pad", "NOTSET"), opt("dilations", AttrType::Ints), i_attr("group", 1),
                                      opt("kernel_shape", AttrType::Ints), opt("pads", AttrType::Ints), opt("strides", AttrType::Ints)};
  for (int v : {1, 11}) r.add(OpSchema{"Conv", "", v, 2, 3, 1, 1, conv_attrs, conv, conv_macs});
  std::vector<AttrSpec> convt_attrs = conv_attrs;
  convt_attrs.push_back(opt("output_padding", AttrType::Ints));
  convt_attrs.push_back(opt("output_shape", AttrType::Ints));
  for (int v : {1, 11}) r.add(OpSchema{"ConvTranspose", "", v, 2, 3, 1, 1, convt_attrs, conv_transpose, conv_transpose_macs});

  std::vector<AttrSpec> gemm_attrs = {f_attr("alpha", 1.f), f_attr("beta", 1.f), i_attr("transA", 0), i_attr("transB", 0)};
  std::vector<AttrSpec> gemm_legacy = gemm_attrs;
  gemm_legacy.push_back(i_attr("broadcast", 0));  // C broadcasts as numpy's would
  for (int v : {1, 6}) r.add(OpSchema{"Gemm", "", v, 3, 3, 1, 1, gemm_legacy, gemm, gemm_macs});
  for (int v : {7, 9}) r.add(OpSchema{"Gemm", "", v, 3, 3, 1, 1, gemm_attrs, gemm, gemm_macs});
  for (int v : {11, 13}) r.add(OpSchema{"Gemm", "", v, 2, 3, 1, 1, gemm_attrs, gemm, gemm_macs});
  for (int v : {1, 9, 13}) r.add(OpSchema{"MatMul", "", v, 2, 2, 1, 1, {}, matmul, matmul_macs});

  std::vector<AttrSpec> pool_attrs = {s_attr("auto_pad", "NOTSET"), AttrSpec{"kernel_shape", AttrType::Ints, std::nullopt, true},
                                      opt("pads", AttrType::Ints), opt("strides", AttrType::Ints)};
  std::vector<AttrSpec> max_attrs = pool_attrs;
  max_attrs.push_back(i_attr("ceil_mode", 0));
  max_attrs.push_back(opt("dilations", AttrType::Ints));
  max_attrs.push_back(i_attr("storage_order", 0));
  r.add(OpSchema{"MaxPool", "", 1, 1, 1, 1, 1, pool_attrs, pool, {}});
  for (int v : {8, 10, 11, 12}) r.add(OpSchema{"MaxPool", "", v, 1, 1, 1, 2, max_attrs, pool, {}});
  std::vector<AttrSpec> avg_attrs = pool_attrs;
  avg_attrs.push_back(i_attr("count_include_pad", 0));
  r.add(OpSchema{"AveragePool", "", 1, 1, 1, 1, 1, pool_attrs, pool, {}});
  r.add(OpSchema{"AveragePool", "", 7, 1, 1, 1, 1, avg_attrs, pool, {}});
  avg_attrs.push_back(i_attr("ceil_mode", 0));
  for (int v : {10, 11}) r.add(OpSchema{"AveragePool", "", v, 1, 1, 1, 1, avg_attrs, pool, {}});
  std::vector<AttrSpec> lp_attrs = pool_attrs;
  lp_attrs.push_back(i_attr("p", 2));
  for (int v : {2, 11}) r.add(OpSchema{"LpPool", "", v, 1, 1, 1, 1, lp_attrs, pool, {}});
  for (const char* op : {"GlobalAveragePool", "GlobalMaxPool"}) r.add(OpSchema{op, "", 1, 1, 1, 1, 1, {}, global_pool, {}});
  r.add(OpSchema{"GlobalLpPool", "", 2, 1, 1, 1, 1, {i_attr("p", 2)}, global_pool, {}});

  for (int v : {1, 6})
    r.add(OpSchema{"BatchNormalization", "", v, 5, 5, 1, 5,
                   {f_attr("epsilon", 1e-5f), i_attr("is_test", 0), f_attr("momentum", 0.9f), i_attr("spatial", 1)}, batch_norm, {}});
  r.add(OpSchema{"BatchNormalization", "", 7, 5, 5, 1, 5, {f_attr("epsilon", 1e-5f), f_attr("momentum", 0.9f), i_attr("spatial", 1)}, batch_norm, {}});
  r.add(OpSchema{"BatchNormalization", "", 9, 5, 5, 1, 5, {f_attr("epsilon", 1e-5f), f_attr("momentum", 0.9f)}, batch_norm, {}});
  for (int v : {14, 15})
    r.add(OpSchema{"BatchNormalization", "", v, 5, 5, 1, 3, {f_attr("epsilon", 1e-5f), f_attr("momentum", 0.9f), i_attr("training_mode", 0)}, batch_norm, {}});
  r.add(OpSchema{"InstanceNormalization", "", 6, 3, 3, 1, 1, {f_attr("epsilon", 1e-5f)}, same, {}});
  r.add(OpSchema{"LayerNormalization", "", 17, 2, 3, 1, 3, {i_attr("axis", -1), f_attr("epsilon", 1e-5f), i_attr("stash_type", 1)}, layer_norm, {}});
  for (int v : {1, 13})
    r.add(OpSchema{"LRN", "", v, 1, 1, 1, 1, {f_attr("alpha", 1e-4f), f_attr("beta", 0.75f), f_attr("bias", 1.f),
                                             AttrSpec{"size", AttrType::Int, std::nullopt, true}}, same, {}});
  for (int v : {9, 13})
    r.add(OpSchema{"MeanVarianceNormalization", "", v, 1, 1, 1, 1, {AttrSpec{"axes", AttrType::Ints, std::vector<int64_t>{0, 2, 3}}}, same, {}});
}

}  // namespace n2d2::graph
