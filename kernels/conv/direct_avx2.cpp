// AVX2+FMA micro-kernels of the direct convolution (direct.cpp; compiled with -mavx2 -mfma and
// called only when max_isa() allows): a tile of up to 6 output positions x 16 output channels in
// 12 ymm accumulators, one input element broadcast per position and tap, the weights of 16
// channels loaded as two vectors; and the store that turns the tile's [position][channel] sums
// into NCHW rows through 8 x 8 transposes, with the epilogue on the way.
#include <immintrin.h>

#include "kernels/conv/micro.h"
#include "kernels/cpu/avx2_lanes.h"

namespace n2d2::kernels::detail {

namespace {

using avx2::tail_mask;

template <int NP, int NV>
void tile(int64_t kc, const float* w, const int64_t* off, const float* const* xp, float* c, bool accumulate) {
  __m256 acc[NP][NV];
#pragma GCC unroll 8
  for (int j = 0; j < NP; ++j)
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[j][v] = _mm256_setzero_ps();
  const float* x[NP];
#pragma GCC unroll 8
  for (int j = 0; j < NP; ++j) x[j] = xp[j];
  for (int64_t k = 0; k < kc; ++k, w += kDirectRows) {
    const int64_t o = off[k];
    __m256 wv[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) wv[v] = _mm256_loadu_ps(w + 8 * v);
#pragma GCC unroll 8
    for (int j = 0; j < NP; ++j) {
      const __m256 b = _mm256_broadcast_ss(x[j] + o);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) acc[j][v] = _mm256_fmadd_ps(b, wv[v], acc[j][v]);
    }
  }
  // Rows by compile-time index: the accumulators stay in registers.
#pragma GCC unroll 8
  for (int j = 0; j < NP; ++j)
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      float* p = c + j * kDirectRows + 8 * v;
      _mm256_storeu_ps(p, accumulate ? _mm256_add_ps(_mm256_loadu_ps(p), acc[j][v]) : acc[j][v]);
    }
}

template <int NV>
void tile_np(int64_t kc, const float* w, const int64_t* off, const float* const* xp, float* c, int np,
             bool accumulate) {
  switch (np) {
    case 6: return tile<6, NV>(kc, w, off, xp, c, accumulate);
    case 5: return tile<5, NV>(kc, w, off, xp, c, accumulate);
    case 4: return tile<4, NV>(kc, w, off, xp, c, accumulate);
    case 3: return tile<3, NV>(kc, w, off, xp, c, accumulate);
    case 2: return tile<2, NV>(kc, w, off, xp, c, accumulate);
    default: return tile<1, NV>(kc, w, off, xp, c, accumulate);
  }
}

// r[i] (position i's 8 channels) -> r[o] (channel o's 8 positions).
inline void transpose8(__m256 r[8]) {
  __m256 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
    r[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
  }
}

// y + bias, + residual, activation, as the packed tile's epilogue (avx2.cpp epilogue8).
inline __m256 epilogue(__m256 s, const MicroEpilogue& e, int o, int64_t j, int64_t n) {
  if (e.bias) s = _mm256_add_ps(s, _mm256_set1_ps(e.bias[o]));
  if (e.residual) {
    const float* p = e.residual + o * e.ldr + j;
    s = _mm256_add_ps(s, n >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, tail_mask(n)));
  }
  switch (e.act) {
    case 1: return _mm256_max_ps(s, _mm256_setzero_ps());
    case 2: return _mm256_min_ps(_mm256_set1_ps(e.beta), _mm256_max_ps(_mm256_set1_ps(e.alpha), s));
    case 3: return _mm256_blendv_ps(_mm256_mul_ps(_mm256_set1_ps(e.alpha), s), s, _mm256_cmp_ps(s, _mm256_setzero_ps(), _CMP_GE_OQ));
    default: return s;
  }
}

}  // namespace

void direct_tile_f32_avx2(int64_t kc, const float* w, const int64_t* off, const float* const* x, float* c, int np,
                          int nv, bool accumulate) {
  if (nv == 2)
    tile_np<2>(kc, w, off, x, c, np, accumulate);
  else
    tile_np<1>(kc, w, off, x, c, np, accumulate);
}

void direct_store_f32_avx2(const float* c, int64_t n, float* y, int64_t ldy, int rows, const MicroEpilogue& e) {
  for (int64_t j = 0; j < n; j += 8) {
    const int64_t cnt = n - j < 8 ? n - j : 8;
    for (int o0 = 0; o0 < rows; o0 += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; ++i)
        r[i] = i < cnt ? _mm256_loadu_ps(c + (j + i) * kDirectRows + o0) : _mm256_setzero_ps();
      transpose8(r);
      const int orows = rows - o0 < 8 ? rows - o0 : 8;
      for (int i = 0; i < orows; ++i) {
        const __m256 s = epilogue(r[i], e, o0 + i, j, cnt);
        float* dst = y + (o0 + i) * ldy + j;
        if (cnt == 8) {
          _mm256_storeu_ps(dst, s);
        } else {
          alignas(32) float tmp[8];
          _mm256_store_ps(tmp, s);
          for (int64_t l = 0; l < cnt; ++l) dst[l] = tmp[l];
        }
      }
    }
  }
}

}  // namespace n2d2::kernels::detail
