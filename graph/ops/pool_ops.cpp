// Pooling schemas: MaxPool (with the optional Indices output), AveragePool, LpPool and the global
// forms. Windows follow graph/ops/window.h.
#include "graph/ops/nn_ops.h"
#include "graph/ops/window.h"

namespace n2d2::graph {

namespace {

using namespace detail;

void check_type(const InferContext& c) {
  if (c.node().op_type == "MaxPool" && c.since_version() >= 12)
    require_dtype(c, 0, {DType::F16, DType::F32, DType::F64, DType::I8, DType::U8});
  else
    require_float(c, 0);
}

void check_p(const InferContext& c) {
  if (c.attrs().has("p") && c.attrs().i("p") <= 0) c.fail("p must be positive, got ", c.attrs().i("p"));
}

// Y and (MaxPool) Indices: N x C x output window dims.
std::vector<TensorType> pool(const InferContext& c) {
  check_type(c);
  check_p(c);
  const TensorType& x = c.input_type(0);
  int64_t order = c.attrs().i_or("storage_order", 0);
  if (order != 0 && order != 1) c.fail("storage_order must be 0 (row major) or 1 (column major), got ", order);
  if (!x.rank_known) return {TensorType::unknown_shape(x.dtype), TensorType::unknown_shape(DType::I64)};
  require_spatial_rank(c, x, "X");
  Window win = window_forward(c.node(), spatial_dims(x.dims), kernel_shape(c, {}), c.attrs().i_or("ceil_mode", 0) != 0);
  Shape out{x.dims[0], x.dims[1]};
  out.insert(out.end(), win.out.begin(), win.out.end());
  return {TensorType(x.dtype, out), TensorType(DType::I64, out)};
}

// N x C x 1 x ... x 1.
std::vector<TensorType> global_pool(const InferContext& c) {
  require_float(c, 0);
  check_p(c);
  const TensorType& x = c.input_type(0);
  if (!x.rank_known) return {TensorType::unknown_shape(x.dtype)};
  require_spatial_rank(c, x, "X");
  Shape out{x.dims[0], x.dims[1]};
  out.resize(x.rank(), 1);
  return {TensorType(x.dtype, out)};
}

}  // namespace

void register_pool_ops(OpRegistry& r) {
  const std::vector<AttrSpec> common = {string_attr("auto_pad", "NOTSET"), required_attr("kernel_shape", AttrType::Ints),
                                        optional_attr("pads", AttrType::Ints), optional_attr("strides", AttrType::Ints)};
  auto with = [&](std::vector<AttrSpec> extra) {
    std::vector<AttrSpec> a = common;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };

  r.add(OpSchema{"MaxPool", "", 1, 1, 1, 1, 1, common, pool, {}});
  r.add(OpSchema{"MaxPool", "", 8, 1, 1, 1, 2, with({int_attr("storage_order", 0)}), pool, {}});
  // 10: ceil_mode, dilations; 11: pads/auto_pad rules restated; 12: int8/uint8.
  for (int v : {10, 11, 12})
    r.add(OpSchema{"MaxPool", "", v, 1, 1, 1, 2,
                   with({int_attr("ceil_mode", 0), optional_attr("dilations", AttrType::Ints), int_attr("storage_order", 0)}),
                   pool, {}});

  r.add(OpSchema{"AveragePool", "", 1, 1, 1, 1, 1, common, pool, {}});
  r.add(OpSchema{"AveragePool", "", 7, 1, 1, 1, 1, with({int_attr("count_include_pad", 0)}), pool, {}});
  for (int v : {10, 11})
    r.add(OpSchema{"AveragePool", "", v, 1, 1, 1, 1, with({int_attr("ceil_mode", 0), int_attr("count_include_pad", 0)}), pool, {}});

  // LpPool-1 (p a float, kernel_shape optional) is not supported.
  for (int v : {2, 11}) r.add(OpSchema{"LpPool", "", v, 1, 1, 1, 1, with({int_attr("p", 2)}), pool, {}});

  for (const char* op : {"GlobalAveragePool", "GlobalMaxPool"}) r.add(OpSchema{op, "", 1, 1, 1, 1, 1, {}, global_pool, {}});
  r.add(OpSchema{"GlobalLpPool", "", 2, 1, 1, 1, 1, {int_attr("p", 2)}, global_pool, {}});
}

}  // namespace n2d2::graph
