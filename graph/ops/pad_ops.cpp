// Schema of Pad: the pads attribute and `value` (Pad-2), or the pads and constant_value inputs
// (Pad-11, Pad-13); modes constant, reflect and edge.
#include "graph/ops/pad_ops.h"


namespace n2d2::graph {

PadMode pad_mode(const Node& n) {
  const std::string& m = n.attrs.s("mode");
  if (m == "constant") return PadMode::Constant;
  if (m == "reflect") return PadMode::Reflect;
  if (m == "edge") return PadMode::Edge;
  fail("node ", n.label(), ": unknown mode '", m, "' (constant, reflect or edge)");
}

std::vector<int64_t> pad_amounts(const Node& n, int64_t rank, const n2d2::Tensor* pads_input) {
  std::vector<int64_t> pads = pads_from_input(n) ? pads_input->to_int64_vector() : n.attrs.ints("pads");
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    fail("node ", n.label(), ": pads has ", pads.size(), " values, ", 2 * rank, " expected for rank ", rank);
  return pads;
}

namespace {

void check_value_inputs(const InferContext& c, const TensorType& data) {
  const TensorType& pads = c.input_type(1);
  if (pads.dtype != DType::I64) c.fail("pads must be int64, got ", dtype_name(pads.dtype));
  if (pads.rank_known && pads.rank() != 1) c.fail("pads must be 1-D, got ", pads.str());
  if (pads.rank_known && data.rank_known && pads.dims[0] >= 0 && pads.dims[0] != 2 * static_cast<int64_t>(data.rank()))
    c.fail("pads has ", pads.dims[0], " values, ", 2 * data.rank(), " expected for rank ", data.rank());
  if (!c.has_input(2)) return;
  const TensorType& value = c.input_type(2);
  if (value.dtype != data.dtype)
    c.fail("constant_value has type ", dtype_name(value.dtype), ", data has ", dtype_name(data.dtype));
  if (value.fully_known() && shape_numel(value.dims) != 1) c.fail("constant_value must be a scalar, got ", value.str());
}

std::vector<TensorType> infer_pad(const InferContext& c) {
  const TensorType& in = c.input_type(0);
  const PadMode mode = pad_mode(c.node());
  if (pads_from_input(c.node())) check_value_inputs(c, in);
  if (!in.rank_known) return {TensorType::unknown_shape(in.dtype)};
  const auto rank = static_cast<int64_t>(in.rank());
  if (pads_from_input(c.node()) && !c.input_value(1)) return {TensorType(in.dtype, Shape(in.rank(), kUnknownDim))};
  const std::vector<int64_t> pads = pad_amounts(c.node(), rank, c.input_value(1));
  Shape out(in.rank(), kUnknownDim);
  for (int64_t i = 0; i < rank; ++i) {
    const int64_t d = in.dims[i];
    if (d < 0) continue;
    out[i] = d + pads[i] + pads[i + rank];
    if (out[i] < 0) c.fail("pads ", pads[i], " and ", pads[i + rank], " crop more than the ", d, " elements of axis ", i);
    if (mode != PadMode::Constant && d == 0 && out[i] > 0)
      c.fail("cannot ", c.attrs().s("mode"), "-pad axis ", i, ", which is empty");
  }
  return {TensorType(in.dtype, out)};
}

}  // namespace

void register_pad_ops(OpRegistry& r) {
  const AttrSpec mode{"mode", AttrType::String, AttrValue{std::string("constant")}};
  r.add(OpSchema{"Pad", "", 2, 1, 1, 1, 1,
                 {mode, AttrSpec{"pads", AttrType::Ints, std::nullopt, true}, AttrSpec{"value", AttrType::Float, AttrValue{0.f}}},
                 infer_pad, {}});
  // Pad-13 adds bfloat16, string and bool data to Pad-11.
  for (int v : {11, 13}) r.add(OpSchema{"Pad", "", v, 2, 3, 1, 1, {mode}, infer_pad, {}});
}

}  // namespace n2d2::graph
