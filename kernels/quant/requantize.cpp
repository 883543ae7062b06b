// Requantize by channel plane: the parameters and the mode are resolved once per plane and the
// loop is typed (input int32/int16/..., output storage type), instead of the reference's
// per-element channel division and type switches. Same functions of quant_semantics.h, so the
// same bits (tests/kernels/quant_isa_test.cpp compares it with requantize_ref).
#include "graph/ops/quant_ops.h"
#include "kernels/parallel.h"
#include "kernels/quant/quant_kernels.h"

namespace n2d2::kernels {

namespace {

namespace q = n2d2::quant;

template <q::Rescaling M, class X, class Y>
void plane(const X* x, Y* y, int64_t n, const q::RescaleParams& p, int nb, bool sg) {
  int64_t lo = q::min_value(nb, sg), hi = q::max_value(nb, sg);
  for (int64_t i = 0; i < n; ++i) {
    int64_t v;
    if constexpr (M == q::Rescaling::FloatingPoint) v = q::rescale(x[i], M, p);
    else if constexpr (M == q::Rescaling::FixedPoint) v = q::shift_round(int64_t{x[i]} * p.multiplier, p.shift);
    else if constexpr (M == q::Rescaling::SingleShift) v = q::shift_round(x[i], p.shift);
    else v = q::shift_round(int64_t{x[i]} * (int64_t{1} << p.left) + x[i], p.shift);
    y[i] = static_cast<Y>(v < lo ? lo : v > hi ? hi : v);
  }
}

template <class X, class Y>
Status run_typed(const KernelContext& c, const graph::RequantizeAttrs& r) {
  const Shape& s = c.in(0).shape();
  int64_t channels = static_cast<int64_t>(r.channels.size()), inner = 1;
  for (std::size_t i = 2; i < s.size(); ++i) inner *= s[i];
  int64_t total = c.in(0).numel();
  // Planes of `inner` values share one channel; per tensor, cut the whole tensor into blocks.
  int64_t block = channels == 1 ? std::min<int64_t>(total, 1 << 14) : inner;
  if (block <= 0) return Status::ok();
  int64_t blocks = (total + block - 1) / block;
  const X* x = c.in(0).data<X>();
  Y* y = c.out(0).data_mut<Y>();
  parallel_for(blocks, std::max<int64_t>(1, (1 << 14) / block), [&](int64_t b, int64_t e) {
    for (int64_t k = b; k < e; ++k) {
      int64_t off = k * block, n = std::min(block, total - off);
      const q::RescaleParams& p = r.channels[channels == 1 ? 0 : k % channels];
      switch (r.mode) {
        case q::Rescaling::FloatingPoint: plane<q::Rescaling::FloatingPoint>(x + off, y + off, n, p, r.nbbits, r.is_signed); break;
        case q::Rescaling::FixedPoint: plane<q::Rescaling::FixedPoint>(x + off, y + off, n, p, r.nbbits, r.is_signed); break;
        case q::Rescaling::SingleShift: plane<q::Rescaling::SingleShift>(x + off, y + off, n, p, r.nbbits, r.is_signed); break;
        case q::Rescaling::DoubleShift: plane<q::Rescaling::DoubleShift>(x + off, y + off, n, p, r.nbbits, r.is_signed); break;
      }
    }
  });
  return Status::ok();
}

template <class X>
Status run_out(const KernelContext& c, const graph::RequantizeAttrs& r) {
  switch (c.out(0).dtype()) {
    case DType::U8: return run_typed<X, uint8_t>(c, r);
    case DType::I8: return run_typed<X, int8_t>(c, r);
    case DType::U16: return run_typed<X, uint16_t>(c, r);
    case DType::I16: return run_typed<X, int16_t>(c, r);
    default: return Status::error("unsupported output type ", dtype_name(c.out(0).dtype()));
  }
}

Status requantize_planes(const KernelContext& c) {
  graph::RequantizeAttrs r = graph::requantize_attrs(c.node);
  switch (c.in(0).dtype()) {
    case DType::I32: return run_out<int32_t>(c, r);
    case DType::I16: return run_out<int16_t>(c, r);
    case DType::U16: return run_out<uint16_t>(c, r);
    case DType::I8: return run_out<int8_t>(c, r);
    case DType::U8: return run_out<uint8_t>(c, r);
    default: return Status::error("unsupported input type ", dtype_name(c.in(0).dtype()));
  }
}

}  // namespace

void register_requantize_kernels(KernelRegistry& r) {
  r.add({"requantize_planes", "Requantize", graph::kN2D2Domain, nullptr, requantize_planes});
}

}  // namespace n2d2::kernels
