// AVX-512 (F/BW/VL) kernels of the element-wise integer ops: QAddRequantize (a * ma + b * mb in
// int32, then the Requantize of requant_avx512.h, per channel plane) and Quantize (float32 ->
// 8-bit: double division and rounding as quant_semantics.h). Compiled with -mavx512f -mavx512bw
// -mavx512vl, called only when require_isa(Isa::Avx512) allows (registration and supports() are in
// qeltwise.cpp, compiled without ISA flags: code here may use AVX-512 anywhere); bit-exact with the
// reference (tests/kernels/quant_panel_test.cpp).
#include <immintrin.h>

#include "graph/ops/quant_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/parallel.h"
#include "kernels/quant/qadd_planes.h"
#include "kernels/quant/quant_kernels.h"
#include "kernels/quant/requant_avx512.h"

namespace n2d2::kernels {

namespace {

namespace q = n2d2::quant;

template <class T>
__m512i widen16(const T* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  if constexpr (std::is_same_v<T, int8_t>) return _mm512_cvtepi8_epi32(v);
  else return _mm512_cvtepu8_epi32(v);
}

template <class A, class B>
Status qadd_requantize_typed(const KernelContext& c) {
  detail::QAddPlanes qp;
  detail::qadd_planes(c, qp);
  const detail::PanelEpilogue& e = qp.d.e;
  const __m512i ma = _mm512_set1_epi32(static_cast<int32_t>(qp.ma)), mb = _mm512_set1_epi32(static_cast<int32_t>(qp.mb));
  const A* a = c.in(0).data<A>();
  const B* b = c.in(1).data<B>();
  uint8_t* y = static_cast<uint8_t*>(c.out(0).raw_mut());
  const int64_t inner = qp.inner;
  parallel_for(qp.planes, std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)), [&](int64_t lo, int64_t hi) {
    for (int64_t pl = lo; pl < hi; ++pl) {
      int64_t m = qp.channel(pl), off = pl * inner, i = 0;
      for (; i + 16 <= inner; i += 16) {
        __m512i v = _mm512_add_epi32(_mm512_mullo_epi32(widen16(a + off + i), ma), _mm512_mullo_epi32(widen16(b + off + i), mb));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(y + off + i), detail::requantize16(v, e, m));
      }
      for (; i < inner; ++i) y[off + i] = qp.scalar(a[off + i], b[off + i], m);
    }
  });
  return Status::ok();
}

}  // namespace

namespace detail {

Status qadd_requantize_avx512(const KernelContext& c) {
  if (c.in(0).shape() != c.in(1).shape()) return Status::error("QAddRequantize inputs differ in shape");
  bool sa = c.in(0).dtype() == DType::I8, sb = c.in(1).dtype() == DType::I8;
  if (sa) return sb ? qadd_requantize_typed<int8_t, int8_t>(c) : qadd_requantize_typed<int8_t, uint8_t>(c);
  return sb ? qadd_requantize_typed<uint8_t, int8_t>(c) : qadd_requantize_typed<uint8_t, uint8_t>(c);
}

// q = sat(round_half_away(double(x) / double(scale))); NaN gives 0.
Status quantize_avx512(const KernelContext& c) {
  const float* x = c.in(0).data<float>();
  double scale = static_cast<double>(c.attrs().f("scale"));
  int nb = static_cast<int>(c.attrs().i("nbbits"));
  bool sg = c.attrs().i("signed") != 0;
  uint8_t* y = static_cast<uint8_t*>(c.out(0).raw_mut());
  const __m512d vs = _mm512_set1_pd(scale), lo = _mm512_set1_pd(static_cast<double>(q::min_value(nb, sg)));
  const __m512d hi = _mm512_set1_pd(static_cast<double>(q::max_value(nb, sg))), half = _mm512_set1_pd(0.5);
  int64_t n = c.in(0).numel();
  parallel_for(n, 1 << 14, [&](int64_t b, int64_t e) {
    int64_t i = b;
    for (; i + 8 <= e; i += 8) {
      __m512d v = _mm512_div_pd(_mm512_cvtps_pd(_mm256_loadu_ps(x + i)), vs);
      __mmask8 nan = _mm512_cmp_pd_mask(v, v, _CMP_UNORD_Q);
      v = _mm512_min_pd(_mm512_max_pd(v, lo), hi);
      __m512d a = _mm512_abs_pd(v), t = _mm512_roundscale_pd(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
      t = _mm512_mask_add_pd(t, _mm512_cmp_pd_mask(_mm512_sub_pd(a, t), half, _CMP_GE_OQ), t, _mm512_set1_pd(1.0));
      __m256i r = _mm512_cvttpd_epi32(t);
      r = _mm256_mask_sub_epi32(r, _mm512_cmp_pd_mask(v, _mm512_setzero_pd(), _CMP_LT_OQ), _mm256_setzero_si256(), r);
      r = _mm256_maskz_mov_epi32(static_cast<__mmask8>(~nan), r);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(y + i), _mm256_cvtepi32_epi8(r));
    }
    for (; i < e; ++i) y[i] = quantize_one(x[i], static_cast<float>(scale), nb, sg);
  });
  return Status::ok();
}

}  // namespace detail

}  // namespace n2d2::kernels
