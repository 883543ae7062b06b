#include "graph/ops/window.h"

namespace n2d2::graph {

namespace {
std::vector<int64_t> ints_or_fill(const Node& n, const char* name, std::size_t rank, int64_t fill) {
  std::vector<int64_t> v = n.attrs.ints_or(name, {});
  if (v.empty()) v.assign(rank, fill);
  if (v.size() != rank) fail("node ", n.label(), ": ", name, " has ", v.size(), " values for ", rank, " spatial axes");
  return v;
}
}  // namespace

Window window_forward(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel, bool ceil_mode) {
  std::size_t r = in.size();
  Window w;
  w.kernel = kernel;
  if (kernel.size() != r) fail("node ", n.label(), ": kernel has ", kernel.size(), " dims for ", r, " spatial axes");
  w.strides = ints_or_fill(n, "strides", r, 1);
  w.dilations = ints_or_fill(n, "dilations", r, 1);
  std::string pad_mode = n.attrs.s_or("auto_pad", "NOTSET");
  std::vector<int64_t> pads = n.attrs.ints_or("pads", {});
  if (pads.empty()) pads.assign(2 * r, 0);
  if (pads.size() != 2 * r) fail("node ", n.label(), ": pads has ", pads.size(), " values for ", r, " spatial axes");
  w.pads_begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(r));
  w.pads_end.assign(pads.begin() + static_cast<std::ptrdiff_t>(r), pads.end());
  w.out.assign(r, kUnknownDim);
  for (std::size_t i = 0; i < r; ++i) {
    if (w.strides[i] <= 0 || w.dilations[i] <= 0 || kernel[i] <= 0)
      fail("node ", n.label(), ": kernel, strides and dilations must be positive");
    int64_t dk = (kernel[i] - 1) * w.dilations[i] + 1, s = w.strides[i];
    if (in[i] < 0) continue;
    if (pad_mode == "SAME_UPPER" || pad_mode == "SAME_LOWER") {
      w.out[i] = (in[i] + s - 1) / s;
      int64_t total = std::max<int64_t>(0, (w.out[i] - 1) * s + dk - in[i]);
      w.pads_begin[i] = pad_mode == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.pads_end[i] = total - w.pads_begin[i];
    } else if (pad_mode == "VALID") {
      w.pads_begin[i] = w.pads_end[i] = 0;
      w.out[i] = in[i] >= dk ? (in[i] - dk) / s + 1 : 0;
    } else if (pad_mode == "NOTSET") {
      int64_t span = in[i] + w.pads_begin[i] + w.pads_end[i] - dk;
      if (span < 0) fail("node ", n.label(), ": the window (", dk, ") is larger than the padded input (", span + dk, ")");
      w.out[i] = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
      // A last window starting in the end padding is dropped (as PyTorch and ONNX Runtime do).
      if (ceil_mode && (w.out[i] - 1) * s >= in[i] + w.pads_begin[i]) --w.out[i];
    } else {
      fail("node ", n.label(), ": unknown auto_pad '", pad_mode, "'");
    }
  }
  return w;
}

Window window_transposed(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel) {
  std::size_t r = in.size();
  Window w;
  w.kernel = kernel;
  w.strides = ints_or_fill(n, "strides", r, 1);
  w.dilations = ints_or_fill(n, "dilations", r, 1);
  std::vector<int64_t> out_pad = ints_or_fill(n, "output_padding", r, 0);
  std::vector<int64_t> out_shape = n.attrs.ints_or("output_shape", {});
  if (!out_shape.empty() && out_shape.size() > r) out_shape.erase(out_shape.begin(), out_shape.end() - static_cast<std::ptrdiff_t>(r));
  std::string pad_mode = n.attrs.s_or("auto_pad", "NOTSET");
  std::vector<int64_t> pads = n.attrs.ints_or("pads", {});
  if (pads.empty()) pads.assign(2 * r, 0);
  if (pads.size() != 2 * r) fail("node ", n.label(), ": pads has ", pads.size(), " values for ", r, " spatial axes");
  w.pads_begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(r));
  w.pads_end.assign(pads.begin() + static_cast<std::ptrdiff_t>(r), pads.end());
  w.out.assign(r, kUnknownDim);
  for (std::size_t i = 0; i < r; ++i) {
    if (in[i] < 0) continue;
    int64_t dk = (kernel[i] - 1) * w.dilations[i] + 1, s = w.strides[i];
    int64_t full = s * (in[i] - 1) + out_pad[i] + dk;  // output before removing pads
    if (!out_shape.empty()) {
      w.out[i] = out_shape[i];
      int64_t total = std::max<int64_t>(0, full - out_shape[i]);
      bool upper = pad_mode == "SAME_UPPER";
      w.pads_begin[i] = upper ? total / 2 : total - total / 2;
      w.pads_end[i] = total - w.pads_begin[i];
    } else if (pad_mode == "SAME_UPPER" || pad_mode == "SAME_LOWER") {
      w.out[i] = in[i] * s;
      int64_t total = std::max<int64_t>(0, full - w.out[i]);
      w.pads_begin[i] = pad_mode == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.pads_end[i] = total - w.pads_begin[i];
    } else {
      if (pad_mode == "VALID") w.pads_begin[i] = w.pads_end[i] = 0;
      w.out[i] = full - w.pads_begin[i] - w.pads_end[i];
    }
    if (w.out[i] < 0) fail("node ", n.label(), ": negative output size");
  }
  return w;
}

}  // namespace n2d2::graph
