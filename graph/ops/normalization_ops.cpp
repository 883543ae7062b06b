// Normalization schemas: BatchNormalization (every signature from 1 to 15; the kernels run
// inference only), InstanceNormalization, LayerNormalization, LRN, MeanVarianceNormalization.
#include "graph/ops/nn_ops.h"
#include "graph/shape_utils.h"

namespace n2d2::graph {

namespace {

using namespace detail;

// Outputs: Y, then (training) running mean, running var and, before version 14, saved mean and
// saved var. Before version 9, spatial=0 gives per-activation statistics of shape C x D1 x ...
std::vector<TensorType> batch_norm(const InferContext& c) {
  const TensorType& x = c.input_type(0);
  for (std::size_t i = 0; i < 5; ++i) require_float(c, i);
  if (x.rank_known && x.rank() < 2) c.fail("X ", x.str(), " must have rank >= 2 (N x C x ...)");
  bool per_activation = c.attrs().i_or("spatial", 1) == 0;
  for (std::size_t i = 1; i < 5; ++i) {
    const TensorType& p = c.input_type(i);
    if (!x.rank_known || !p.rank_known) continue;
    Shape want = per_activation ? Shape(x.dims.begin() + 1, x.dims.end()) : Shape{x.dims[1]};
    bool ok = p.rank() == want.size();
    for (std::size_t d = 0; ok && d < want.size(); ++d) ok = p.dims[d] < 0 || want[d] < 0 || p.dims[d] == want[d];
    if (!ok) c.fail("input ", i, " ", p.str(), " must have shape ", shape_str(want), " (one value per channel of X ", x.str(), ")");
  }
  std::vector<TensorType> r{x, c.input_type(3), c.input_type(4)};
  for (int i = 0; i < 2; ++i) r.push_back(c.input_type(1));  // saved mean/var: per channel, X's type
  return r;
}

// Scale and B: one value per channel.
std::vector<TensorType> instance_norm(const InferContext& c) {
  for (std::size_t i = 0; i < 3; ++i) require_float(c, i);
  const TensorType& x = c.input_type(0);
  if (!x.rank_known) return {x};
  require_spatial_rank(c, x, "input");
  for (std::size_t i = 1; i < 3; ++i) {
    const TensorType& p = c.input_type(i);
    if (p.rank_known && (p.rank() != 1 || (p.dims[0] >= 0 && x.dims[1] >= 0 && p.dims[0] != x.dims[1])))
      c.fail("input ", i, " ", p.str(), " must hold one value per channel of ", x.str());
  }
  return {x};
}

// Y like X; Mean and InvStdDev of type stash_type, shape X.dims[:axis] followed by 1s. Scale and
// B broadcast to X.dims[axis:].
std::vector<TensorType> layer_norm(const InferContext& c) {
  for (std::size_t i = 0; i < c.num_inputs(); ++i)
    if (c.has_input(i)) require_float(c, i);
  DType stash = dtype_from_onnx_code(c.attrs().i("stash_type"));
  if (stash != DType::F32 && stash != DType::F64)
    c.fail_unsupported("stash_type ", c.attrs().i("stash_type"), " is not supported (float32 or float64 only)");
  const TensorType& x = c.input_type(0);
  if (!x.rank_known) return {x, TensorType::unknown_shape(stash), TensorType::unknown_shape(stash)};
  auto rank = static_cast<int64_t>(x.rank());
  int64_t axis = c.attrs().i("axis");
  if (!normalize_axis(axis, rank)) c.fail("axis ", c.attrs().i("axis"), " is out of range for X ", x.str());
  Shape normalized(x.dims.begin() + axis, x.dims.end());
  for (std::size_t i = 1; i < c.num_inputs(); ++i) {
    if (!c.has_input(i) || !c.input_type(i).rank_known) continue;
    Shape b;
    if (c.input_type(i).rank() > normalized.size() || !broadcast_shapes(normalized, c.input_type(i).dims, b) ||
        (shape_is_known(normalized) && b != normalized))
      c.fail("input ", i, " ", c.input_type(i).str(), " does not broadcast to the normalized dims ", shape_str(normalized));
  }
  Shape stat(x.dims.begin(), x.dims.begin() + axis);
  stat.resize(x.rank(), 1);
  return {x, TensorType(stash, stat), TensorType(stash, stat)};
}

std::vector<TensorType> lrn(const InferContext& c) {
  require_float(c, 0);
  if (c.attrs().i("size") <= 0) c.fail("size must be positive, got ", c.attrs().i("size"));
  const TensorType& x = c.input_type(0);
  if (x.rank_known && x.rank() < 2) c.fail("X ", x.str(), " must have rank >= 2 (N x C x ...)");
  return {x};
}

std::vector<TensorType> mvn(const InferContext& c) {
  require_float(c, 0);
  const TensorType& x = c.input_type(0);
  if (!x.rank_known) return {x};
  for (int64_t a : c.attrs().ints("axes"))
    if (!normalize_axis(a, static_cast<int64_t>(x.rank()))) c.fail("axis ", a, " is out of range for X ", x.str());
  return {x};
}

}  // namespace

void register_normalization_ops(OpRegistry& r) {
  AttrSpec eps = float_attr("epsilon", 1e-5f), momentum = float_attr("momentum", 0.9f);
  r.add(OpSchema{"BatchNormalization", "", 1, 5, 5, 1, 5,
                 {optional_attr("consumed_inputs", AttrType::Ints), eps, int_attr("is_test", 0), momentum, int_attr("spatial", 1)},
                 batch_norm, {}});
  r.add(OpSchema{"BatchNormalization", "", 6, 5, 5, 1, 5, {eps, int_attr("is_test", 0), momentum, int_attr("spatial", 1)}, batch_norm, {}});
  r.add(OpSchema{"BatchNormalization", "", 7, 5, 5, 1, 5, {eps, momentum, int_attr("spatial", 1)}, batch_norm, {}});
  r.add(OpSchema{"BatchNormalization", "", 9, 5, 5, 1, 5, {eps, momentum}, batch_norm, {}});
  // 14: training_mode, three outputs at most; 15: scale/B and mean/var may have their own types.
  for (int v : {14, 15}) r.add(OpSchema{"BatchNormalization", "", v, 5, 5, 1, 3, {eps, momentum, int_attr("training_mode", 0)}, batch_norm, {}});

  r.add(OpSchema{"InstanceNormalization", "", 1, 3, 3, 1, 1, {optional_attr("consumed_inputs", AttrType::Ints), eps}, instance_norm, {}});
  r.add(OpSchema{"InstanceNormalization", "", 6, 3, 3, 1, 1, {eps}, instance_norm, {}});
  r.add(OpSchema{"LayerNormalization", "", 17, 2, 3, 1, 3, {int_attr("axis", -1), eps, int_attr("stash_type", 1)}, layer_norm, {}});
  for (int v : {1, 13})
    r.add(OpSchema{"LRN", "", v, 1, 1, 1, 1,
                   {float_attr("alpha", 1e-4f), float_attr("beta", 0.75f), float_attr("bias", 1.f), required_attr("size", AttrType::Int)},
                   lrn, {}});
  for (int v : {9, 13})
    r.add(OpSchema{"MeanVarianceNormalization", "", v, 1, 1, 1, 1, {ints_attr("axes", {0, 2, 3})}, mvn, {}});
}

}  // namespace n2d2::graph
