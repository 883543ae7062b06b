// Requantize by channel plane: the parameters and the mode are resolved once per plane and the
// loop is typed (input int32/int16/..., output storage type), instead of the reference's
// per-element channel division and type switches. The same typed loops serve QAddRequantize and
// Quantize of 8-bit values where the AVX-512 kernels (qeltwise_avx512.cpp) are not allowed. Same functions of quant_semantics.h, so the
// same bits (tests/kernels/quant_isa_test.cpp compares it with requantize_ref).
#include "graph/ops/quant_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/parallel.h"
#include "kernels/quant/qadd_planes.h"
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

// QAddRequantize of 8-bit inputs by plane: a * ma + b * mb in int64 (saturated to int32 as the
// reference) into a stack buffer of int32, then the typed plane Requantize above.
template <class A, class B, class Y>
Status qadd_typed(const KernelContext& c, const graph::RequantizeAttrs& r) {
  const Shape& s = c.in(0).shape();
  int64_t channels = s.size() >= 2 ? s[1] : 1, planes = s.empty() ? 1 : s[0] * channels, inner = 1;
  for (std::size_t i = 2; i < s.size(); ++i) inner *= s[i];
  const int64_t ma = c.attrs().i("a_multiplier"), mb = c.attrs().i("b_multiplier");
  const A* a = c.in(0).data<A>();
  const B* b = c.in(1).data<B>();
  Y* y = c.out(0).data_mut<Y>();
  const bool per_channel = r.channels.size() > 1;
  parallel_for(planes, std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)), [&](int64_t lo, int64_t hi) {
    constexpr int64_t kChunk = 1024;
    int32_t acc[kChunk];
    for (int64_t pl = lo; pl < hi; ++pl) {
      const q::RescaleParams& p = r.channels[per_channel ? pl % channels : 0];
      for (int64_t off = pl * inner, end = off + inner; off < end; off += kChunk) {
        int64_t n = std::min(kChunk, end - off);
        for (int64_t i = 0; i < n; ++i) acc[i] = q::saturate_i32(int64_t{a[off + i]} * ma + int64_t{b[off + i]} * mb);
        switch (r.mode) {
          case q::Rescaling::FloatingPoint: plane<q::Rescaling::FloatingPoint>(acc, y + off, n, p, r.nbbits, r.is_signed); break;
          case q::Rescaling::FixedPoint: plane<q::Rescaling::FixedPoint>(acc, y + off, n, p, r.nbbits, r.is_signed); break;
          case q::Rescaling::SingleShift: plane<q::Rescaling::SingleShift>(acc, y + off, n, p, r.nbbits, r.is_signed); break;
          case q::Rescaling::DoubleShift: plane<q::Rescaling::DoubleShift>(acc, y + off, n, p, r.nbbits, r.is_signed); break;
        }
      }
    }
  });
  return Status::ok();
}

template <class A, class B>
Status qadd_out(const KernelContext& c, const graph::RequantizeAttrs& r) {
  return c.out(0).dtype() == DType::I8 ? qadd_typed<A, B, int8_t>(c, r) : qadd_typed<A, B, uint8_t>(c, r);
}

Status qadd_requantize_planes(const KernelContext& c) {
  if (c.in(0).shape() != c.in(1).shape()) return Status::error("QAddRequantize inputs differ in shape");
  graph::RequantizeAttrs r = graph::requantize_attrs(c.node);
  bool sa = c.in(0).dtype() == DType::I8, sb = c.in(1).dtype() == DType::I8;
  if (sa) return sb ? qadd_out<int8_t, int8_t>(c, r) : qadd_out<int8_t, uint8_t>(c, r);
  return sb ? qadd_out<uint8_t, int8_t>(c, r) : qadd_out<uint8_t, uint8_t>(c, r);
}

bool is8(DType t) { return t == DType::U8 || t == DType::I8; }

std::string qadd_planes_supports(const KernelQuery& q) {
  if (!is8(q.input_types[0].dtype) || !is8(q.input_types[1].dtype)) return "inputs are not 8-bit";
  return is8(q.output_types[0].dtype) ? "" : "output is not 8-bit";
}

// Quantize to 8 bits as a typed loop (quant_semantics.h's quantize per element).
template <class Y>
Status quantize_typed(const KernelContext& c) {
  const float* x = c.in(0).data<float>();
  const float scale = c.attrs().f("scale");
  const int nb = static_cast<int>(c.attrs().i("nbbits"));
  const bool sg = c.attrs().i("signed") != 0;
  Y* y = c.out(0).data_mut<Y>();
  parallel_for(c.in(0).numel(), 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) y[i] = static_cast<Y>(q::quantize(x[i], scale, nb, sg));
  });
  return Status::ok();
}

Status quantize_planes(const KernelContext& c) {
  return c.out(0).dtype() == DType::I8 ? quantize_typed<int8_t>(c) : quantize_typed<uint8_t>(c);
}

std::string quantize_planes_supports(const KernelQuery& q) {
  if (q.input_types[0].dtype != DType::F32) return "input is not float32";
  return is8(q.output_types[0].dtype) ? "" : "output is not 8-bit";
}

}  // namespace

namespace detail {

void qadd_planes(const KernelContext& c, QAddPlanes& p) {
  const Shape& s = c.in(0).shape();
  p.channels = s.size() >= 2 ? s[1] : 1;
  p.planes = s.empty() ? 1 : s[0] * p.channels;
  p.inner = 1;
  for (std::size_t i = 2; i < s.size(); ++i) p.inner *= s[i];
  panel_requantize_params(c.node, p.channels, p.d);
  p.per = p.d.params.size() == 1 ? 0 : 1;
  p.ma = c.attrs().i("a_multiplier");
  p.mb = c.attrs().i("b_multiplier");
}

uint8_t quantize_one(float x, float scale, int nbbits, bool is_signed) {
  return static_cast<uint8_t>(static_cast<int8_t>(q::quantize(x, scale, nbbits, is_signed)));
}

uint8_t QAddPlanes::scalar(int64_t a, int64_t b, int64_t m) const {
  const PanelEpilogue& e = d.e;
  return static_cast<uint8_t>(static_cast<int8_t>(q::requantize(a * ma + b * mb, e.mode, e.params[m], e.nbbits, e.is_signed)));
}

// Multipliers below 2^22 keep 8-bit a * ma + b * mb inside int32 (no saturation to apply).
constexpr int64_t kMaxAddMultiplier = int64_t{1} << 22;

std::string qadd_requantize_fast_supports(const KernelQuery& qr, Isa isa) {
  std::string r = require_isa(isa);
  if (!r.empty()) return r;
  if (!is8(qr.input_types[0].dtype) || !is8(qr.input_types[1].dtype)) return "inputs are not 8-bit";
  if (!is8(qr.output_types[0].dtype)) return "output is not 8-bit";
  if (qr.input_types[0].dims != qr.input_types[1].dims) return "inputs differ in shape";
  int64_t ma = qr.node.attrs.i("a_multiplier"), mb = qr.node.attrs.i("b_multiplier");
  if (ma <= -kMaxAddMultiplier || ma >= kMaxAddMultiplier || mb <= -kMaxAddMultiplier || mb >= kMaxAddMultiplier)
    return "a multiplier is 2^22 or more (int32 sums could saturate)";
  return "";
}

}  // namespace detail

void register_requantize_kernels(KernelRegistry& r) {
  r.add({"requantize_planes", "Requantize", graph::kN2D2Domain, nullptr, requantize_planes});
  r.add({"qadd_requantize_planes", "QAddRequantize", graph::kN2D2Domain, qadd_planes_supports, qadd_requantize_planes});
  r.add({"quantize_planes", "Quantize", graph::kN2D2Domain, quantize_planes_supports, quantize_planes});
}

}  // namespace n2d2::kernels
