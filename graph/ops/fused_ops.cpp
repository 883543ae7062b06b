// Fused ops of the ai.n2d2 domain, made by graph passes (graph/passes/fuse_conv_epilogue.cpp:
// fuse_conv_epilogue, fuse_gemm_epilogue), never by exporters.
//
// FusedConv (ai.n2d2, version 1): Y = act(Conv(X, W, B) + Z). Inputs X, W, optional B (as Conv),
// optional Z (the residual, of Y's shape); Conv's attributes plus `activation` ("" none, "Relu",
// "Clip", "LeakyRelu", "Sigmoid", "HardSwish") with `alpha` (Clip min, LeakyRelu slope) and
// `beta` (Clip max).
//
// FusedGemm (ai.n2d2, version 1): Y = act(alpha * op(A) * op(B) + beta * C). Inputs A, B,
// optional C (as Gemm-13); Gemm's attributes (alpha, beta, transA, transB) plus `activation`
// (as FusedConv) with `activation_alpha` (Clip min, LeakyRelu slope) and `activation_beta` (Clip
// max): Gemm's own alpha and beta keep their names.
#include <algorithm>
#include <iterator>

#include "graph/ops/nn_ops.h"
#include "graph/ops/ops.h"

namespace n2d2::graph {

namespace {

void check_activation(const InferContext& c) {
  static const char* const kActivations[] = {"", "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSwish"};
  const std::string act = c.attrs().s("activation");
  if (std::find(std::begin(kActivations), std::end(kActivations), act) == std::end(kActivations))
    c.fail("activation '", act, "' is not one of Relu, Clip, LeakyRelu, Sigmoid, HardSwish");
}

void register_fused_gemm(OpRegistry& r) {
  const OpSchema* gemm = r.find("Gemm", "", 13);
  if (!gemm) throw n2d2::Error("register_fused_ops: Gemm must be registered first");
  InferFn gemm_infer = gemm->infer;
  InferFn infer = [gemm_infer](const InferContext& c) {
    std::vector<TensorType> out = gemm_infer(c);
    check_activation(c);
    return out;
  };
  std::vector<AttrSpec> attrs = gemm->attrs;
  attrs.push_back(detail::string_attr("activation", ""));
  attrs.push_back(detail::float_attr("activation_alpha", 0.f));
  attrs.push_back(detail::float_attr("activation_beta", 0.f));
  r.add(OpSchema{"FusedGemm", "ai.n2d2", 1, 2, 3, 1, 1, attrs, infer, gemm->macs});
}

}  // namespace

void register_fused_ops(OpRegistry& r) {
  const OpSchema* conv = r.find("Conv", "", 11);
  if (!conv) throw n2d2::Error("register_fused_ops: Conv must be registered first");
  InferFn conv_infer = conv->infer;
  InferFn infer = [conv_infer](const InferContext& c) {
    std::vector<TensorType> out = conv_infer(c);
    check_activation(c);
    if (c.has_input(3)) {
      const TensorType& z = c.input_type(3);
      if (z.dtype != DType::Undefined && z.dtype != out[0].dtype)
        c.fail("Z has type ", dtype_name(z.dtype), ", Y ", dtype_name(out[0].dtype));
      if (z.rank_known && out[0].rank_known && z.fully_known() && out[0].fully_known() && z.dims != out[0].dims)
        c.fail("Z ", z.str(), " must have the shape of Y ", out[0].str());
    }
    return out;
  };
  std::vector<AttrSpec> attrs = conv->attrs;
  attrs.push_back(detail::string_attr("activation", ""));
  attrs.push_back(detail::float_attr("alpha", 0.f));
  attrs.push_back(detail::float_attr("beta", 0.f));
  r.add(OpSchema{"FusedConv", "ai.n2d2", 1, 2, 4, 1, 1, attrs, infer, conv->macs});
  register_fused_gemm(r);
}

}  // namespace n2d2::graph
