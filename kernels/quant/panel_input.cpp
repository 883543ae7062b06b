// The activation layouts of the panel engine (panel.h), SSE2 (the x86-64 baseline): the stride
// phase split of a zero-padded input, the interleave of 4 channel rows (the in-place 1-D / 2-D
// layout) and the packing of gathered patch rows into [K4][kBlockPixels][4] blocks (3-D).
#include <emmintrin.h>

#include <cstring>

#include "kernels/parallel.h"
#include "kernels/quant/panel.h"

namespace n2d2::kernels::detail {

void panel_pack(int64_t K4, const uint8_t* const* rows, uint8_t xor_mask, uint8_t* block) {
  const __m128i x = _mm_set1_epi8(static_cast<char>(xor_mask));
  for (int64_t k = 0; k < K4; ++k) {
    const uint8_t* const* r = rows + 4 * k;
    uint8_t* out = block + k * (kBlockPixels * 4);
    for (int v = 0; v < kBlockPixels / 16; ++v) {
      __m128i r0 = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r[0] + v * 16)), x);
      __m128i r1 = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r[1] + v * 16)), x);
      __m128i r2 = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r[2] + v * 16)), x);
      __m128i r3 = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r[3] + v * 16)), x);
      __m128i a = _mm_unpacklo_epi8(r0, r1), b = _mm_unpackhi_epi8(r0, r1);
      __m128i c = _mm_unpacklo_epi8(r2, r3), d = _mm_unpackhi_epi8(r2, r3);
      __m128i* o = reinterpret_cast<__m128i*>(out + v * 64);
      _mm_storeu_si128(o + 0, _mm_unpacklo_epi16(a, c));
      _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(a, c));
      _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(b, d));
      _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(b, d));
    }
  }
}

// out[4 i + j] = rows[j][i] ^ xor_mask for i < n (a null row reads zeros).
void interleave4(const uint8_t* const* rows, int64_t n, uint8_t xor_mask, uint8_t* out) {
  alignas(16) static const uint8_t zeros[16] = {};
  const __m128i x = _mm_set1_epi8(static_cast<char>(xor_mask));
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i r[4];
    for (int j = 0; j < 4; ++j)
      r[j] = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[j] ? rows[j] + i : zeros)), x);
    __m128i a = _mm_unpacklo_epi8(r[0], r[1]), b = _mm_unpackhi_epi8(r[0], r[1]);
    __m128i c = _mm_unpacklo_epi8(r[2], r[3]), d = _mm_unpackhi_epi8(r[2], r[3]);
    __m128i* o = reinterpret_cast<__m128i*>(out + i * 4);
    _mm_storeu_si128(o + 0, _mm_unpacklo_epi16(a, c));
    _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(a, c));
    _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(b, d));
    _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(b, d));
  }
  for (; i < n; ++i)
    for (int j = 0; j < 4; ++j) out[i * 4 + j] = static_cast<uint8_t>((rows[j] ? rows[j][i] : 0) ^ xor_mask);
}

void phase_split(const uint8_t* xb, int64_t planes, const Spatial3& s, int64_t Hq, int64_t Wq, uint8_t* xq) {
  const int64_t sh = s.s[1], sw = s.s[2], HWq = Hq * Wq, PL = sh * sw * HWq;
  // Per phase column: the first input column of that phase and where it lands in the row.
  int64_t col0[2] = {0, 0}, pos0[2] = {0, 0};
  for (int64_t ph = 0; ph < sw && ph < 2; ++ph) {
    col0[ph] = ((ph - s.pb[2]) % sw + sw) % sw;
    pos0[ph] = (col0[ph] + s.pb[2]) / sw;
  }
  const int64_t W = s.in[2], H = s.in[1], pbh = s.pb[1], pbw = s.pb[2], in_size = s.in_size();
  uint8_t* const xqp = xq;
  parallel_for(planes, 8, [&, W, H, pbh, pbw, in_size, xqp](int64_t b, int64_t e) {
    for (int64_t nc = b; nc < e; ++nc)
      for (int64_t ih = 0, hp = pbh; ih < H; ++ih, ++hp) {
        const uint8_t* __restrict src = xb + nc * in_size + ih * W;
        uint8_t* __restrict dst = xqp + nc * PL + (hp % sh) * sw * HWq + (hp / sh) * Wq;
        if (sw == 1) {
          std::memcpy(dst + pbw, src, static_cast<std::size_t>(W));
        } else if (sw == 2) {  // even / odd columns, 32 at a time (SSE2), then the tail
          uint8_t* __restrict d0 = dst + (col0[0] == 0 ? 0 : HWq) + pos0[col0[0] == 0 ? 0 : 1];
          uint8_t* __restrict d1 = dst + (col0[0] == 0 ? HWq : 0) + pos0[col0[0] == 0 ? 1 : 0];
          const __m128i lo = _mm_set1_epi16(0x00ff);
          int64_t iw = 0;
          for (; iw + 32 <= W; iw += 32, d0 += 16, d1 += 16) {
            __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + iw));
            __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + iw + 16));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(d0), _mm_packus_epi16(_mm_and_si128(a, lo), _mm_and_si128(c, lo)));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(d1), _mm_packus_epi16(_mm_srli_epi16(a, 8), _mm_srli_epi16(c, 8)));
          }
          for (; iw < W; iw += 2) {
            *d0++ = src[iw];
            if (iw + 1 < W) *d1++ = src[iw + 1];
          }
        } else {
          for (int64_t ph = 0; ph < sw; ++ph) {  // the columns of phase ph: (iw + pad) % sw == ph
            int64_t iw = ((ph - pbw) % sw + sw) % sw;
            uint8_t* __restrict d = dst + ph * HWq + (iw + pbw) / sw;
            for (; iw < W; iw += sw) *d++ = src[iw];
          }
        }
      }
  });
}

}  // namespace n2d2::kernels::detail
