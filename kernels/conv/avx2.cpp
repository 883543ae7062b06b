// AVX2+FMA micro-kernels of the packed and depthwise convolutions (compiled with -mavx2 -mfma;
// called only when max_isa() allows). Packed tile: 4 rows x 24 columns in 12 ymm accumulators,
// masked column tails; B rows strided (packed patches, pointwise input).
#include <immintrin.h>

#include "kernels/conv/micro.h"
#include "kernels/cpu/avx2_lanes.h"

namespace n2d2::kernels::detail {

namespace {

using avx2::load_even;
using avx2::tail_mask;

// B row k of the packed patches / the pointwise input: b + k ldb.
struct StridedRows {
  const float* b;
  int64_t ldb;
  const float* operator()(int64_t k) const { return b + k * ldb; }
};
// Full: cols == 8 NV, every load and store a plain one (masked stores are slow on AMD cores).
// The epilogue on one vector of row r (columns 8 v ...): + bias, + residual, activation, with the
// scalar activate()'s results for NaN and signed zeros (operand orders of max/min chosen so).
template <bool Full>
inline __m256 epilogue8(__m256 s, const MicroEpilogue& e, int r, int v, int NV, __m256i last) {
  if (e.bias) s = _mm256_add_ps(s, _mm256_set1_ps(e.bias[r]));
  if (e.residual) {
    const float* p = e.residual + r * e.ldr + 8 * v;
    s = _mm256_add_ps(s, (Full || v < NV - 1) ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, last));
  }
  switch (e.act) {
    case 1: return _mm256_max_ps(s, _mm256_setzero_ps());  // v > 0 ? v : 0 (NaN: 0)
    case 2: return _mm256_min_ps(_mm256_set1_ps(e.beta), _mm256_max_ps(_mm256_set1_ps(e.alpha), s));  // NaN stays
    case 3: return _mm256_blendv_ps(_mm256_mul_ps(_mm256_set1_ps(e.alpha), s), s, _mm256_cmp_ps(s, _mm256_setzero_ps(), _CMP_GE_OQ));
    default: return s;
  }
}

template <int NV, bool Full, class Rows>
void micro(int64_t kc, const float* a, Rows brow, float* c, int64_t ldc, int rows, int cols, bool accumulate,
           const MicroEpilogue* ep = nullptr) {
  constexpr int MR = 4;
  __m256 acc[MR][NV];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_setzero_ps();
  // A partial last vector is a masked load: B may be the input itself (pointwise convolutions),
  // whose last row ends at the tensor's end.
  const __m256i last = tail_mask(cols - 8 * (NV - 1));
  for (int64_t k = 0; k < kc; ++k, a += MR) {
    const float* b = brow(k);
    __m256 bv[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV - 1; ++v) bv[v] = _mm256_loadu_ps(b + 8 * v);
    bv[NV - 1] = Full ? _mm256_loadu_ps(b + 8 * (NV - 1)) : _mm256_maskload_ps(b + 8 * (NV - 1), last);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      __m256 av = _mm256_broadcast_ss(a + r);
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  // Rows by compile-time index (fully unrolled): a runtime-indexed loop over `acc` makes the
  // compiler keep the accumulators in memory, storing all of them on every k step.
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    if (r >= rows) break;
    float* cr = c + r * ldc;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      __m256 s = acc[r][v];
      if (Full || v < NV - 1) {
        if (accumulate) s = _mm256_add_ps(_mm256_loadu_ps(cr + 8 * v), s);
        if (ep) s = epilogue8<true>(s, *ep, r, v, NV, last);
        _mm256_storeu_ps(cr + 8 * v, s);
      } else {
        if (accumulate) s = _mm256_add_ps(_mm256_maskload_ps(cr + 8 * v, last), s);
        if (ep) s = epilogue8<Full>(s, *ep, r, v, NV, last);
        _mm256_maskstore_ps(cr + 8 * v, last, s);
      }
    }
  }
}

template <class Rows>
void micro_cols(int64_t kc, const float* a, Rows brow, float* c, int64_t ldc, int rows, int cols, bool accumulate,
                const MicroEpilogue* ep = nullptr) {
  if (cols == 24)
    micro<3, true>(kc, a, brow, c, ldc, rows, cols, accumulate, ep);
  else if (cols > 16)
    micro<3, false>(kc, a, brow, c, ldc, rows, cols, accumulate, ep);
  else if (cols == 16)
    micro<2, true>(kc, a, brow, c, ldc, rows, cols, accumulate, ep);
  else if (cols > 8)
    micro<2, false>(kc, a, brow, c, ldc, rows, cols, accumulate, ep);
  else if (cols == 8)
    micro<1, true>(kc, a, brow, c, ldc, rows, cols, accumulate, ep);
  else
    micro<1, false>(kc, a, brow, c, ldc, rows, cols, accumulate, ep);
}

}  // namespace

void conv_micro_f32_avx2(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                         int cols, bool accumulate) {
  micro_cols(kc, a, StridedRows{b, ldb}, c, ldc, rows, cols, accumulate);
}

void conv_micro_ep_f32_avx2(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                            int cols, bool accumulate, const MicroEpilogue& e) {
  micro_cols(kc, a, StridedRows{b, ldb}, c, ldc, rows, cols, accumulate, &e);
}

namespace {

// The taps of one depthwise plane: T at compile time (weights held in registers), or T = 0 and
// `count` at run time.
template <int T>
struct DepthwiseTaps {
  static constexpr int kMax = T > 0 ? T : 1;
  int count;
  __m256 w[kMax];
  int64_t off[kMax];
  const float* wp;
  const int64_t* offp;
  DepthwiseTaps(const float* wts, const int64_t* tap_off, int taps) : count(T > 0 ? T : taps), wp(wts), offp(tap_off) {
    if constexpr (T > 0)
      for (int t = 0; t < T; ++t) w[t] = _mm256_set1_ps(wts[t]), off[t] = tap_off[t];
  }
  int size() const { return T > 0 ? T : count; }
  __m256 weight(int t) const {
    if constexpr (T > 0) return w[t];
    return _mm256_set1_ps(wp[t]);
  }
  int64_t offset(int t) const {
    if constexpr (T > 0) return off[t];
    return offp[t];
  }
};

// NV vectors of one depthwise row from output i (NV independent FMA chains over the taps, started
// from the bias), e applied before the store (e.residual: the row's). Masked: the last vector
// holds `last` outputs (1..8) and its loads and store are masked; else every vector is whole.
template <int NV, bool Masked, int T>
inline void depthwise_vectors(const float* x, const DepthwiseTaps<T>& taps, float* y, int64_t i, int64_t last,
                              const MicroEpilogue& e, __m256 init) {
  const __m256i m = tail_mask(Masked ? last : 8);
  __m256 acc[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) acc[v] = init;
  const float* xi = x + i;
#pragma GCC unroll 9
  for (int t = 0; t < taps.size(); ++t) {
    const __m256 wt = taps.weight(t);
    const float* p = xi + taps.offset(t);
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      const __m256 xv = (!Masked || v < NV - 1) ? _mm256_loadu_ps(p + 8 * v) : _mm256_maskload_ps(p + 8 * v, m);
      acc[v] = _mm256_fmadd_ps(wt, xv, acc[v]);
    }
  }
  MicroEpilogue er = e;
  if (er.residual) er.residual += i;
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    if (!Masked || v < NV - 1) {
      _mm256_storeu_ps(y + i + 8 * v, epilogue8<true>(acc[v], er, 0, v, NV, m));
    } else {
      _mm256_maskstore_ps(y + i + 8 * v, m, epilogue8<false>(acc[v], er, 0, v, NV, m));
    }
  }
}

template <int NV, int T>
inline void depthwise_tail(bool masked, const float* x, const DepthwiseTaps<T>& taps, float* y, int64_t i, int64_t last,
                           const MicroEpilogue& e, __m256 init) {
  if (masked)
    depthwise_vectors<NV, true>(x, taps, y, i, last, e, init);
  else
    depthwise_vectors<NV, false>(x, taps, y, i, last, e, init);
}

template <int T>
void depthwise_plane(const float* x, int64_t row_step, const DepthwiseTaps<T>& taps, float* y, int64_t rows, int64_t n,
                     float bias, const MicroEpilogue& e) {
  const __m256 init = _mm256_set1_ps(bias);
  MicroEpilogue er = e;
  for (int64_t r = 0; r < rows; ++r, x += row_step, y += n) {
    er.residual = e.residual ? e.residual + r * n : nullptr;
    // Four vectors at a time (four independent FMA chains over the taps), then the rest of the
    // row (1-4 vectors). The last vector is stored whole (over the next row's start, rewritten
    // later) unless this is the plane's last row or the vector would pass the plane's end.
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) depthwise_vectors<4, false>(x, taps, y, i, 8, er, init);
    const int64_t rest = n - i;
    if (rest <= 0) continue;
    const int64_t nv = (rest + 7) / 8, last = rest - 8 * (nv - 1);
    const bool masked = last < 8 && (r + 1 == rows || r * n + i + 8 * nv > rows * n);
    switch (nv) {
      case 1: depthwise_tail<1>(masked, x, taps, y, i, last, er, init); break;
      case 2: depthwise_tail<2>(masked, x, taps, y, i, last, er, init); break;
      case 3: depthwise_tail<3>(masked, x, taps, y, i, last, er, init); break;
      default: depthwise_tail<4>(masked, x, taps, y, i, last, er, init); break;
    }
  }
}

}  // namespace

void depthwise_plane_ep_f32_avx2(const float* x, int64_t row_step, const int64_t* tap_off, const float* w, int taps,
                                 float* y, int64_t rows, int64_t n, float bias, const MicroEpilogue& e) {
  if (taps == 9)
    depthwise_plane(x, row_step, DepthwiseTaps<9>(w, tap_off, taps), y, rows, n, bias, e);
  else
    depthwise_plane(x, row_step, DepthwiseTaps<0>(w, tap_off, taps), y, rows, n, bias, e);
}

void deinterleave2_f32_avx2(const float* src, int64_t n, float* even, float* odd) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16, even += 8, odd += 8) {
    const __m256 a = _mm256_loadu_ps(src + i), b = _mm256_loadu_ps(src + i + 8);
    // Per 128-bit lane: a0 a2 b0 b2 | a4 a6 b4 b6, then the 64-bit pairs reordered.
    const __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)), o = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
    _mm256_storeu_ps(even, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0))));
    _mm256_storeu_ps(odd, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(o), _MM_SHUFFLE(3, 1, 2, 0))));
  }
  for (; i < n; ++i) (i % 2 == 0 ? *even++ : *odd++) = src[i];
}

void pack_row_f32_avx2(const float* x, const PatchRun* runs, int nruns, float* dst, int nr) {
  // Full vectors by plain loads/stores (AVX2 masked stores are slow on some cores); a run's
  // remainder as its last 8 elements (rewriting some with the same values), or for runs shorter
  // than 8, a masked load and a plain store where 8 lanes fit in the row, else scalar code.
  int covered = 0;
  for (int r = 0; r < nruns; ++r) covered += runs[r].len;
  if (covered < nr) {  // padding columns: zeros first
    int j = 0;
    for (; j + 8 <= nr; j += 8) _mm256_storeu_ps(dst + j, _mm256_setzero_ps());
    for (; j < nr; ++j) dst[j] = 0.f;
  }
  for (int r = 0; r < nruns; ++r) {
    const PatchRun& run = runs[r];
    const float* src = x + run.src;
    float* d = dst + run.j0;
    const int64_t step = run.step;
    // 8 elements from run element i (fewer than 8 left: lanes < n, zeros past them).
    auto vec = [&](int i, int64_t n) {
      const float* p = src + i * step;
      if (step == 1) return n >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, tail_mask(n));
      if (step == 2) return load_even(p, n);
      const __m256i idx = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(static_cast<int>(step)));
      return _mm256_mask_i32gather_ps(_mm256_setzero_ps(), p, idx, _mm256_castsi256_ps(tail_mask(n)), 4);
    };
    int i = 0;
    for (; i + 8 <= run.len; i += 8) _mm256_storeu_ps(d + i, vec(i, 8));
    if (i == run.len) continue;
    if (run.len >= 8) {
      _mm256_storeu_ps(d + run.len - 8, vec(run.len - 8, 8));
    } else if (run.j0 + 8 <= nr) {
      // Zeros past the run: padding, or the start of the next run, written after this one (runs
      // come in column order).
      _mm256_storeu_ps(d, vec(0, run.len));
    } else {
      for (; i < run.len; ++i) d[i] = src[i * step];
    }
  }
}

}  // namespace n2d2::kernels::detail
