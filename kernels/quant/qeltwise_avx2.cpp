// AVX2 QAddRequantize (a * ma + b * mb in int32, then the Requantize of requant_avx2.h, per
// channel plane) and Quantize (float32 -> 8 bits): the AVX2 twins of qeltwise_avx512.cpp's, for
// hosts without AVX-512. Compiled
// with -mavx2, called only when require_isa(Isa::Avx2) allows (registered by qeltwise.cpp); bit-exact
// with the reference (tests/kernels/quant_panel_test.cpp).
#include <immintrin.h>

#include <type_traits>

#include "graph/ops/quant_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/parallel.h"
#include "kernels/quant/qadd_planes.h"
#include "kernels/quant/quant_kernels.h"
#include "kernels/quant/requant_avx2.h"

namespace n2d2::kernels {

namespace {

template <class T>
__m256i widen8(const T* p) {
  __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  if constexpr (std::is_same_v<T, int8_t>) return _mm256_cvtepi8_epi32(v);
  else return _mm256_cvtepu8_epi32(v);
}

// 8 requantized int32 lanes (in the 8-bit range) -> 8 bytes at y.
inline void store_bytes8(__m256i r, bool is_signed, uint8_t* y) {
  __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
  w = is_signed ? _mm_packs_epi16(w, w) : _mm_packus_epi16(w, w);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(y), w);
}

template <class A, class B>
Status qadd_requantize_typed(const KernelContext& c) {
  detail::QAddPlanes qp;
  detail::qadd_planes(c, qp);
  const detail::PanelEpilogue& e = qp.d.e;
  const __m256i ma = _mm256_set1_epi32(static_cast<int32_t>(qp.ma)), mb = _mm256_set1_epi32(static_cast<int32_t>(qp.mb));
  const A* a = c.in(0).data<A>();
  const B* b = c.in(1).data<B>();
  uint8_t* y = static_cast<uint8_t*>(c.out(0).raw_mut());
  const int64_t inner = qp.inner;
  parallel_for(qp.planes, std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)), [&](int64_t lo, int64_t hi) {
    for (int64_t pl = lo; pl < hi; ++pl) {
      int64_t m = qp.channel(pl), off = pl * inner, i = 0;
      for (; i + 8 <= inner; i += 8) {
        __m256i v = _mm256_add_epi32(_mm256_mullo_epi32(widen8(a + off + i), ma), _mm256_mullo_epi32(widen8(b + off + i), mb));
        store_bytes8(detail::requantize8(v, e, m), e.is_signed, y + off + i);
      }
      for (; i < inner; ++i) y[off + i] = qp.scalar(a[off + i], b[off + i], m);
    }
  });
  return Status::ok();
}

}  // namespace

namespace detail {

// Quantize float32 -> 8 bits, as quantize_avx512 (qeltwise_avx512.cpp) on 2 x 4 doubles:
// q = sat(round_half_away(double(x) / double(scale))); NaN gives 0.
Status quantize_avx2(const KernelContext& c) {
  namespace q = n2d2::quant;
  const float* x = c.in(0).data<float>();
  double scale = static_cast<double>(c.attrs().f("scale"));
  int nb = static_cast<int>(c.attrs().i("nbbits"));
  bool sg = c.attrs().i("signed") != 0;
  uint8_t* y = static_cast<uint8_t*>(c.out(0).raw_mut());
  const __m256d vs = _mm256_set1_pd(scale), lo = _mm256_set1_pd(static_cast<double>(q::min_value(nb, sg)));
  const __m256d hi = _mm256_set1_pd(static_cast<double>(q::max_value(nb, sg))), half = _mm256_set1_pd(0.5);
  const __m256d one = _mm256_set1_pd(1.0), sign = _mm256_set1_pd(-0.0);
  auto four = [&](__m128 f) {
    __m256d v = _mm256_div_pd(_mm256_cvtps_pd(f), vs);
    __m256d nan = _mm256_cmp_pd(v, v, _CMP_UNORD_Q);
    v = _mm256_min_pd(_mm256_max_pd(v, lo), hi);
    __m256d a = _mm256_andnot_pd(sign, v), t = _mm256_round_pd(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    t = _mm256_add_pd(t, _mm256_and_pd(_mm256_cmp_pd(_mm256_sub_pd(a, t), half, _CMP_GE_OQ), one));
    t = _mm256_andnot_pd(nan, _mm256_or_pd(t, _mm256_and_pd(sign, v)));  // the sign back; NaN: 0
    return _mm256_cvttpd_epi32(t);
  };
  int64_t n = c.in(0).numel();
  parallel_for(n, 1 << 14, [&](int64_t b, int64_t e) {
    int64_t i = b;
    for (; i + 8 <= e; i += 8) {
      __m128i w = _mm_packs_epi32(four(_mm_loadu_ps(x + i)), four(_mm_loadu_ps(x + i + 4)));
      w = sg ? _mm_packs_epi16(w, w) : _mm_packus_epi16(w, w);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(y + i), w);
    }
    for (; i < e; ++i) y[i] = quantize_one(x[i], static_cast<float>(scale), nb, sg);
  });
  return Status::ok();
}

Status qadd_requantize_avx2(const KernelContext& c) {
  if (c.in(0).shape() != c.in(1).shape()) return Status::error("QAddRequantize inputs differ in shape");
  bool sa = c.in(0).dtype() == DType::I8, sb = c.in(1).dtype() == DType::I8;
  if (sa) return sb ? qadd_requantize_typed<int8_t, int8_t>(c) : qadd_requantize_typed<int8_t, uint8_t>(c);
  return sb ? qadd_requantize_typed<uint8_t, int8_t>(c) : qadd_requantize_typed<uint8_t, uint8_t>(c);
}

}  // namespace detail

}  // namespace n2d2::kernels
