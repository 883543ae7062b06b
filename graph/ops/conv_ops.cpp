// Conv and ConvTranspose schemas: output sizes from the window geometry (graph/ops/window.h).
#include "graph/ops/nn_ops.h"
#include "graph/ops/window.h"

namespace n2d2::graph {

namespace {

using namespace detail;

// X, W of the same floating type and rank >= 3; B (when present) 1-D of `out_channels` values.
void check_operands(const InferContext& c, const TensorType& x, const TensorType& w, int64_t out_channels) {
  require_spatial_rank(c, x, "X");
  if (w.rank() != x.rank()) c.fail("W ", w.str(), " must have the rank of X ", x.str());
  if (c.attrs().i("group") <= 0) c.fail("group must be positive, got ", c.attrs().i("group"));
  if (!c.has_input(2)) return;
  const TensorType& b = c.input_type(2);
  if (b.dtype != DType::Undefined && b.dtype != x.dtype) c.fail("B has type ", dtype_name(b.dtype), ", X ", dtype_name(x.dtype));
  if (b.rank_known && (b.rank() != 1 || (b.dims[0] >= 0 && out_channels >= 0 && b.dims[0] != out_channels)))
    c.fail("B ", b.str(), " must hold one value per output channel (", out_channels, ")");
}

void check_types(const InferContext& c) {
  require_float(c, 0);
  if (c.input_type(1).dtype != c.input_type(0).dtype && c.input_type(1).dtype != DType::Undefined &&
      c.input_type(0).dtype != DType::Undefined)
    c.fail("X and W have different types: ", dtype_name(c.input_type(0).dtype), ", ", dtype_name(c.input_type(1).dtype));
}

// W of Conv: M x C/group x k1 ... kn.
std::vector<TensorType> conv(const InferContext& c) {
  check_types(c);
  const TensorType &x = c.input_type(0), &w = c.input_type(1);
  if (!x.rank_known || !w.rank_known) return {TensorType::unknown_shape(x.dtype)};
  check_operands(c, x, w, w.dims[0]);
  int64_t group = c.attrs().i("group");
  if (x.dims[1] >= 0 && w.dims[1] >= 0 && x.dims[1] != w.dims[1] * group)
    c.fail("X ", x.str(), " has ", x.dims[1], " channels, W ", w.str(), " expects ", w.dims[1], " x group ", group);
  if (w.dims[0] >= 0 && w.dims[0] % group != 0) c.fail("output channels ", w.dims[0], " are not divisible by group ", group);
  Window win = window_forward(c.node(), spatial_dims(x.dims), kernel_shape(c, spatial_dims(w.dims)), false);
  Shape out{x.dims[0], w.dims[0]};
  out.insert(out.end(), win.out.begin(), win.out.end());
  return {TensorType(x.dtype, out)};
}

// Product of W's dims after the first: the MACs of one output element (Conv) or of one input
// element (ConvTranspose).
int64_t weight_fan(const TensorType& w) {
  int64_t r = 1;
  for (std::size_t i = 1; i < w.rank(); ++i) r *= w.dims[i];
  return r;
}

int64_t conv_macs(const InferContext& c, const std::vector<TensorType>& outs) {
  return shape_numel(outs[0].dims) * weight_fan(c.input_type(1));
}

// W of ConvTranspose: C x M/group x k1 ... kn.
std::vector<TensorType> conv_transpose(const InferContext& c) {
  check_types(c);
  const TensorType &x = c.input_type(0), &w = c.input_type(1);
  if (!x.rank_known || !w.rank_known) return {TensorType::unknown_shape(x.dtype)};
  int64_t group = c.attrs().i("group");
  int64_t m = w.dims[1] < 0 || group <= 0 ? kUnknownDim : w.dims[1] * group;
  check_operands(c, x, w, m);
  if (x.dims[1] >= 0 && w.dims[0] >= 0 && x.dims[1] != w.dims[0])
    c.fail("X ", x.str(), " has ", x.dims[1], " channels, W ", w.str(), " expects ", w.dims[0]);
  if (x.dims[1] >= 0 && x.dims[1] % group != 0) c.fail("input channels ", x.dims[1], " are not divisible by group ", group);
  Window win = window_transposed(c.node(), spatial_dims(x.dims), kernel_shape(c, spatial_dims(w.dims)));
  Shape out{x.dims[0], m};
  out.insert(out.end(), win.out.begin(), win.out.end());
  return {TensorType(x.dtype, out)};
}

int64_t conv_transpose_macs(const InferContext& c, const std::vector<TensorType>&) {
  return shape_numel(c.input_type(0).dims) * weight_fan(c.input_type(1));
}

}  // namespace

void register_conv_ops(OpRegistry& r) {
  std::vector<AttrSpec> attrs = {string_attr("auto_pad", "NOTSET"), optional_attr("dilations", AttrType::Ints),
                                 int_attr("group", 1), optional_attr("kernel_shape", AttrType::Ints),
                                 optional_attr("pads", AttrType::Ints), optional_attr("strides", AttrType::Ints)};
  // Version 11 of both ops only clarified the text (auto_pad, pads): one inference serves both.
  for (int v : {1, 11}) r.add(OpSchema{"Conv", "", v, 2, 3, 1, 1, attrs, conv, conv_macs});
  attrs.push_back(optional_attr("output_padding", AttrType::Ints));
  attrs.push_back(optional_attr("output_shape", AttrType::Ints));
  for (int v : {1, 11}) r.add(OpSchema{"ConvTranspose", "", v, 2, 3, 1, 1, attrs, conv_transpose, conv_transpose_macs});
}

}  // namespace n2d2::graph
