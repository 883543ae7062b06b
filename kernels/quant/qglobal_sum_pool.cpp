// QGlobalSumPool of uint8/int8 planes with SSE2 psadbw (the x86-64 baseline): 16 bytes summed
// exactly per instruction into 64-bit lanes; int8 planes are offset to uint8 (x ^ 0x80) and
// corrected by -128 per element. Exact, so the same int32 as qglobal_sum_pool_ref (saturated the
// same way). Registered before the reference.
#include <emmintrin.h>

#include "graph/ops/quant_ops.h"
#include "kernels/parallel.h"
#include "kernels/quant/quant_kernels.h"

namespace n2d2::kernels {

namespace {

int64_t plane_sum(const uint8_t* p, int64_t n, uint8_t xor_mask) {
  const __m128i x = _mm_set1_epi8(static_cast<char>(xor_mask)), zero = _mm_setzero_si128();
  __m128i acc = _mm_setzero_si128();
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), x), zero));
  int64_t s = _mm_cvtsi128_si64(acc) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
  for (; i < n; ++i) s += static_cast<uint8_t>(p[i] ^ xor_mask);
  return xor_mask ? s - 128 * n : s;
}

std::string supports(const KernelQuery& q) {
  DType t = q.input_types[0].dtype;
  if (t != DType::U8 && t != DType::I8) return std::string("input is ") + dtype_name(t) + ", not 8-bit";
  return q.input_types[0].rank_known && q.input_types[0].rank() >= 3 ? "" : "rank below 3";
}

Status qglobal_sum_pool_sse2(const KernelContext& c) {
  const Shape& s = c.in(0).shape();
  int64_t planes = s[0] * s[1], size = 1;
  for (std::size_t i = 2; i < s.size(); ++i) size *= s[i];
  const uint8_t* x = static_cast<const uint8_t*>(c.in(0).raw());
  const uint8_t mask = c.in(0).dtype() == DType::I8 ? 0x80 : 0;
  int32_t* y = c.out(0).data_mut<int32_t>();
  parallel_for(planes, 16, [&](int64_t b, int64_t e) {
    for (int64_t pl = b; pl < e; ++pl) y[pl] = quant::saturate_i32(plane_sum(x + pl * size, size, mask));
  });
  return Status::ok();
}

}  // namespace

void register_qglobal_sum_pool_kernels(KernelRegistry& r) {
  r.add({"qglobal_sum_pool_sse2", "QGlobalSumPool", graph::kN2D2Domain, supports, qglobal_sum_pool_sse2});
}

}  // namespace n2d2::kernels
