#include "graph/ops/window.h"

#include <algorithm>

namespace n2d2::graph {

namespace {

// A per-axis attribute (strides, dilations, output_padding): `fill` on every axis when absent.
std::vector<int64_t> per_axis(const Node& n, const char* name, std::size_t rank, int64_t fill) {
  std::vector<int64_t> v = n.attrs.ints_or(name, {});
  if (v.empty()) v.assign(rank, fill);
  if (v.size() != rank) fail("node ", n.label(), ": ", name, " has ", v.size(), " values for ", rank, " spatial axes");
  return v;
}

// The common part: kernel, strides, dilations and explicit pads, all checked.
Window window_attrs(const Node& n, std::size_t rank, const std::vector<int64_t>& kernel) {
  Window w;
  if (kernel.size() != rank) fail("node ", n.label(), ": kernel has ", kernel.size(), " dims for ", rank, " spatial axes");
  w.kernel = kernel;
  w.strides = per_axis(n, "strides", rank, 1);
  w.dilations = per_axis(n, "dilations", rank, 1);
  std::vector<int64_t> pads = per_axis(n, "pads", 2 * rank, 0);
  w.pads_begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(rank));
  w.pads_end.assign(pads.begin() + static_cast<std::ptrdiff_t>(rank), pads.end());
  for (std::size_t i = 0; i < rank; ++i) {
    if (w.strides[i] <= 0 || w.dilations[i] <= 0 || kernel[i] == 0)
      fail("node ", n.label(), ": kernel, strides and dilations must be positive");
    if (w.pads_begin[i] < 0 || w.pads_end[i] < 0) fail("node ", n.label(), ": pads must not be negative");
  }
  w.out.assign(rank, kUnknownDim);
  return w;
}

const std::string& auto_pad_mode(const Node& n) {
  static const std::string kNotSet = "NOTSET";
  const std::string& m = n.attrs.has("auto_pad") ? n.attrs.s("auto_pad") : kNotSet;
  if (m != "NOTSET" && m != "SAME_UPPER" && m != "SAME_LOWER" && m != "VALID")
    fail("node ", n.label(), ": unknown auto_pad '", m, "'");
  return m;
}

// Splits `total` padding of one axis: SAME_UPPER puts the odd one at the end, others at the start.
void split_pads(int64_t total, bool upper, int64_t& begin, int64_t& end) {
  total = std::max<int64_t>(0, total);
  begin = upper ? total / 2 : total - total / 2;
  end = total - begin;
}

}  // namespace

std::vector<int64_t> spatial_dims(const Shape& nc_shape) {
  return nc_shape.size() > 2 ? std::vector<int64_t>(nc_shape.begin() + 2, nc_shape.end()) : std::vector<int64_t>{};
}

Window window_forward(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel, bool ceil_mode) {
  Window w = window_attrs(n, in.size(), kernel);
  const std::string& mode = auto_pad_mode(n);
  for (std::size_t i = 0; i < in.size(); ++i) {
    int64_t s = w.strides[i];
    if (in[i] < 0) continue;
    if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
      w.out[i] = (in[i] + s - 1) / s;
      if (kernel[i] < 0) continue;
      int64_t dk = (kernel[i] - 1) * w.dilations[i] + 1;
      split_pads((w.out[i] - 1) * s + dk - in[i], mode == "SAME_UPPER", w.pads_begin[i], w.pads_end[i]);
      continue;
    }
    if (kernel[i] < 0) continue;
    int64_t dk = (kernel[i] - 1) * w.dilations[i] + 1;
    if (mode == "VALID") {
      w.pads_begin[i] = w.pads_end[i] = 0;
      w.out[i] = in[i] >= dk ? (in[i] - dk) / s + 1 : 0;
      continue;
    }
    int64_t span = in[i] + w.pads_begin[i] + w.pads_end[i] - dk;
    if (span < 0) fail("node ", n.label(), ": the window (", dk, ") is larger than the padded input (", span + dk, ")");
    w.out[i] = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
    // A last window starting in the end padding is dropped (as PyTorch and ONNX Runtime do).
    if (ceil_mode && (w.out[i] - 1) * s >= in[i] + w.pads_begin[i]) --w.out[i];
  }
  return w;
}

Window window_transposed(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel) {
  std::size_t r = in.size();
  Window w = window_attrs(n, r, kernel);
  const std::string& mode = auto_pad_mode(n);
  std::vector<int64_t> out_pad = per_axis(n, "output_padding", r, 0);
  for (int64_t p : out_pad)
    if (p < 0) fail("node ", n.label(), ": output_padding must not be negative");
  // output_shape may list the N and C dims too: keep the spatial ones.
  std::vector<int64_t> out_shape = n.attrs.ints_or("output_shape", {});
  if (out_shape.size() > r) out_shape.erase(out_shape.begin(), out_shape.end() - static_cast<std::ptrdiff_t>(r));
  if (!out_shape.empty() && out_shape.size() != r)
    fail("node ", n.label(), ": output_shape has ", out_shape.size(), " values for ", r, " spatial axes");
  for (std::size_t i = 0; i < r; ++i) {
    if (in[i] < 0 || kernel[i] < 0) continue;
    int64_t dk = (kernel[i] - 1) * w.dilations[i] + 1, s = w.strides[i];
    int64_t full = s * (in[i] - 1) + out_pad[i] + dk;  // the output before removing pads
    if (!out_shape.empty()) {
      w.out[i] = out_shape[i];
      split_pads(full - out_shape[i], mode == "SAME_UPPER", w.pads_begin[i], w.pads_end[i]);
    } else if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
      w.out[i] = in[i] * s;
      split_pads(full - w.out[i], mode == "SAME_UPPER", w.pads_begin[i], w.pads_end[i]);
    } else {
      if (mode == "VALID") w.pads_begin[i] = w.pads_end[i] = 0;
      w.out[i] = full - w.pads_begin[i] - w.pads_end[i];
    }
    if (w.out[i] < 0) fail("node ", n.label(), ": negative output size ", w.out[i], " on spatial axis ", i);
  }
  return w;
}

}  // namespace n2d2::graph
