// Reference Pad: constant, reflect and edge modes; negative pads crop. Every output element is
// copied from the input element its coordinates map to, or is the constant.
#include <algorithm>
#include <array>
#include <cstring>

#include "graph/ops/pad_ops.h"
#include "kernels/parallel.h"
#include "kernels/spatial/element_bytes.h"
#include "kernels/spatial/spatial_kernels.h"

namespace n2d2::kernels {

namespace {

using graph::PadMode;

// Input coordinate of output coordinate `o` on an axis of `n` elements padded by `begin` in
// front; -1 for the constant. Reflect repeats with period 2(n-1), as numpy's pad does for pads
// longer than the axis.
int64_t source_index(int64_t o, int64_t begin, int64_t n, PadMode mode) {
  const int64_t i = o - begin;
  if (i >= 0 && i < n) return i;
  if (mode == PadMode::Constant) return -1;
  if (mode == PadMode::Edge || n == 1) return i < 0 ? 0 : n - 1;
  const int64_t period = 2 * (n - 1);
  const int64_t r = ((i % period) + period) % period;
  return r < n ? r : period - r;
}

template <class E>
void pad_copy(const E* x, E* y, const Shape& in, const Shape& out, const std::vector<int64_t>& pads, PadMode mode, E fill) {
  const auto rank = static_cast<int64_t>(in.size());
  if (rank == 0) {
    y[0] = x[0];
    return;
  }
  const std::vector<int64_t> strides = shape_strides(in);
  const int64_t len = out[rank - 1], rows = shape_numel(out) / std::max<int64_t>(1, len);
  parallel_for(rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, len)), [&](int64_t b, int64_t e) {
    for (int64_t row = b; row < e; ++row) {
      // The input row this output row reads, unless some outer coordinate is in the constant.
      int64_t offset = 0, rem = row;
      bool constant = false;
      for (int64_t a = rank - 2; a >= 0; --a) {
        const int64_t s = source_index(rem % out[a], pads[a], in[a], mode);
        rem /= out[a];
        if (s < 0) constant = true;
        else offset += s * strides[a];
      }
      E* yr = y + row * len;
      for (int64_t j = 0; j < len; ++j) {
        const int64_t s = constant ? -1 : source_index(j, pads[rank - 1], in[rank - 1], mode);
        yr[j] = s < 0 ? fill : x[offset + s];
      }
    }
  });
}

// The constant's bytes in the data type: Pad-2's `value` attribute, else the constant_value
// input, else zero (all-zero bytes are zero in every type).
std::array<unsigned char, 8> constant_bytes(const KernelContext& c) {
  std::array<unsigned char, 8> bytes{};
  const Tensor& x = c.in(0);
  if (!graph::pads_from_input(c.node)) {
    const double value = c.attrs().f("value");
    visit_dtype(x.dtype(), [&](auto tag) {
      const auto v = static_cast<decltype(tag)>(value);
      std::memcpy(bytes.data(), &v, sizeof v);
    });
  } else if (c.has_input(2)) {
    std::memcpy(bytes.data(), c.in(2).raw(), dtype_size(x.dtype()));
  }
  return bytes;
}

Status pad_ref(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  if (y.numel() == 0) return Status::ok();
  const PadMode mode = graph::pad_mode(c.node);
  const std::vector<int64_t> pads =
      graph::pad_amounts(c.node, static_cast<int64_t>(x.rank()), c.has_input(1) ? &c.in(1) : nullptr);
  const std::array<unsigned char, 8> fill = constant_bytes(c);
  const bool ok = detail::visit_element_size(dtype_size(x.dtype()), [&](auto tag) {
    using E = decltype(tag);
    E f;
    std::memcpy(&f, fill.data(), sizeof f);
    pad_copy<E>(static_cast<const E*>(x.raw()), static_cast<E*>(y.raw_mut()), x.shape(), y.shape(), pads, mode, f);
  });
  return ok ? Status::ok() : Status::error("unsupported element size ", dtype_size(x.dtype()));
}

// Pad-2's `value` is converted to the data type, which needs a C++ type (not float16).
std::string supports(const KernelQuery& q) {
  const DType t = q.input_types.empty() ? DType::Undefined : q.input_types[0].dtype;
  if (!graph::pads_from_input(q.node) && !visit_dtype(t, [](auto) {})) return std::string("Pad-2 on ") + dtype_name(t);
  return {};
}

}  // namespace

void register_spatial_pad(KernelRegistry& r) { r.add({"pad_ref", "Pad", "", supports, pad_ref}); }

}  // namespace n2d2::kernels
