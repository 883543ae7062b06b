// Reference kernels of the ai.n2d2 integer ops: plain loops over every integer type, exact int64
// accumulation, the rounding and saturation of graph/ops/quant_semantics.h. These define what
// the fast kernels (x86.cpp), the exporters and the hardware model must reproduce.
#include "graph/ops/quant_ops.h"
#include "graph/ops/window.h"
#include "kernels/parallel.h"
#include "kernels/conv/conv.h"
#include "kernels/quant/quant_kernels.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace detail {

void qdot_u8s8_ref(int64_t M, int64_t P, int64_t Kp, const int8_t* A, const uint8_t* B, int32_t* C, int64_t ldm,
                   int64_t ldp) {
  for (int64_t m = 0; m < M; ++m)
    for (int64_t p = 0; p < P; ++p) {
      int32_t s = 0;
      for (int64_t k = 0; k < Kp; ++k) s += int32_t{A[m * Kp + k]} * int32_t{B[p * Kp + k]};
      C[m * ldm + p * ldp] = s;
    }
}

}  // namespace detail

namespace {

using graph::quant_storage_dtype;
namespace q = n2d2::quant;

// Calls f(T{}) for the integer types the ai.n2d2 ops read.
template <class F>
bool visit_int(DType t, F&& f) {
  switch (t) {
    case DType::I8: f(int8_t{}); return true;
    case DType::U8: f(uint8_t{}); return true;
    case DType::I16: f(int16_t{}); return true;
    case DType::U16: f(uint16_t{}); return true;
    case DType::I32: f(int32_t{}); return true;
    default: return false;
  }
}

// Writes v (already in range) into an integer output tensor of any of the storage types.
template <class F>
Status write_int(Tensor& y, F&& value_at) {
  bool ok = visit_int(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* yp = y.data_mut<T>();
    int64_t n = y.numel();
    parallel_for(n, 1 << 14, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) yp[i] = static_cast<T>(value_at(i));
    });
  });
  return ok ? Status::ok() : Status::error(std::string("unsupported output type ") + dtype_name(y.dtype()));
}

// Reads element i of an integer tensor as int64.
struct IntReader {
  const void* p;
  DType t;
  int64_t operator()(int64_t i) const {
    switch (t) {
      case DType::I8: return static_cast<const int8_t*>(p)[i];
      case DType::U8: return static_cast<const uint8_t*>(p)[i];
      case DType::I16: return static_cast<const int16_t*>(p)[i];
      case DType::U16: return static_cast<const uint16_t*>(p)[i];
      case DType::I32: return static_cast<const int32_t*>(p)[i];
      default: return 0;
    }
  }
};
IntReader reader(const Tensor& t) { return {t.raw(), t.dtype()}; }

Status quantize_ref(const KernelContext& c) {
  const float* x = c.in(0).data<float>();
  float scale = c.attrs().f("scale");
  int nb = static_cast<int>(c.attrs().i("nbbits"));
  bool sg = c.attrs().i("signed") != 0;
  return write_int(c.out(0), [&](int64_t i) { return q::quantize(x[i], scale, nb, sg); });
}

Status dequantize_ref(const KernelContext& c) {
  IntReader x = reader(c.in(0));
  float scale = c.attrs().f("scale");
  float* y = c.out(0).data_mut<float>();
  parallel_for(c.out(0).numel(), 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) y[i] = q::dequantize(x(i), scale);
  });
  return Status::ok();
}

Status requantize_ref(const KernelContext& c) {
  graph::RequantizeAttrs r = graph::requantize_attrs(c.node);
  IntReader x = reader(c.in(0));
  const Shape& s = c.in(0).shape();
  int64_t channels = static_cast<int64_t>(r.channels.size()), inner = 1;
  for (std::size_t i = 2; i < s.size(); ++i) inner *= s[i];
  return write_int(c.out(0), [&](int64_t i) {
    const q::RescaleParams& p = r.channels[channels == 1 ? 0 : (i / inner) % channels];
    return q::requantize(x(i), r.mode, p, r.nbbits, r.is_signed);
  });
}

Status qadd_ref(const KernelContext& c) {
  IntReader a = reader(c.in(0)), b = reader(c.in(1));
  int64_t ma = c.attrs().i("a_multiplier"), mb = c.attrs().i("b_multiplier");
  if (c.in(0).shape() != c.in(1).shape()) return Status::error("QAdd inputs differ in shape");
  int32_t* y = c.out(0).data_mut<int32_t>();
  parallel_for(c.out(0).numel(), 1 << 14, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) y[i] = q::saturate_i32(a(i) * ma + b(i) * mb);
  });
  return Status::ok();
}

Status qglobal_sum_pool_ref(const KernelContext& c) {
  IntReader x = reader(c.in(0));
  const Shape& s = c.in(0).shape();
  int64_t planes = s[0] * s[1], size = 1;
  for (std::size_t i = 2; i < s.size(); ++i) size *= s[i];
  int32_t* y = c.out(0).data_mut<int32_t>();
  parallel_for(planes, 16, [&](int64_t b, int64_t e) {
    for (int64_t pl = b; pl < e; ++pl) {
      int64_t sum = 0;
      for (int64_t i = 0; i < size; ++i) sum += x(pl * size + i);
      y[pl] = q::saturate_i32(sum);
    }
  });
  return Status::ok();
}

Status qconv_ref(const KernelContext& c) {
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  detail::ConvGeometry geo;
  if (!detail::conv_geometry(c, geo)) return Status::error("more than 3 spatial axes");
  const detail::Spatial3& s = geo.s;
  const int64_t N = geo.N, C = geo.C, M = geo.M, cin_g = geo.cin_g, cout_g = geo.cout_g;
  int64_t w_size = cin_g * s.k_size();
  IntReader xr = reader(x), wr = reader(w);
  const int32_t* bp = c.has_input(2) ? c.in(2).data<int32_t>() : nullptr;
  int32_t* yp = y.data_mut<int32_t>();
  parallel_for(N * M, 1, [&](int64_t b, int64_t e) {
    for (int64_t nm = b; nm < e; ++nm) {
      int64_t n = nm / M, m = nm % M, g = m / cout_g;
      int64_t xbase = (n * C + g * cin_g) * s.in_size(), wbase = m * w_size;
      int32_t* out = yp + nm * s.out_size();
      for (int64_t od = 0; od < s.out[0]; ++od)
        for (int64_t oh = 0; oh < s.out[1]; ++oh)
          for (int64_t ow = 0; ow < s.out[2]; ++ow) {
            int64_t acc = bp ? bp[m] : 0, wi = wbase;
            for (int64_t ic = 0; ic < cin_g; ++ic)
              for (int64_t kd = 0; kd < s.k[0]; ++kd)
                for (int64_t kh = 0; kh < s.k[1]; ++kh)
                  for (int64_t kw = 0; kw < s.k[2]; ++kw, ++wi) {
                    int64_t id = od * s.s[0] + kd * s.d[0] - s.pb[0];
                    int64_t ih = oh * s.s[1] + kh * s.d[1] - s.pb[1];
                    int64_t iw = ow * s.s[2] + kw * s.d[2] - s.pb[2];
                    if (id < 0 || id >= s.in[0] || ih < 0 || ih >= s.in[1] || iw < 0 || iw >= s.in[2]) continue;
                    acc += wr(wi) * xr(xbase + ic * s.in_size() + (id * s.in[1] + ih) * s.in[2] + iw);
                  }
            out[(od * s.out[1] + oh) * s.out[2] + ow] = q::saturate_i32(acc);
          }
    }
  });
  return Status::ok();
}

Status qgemm_ref(const KernelContext& c) {
  const Tensor &a = c.in(0), &w = c.in(1);
  int64_t M = a.dim(0), K = a.dim(1), N = w.dim(0);
  IntReader ar = reader(a), wr = reader(w);
  const int32_t* bp = c.has_input(2) ? c.in(2).data<int32_t>() : nullptr;
  int32_t* y = c.out(0).data_mut<int32_t>();
  parallel_for(M * N, 64, [&](int64_t lo, int64_t hi) {
    for (int64_t mn = lo; mn < hi; ++mn) {
      int64_t i = mn / N, n = mn % N, acc = bp ? bp[n] : 0;
      for (int64_t k = 0; k < K; ++k) acc += ar(i * K + k) * wr(n * K + k);
      y[mn] = q::saturate_i32(acc);
    }
  });
  return Status::ok();
}

// QConvRequantize (graph pass fuse_requantize): QConv into an int32 tensor, then Requantize.
Status qconv_requantize_ref(const KernelContext& c) {
  Tensor acc(DType::I32, c.out(0).shape());
  KernelContext conv{c.node, c.inputs, std::span<Tensor>(&acc, 1), nullptr};
  Status st = qconv_ref(conv);
  if (!st.is_ok()) return st;
  const Tensor* in[] = {&acc};
  KernelContext rq{c.node, std::span<const Tensor* const>(in, 1), c.outputs, nullptr};
  return requantize_ref(rq);
}

// QAddRequantize (graph pass fuse_requantize): QAdd into an int32 tensor, then Requantize.
Status qadd_requantize_ref(const KernelContext& c) {
  Tensor acc(DType::I32, c.out(0).shape());
  KernelContext add{c.node, c.inputs, std::span<Tensor>(&acc, 1), nullptr};
  Status st = qadd_ref(add);
  if (!st.is_ok()) return st;
  const Tensor* in[] = {&acc};
  KernelContext rq{c.node, std::span<const Tensor* const>(in, 1), c.outputs, nullptr};
  return requantize_ref(rq);
}

std::string conv_rank_supports(const KernelQuery& q) {
  if (q.input_types[0].rank_known && q.input_types[0].rank() > 5) return "more than 3 spatial axes";
  return "";
}

}  // namespace

void register_quant_ref_kernels(KernelRegistry& r) {
  const char* d = graph::kN2D2Domain;
  r.add({"quantize_ref", "Quantize", d, nullptr, quantize_ref});
  r.add({"dequantize_ref", "Dequantize", d, nullptr, dequantize_ref});
  r.add({"requantize_ref", "Requantize", d, nullptr, requantize_ref});
  r.add({"qadd_ref", "QAdd", d, nullptr, qadd_ref});
  r.add({"qadd_requantize_ref", "QAddRequantize", d, nullptr, qadd_requantize_ref});
  r.add({"qglobal_sum_pool_ref", "QGlobalSumPool", d, nullptr, qglobal_sum_pool_ref});
  r.add({"qconv_ref", "QConv", d, conv_rank_supports, qconv_ref});
  r.add({"qconv_requantize_ref", "QConvRequantize", d, conv_rank_supports, qconv_requantize_ref});
  r.add({"qgemm_ref", "QGemm", d, nullptr, qgemm_ref});
}

}  // namespace n2d2::kernels

namespace n2d2::kernels {

void register_quant_kernels(KernelRegistry& r) {
  register_maxpool_int8_kernels(r);
  register_qconv_panel_kernels(r);
  register_quant_eltwise_kernels(r);
  register_qglobal_sum_pool_kernels(r);
  register_quant_x86_kernels(r);
  register_requantize_kernels(r);
  register_quant_ref_kernels(r);
}

}  // namespace n2d2::kernels
