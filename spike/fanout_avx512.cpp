// The AVX-512 fan-out of spike/fanout.h: 16 float lanes, masked tail (compiled with
// -mavx512f -mavx512bw -mavx512vl).
//
// Emission without branches: spikes are rare and at random lanes, so a branch per vector or
// per spike mispredicts. Each vector's fire mask compresses the 16 lanes' emission keys
// (two 8 x uint64 registers, register-form vpcompressq: the memory form is slow on Zen 4)
// and stores all 8 of each half; the count advances by the popcount. The stores may write up
// to 8 keys past the count, inside the capacity fanout.h asks of `out`.
#include "spike/fanout.h"

#include <immintrin.h>

namespace n2d2::spike::detail {
namespace {

template <bool Negate>
inline __m512 step(__m512 a, __m512 b) {
    return Negate ? _mm512_sub_ps(a, b) : _mm512_add_ps(a, b);
}

inline __mmask16 lanes(std::uint32_t left) {
    return left >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << left) - 1u);
}

// Lane i of the low half: i << 32 (added to a key, it names neuron + i).
inline __m512i lane_offsets() { return _mm512_slli_epi64(_mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0), 32); }

// One vector: v[0..16) += w (masked by m), threshold, emission keys of neurons key0 >> 32 ...
// written compressed to out. Returns the number of spikes.
template <bool Negate, bool Bipolar, bool Sparse>
inline std::uint32_t vec16(float* v, const float* w, __mmask16 m, __m512 vth, __m512 vnth,
                           __m512i key_lo, __m512i eight, std::uint64_t* out) {
    __m512 a = step<Negate>(_mm512_maskz_loadu_ps(m, v), _mm512_maskz_loadu_ps(m, w));
    const __mmask16 ge = _mm512_mask_cmp_ps_mask(m, a, vth, _CMP_GE_OQ);
    __mmask16 fired = ge;
    if (Bipolar) {
        const __mmask16 le = _mm512_mask_cmp_ps_mask(__mmask16(m & ~ge), a, vnth, _CMP_LE_OQ);
        a = _mm512_mask_add_ps(a, le, a, vth);
        fired = __mmask16(fired | le);
        const __m512i one = _mm512_set1_epi64(1);
        const __m512i key_hi = _mm512_mask_or_epi64(_mm512_add_epi64(key_lo, eight), __mmask8(le >> 8),
                                                    _mm512_add_epi64(key_lo, eight), one);
        key_lo = _mm512_mask_or_epi64(key_lo, __mmask8(le), key_lo, one);
        a = _mm512_mask_sub_ps(a, ge, a, vth);
        _mm512_mask_storeu_ps(v, m, a);
        if (Sparse && fired == 0) return 0;
        const __mmask8 lo = __mmask8(fired), hi = __mmask8(fired >> 8);
        _mm512_storeu_si512(out, _mm512_maskz_compress_epi64(lo, key_lo));
        const std::uint32_t k = std::uint32_t(__builtin_popcount(lo));
        _mm512_storeu_si512(out + k, _mm512_maskz_compress_epi64(hi, key_hi));
        return k + std::uint32_t(__builtin_popcount(hi));
    }
    a = _mm512_mask_sub_ps(a, ge, a, vth);
    _mm512_mask_storeu_ps(v, m, a);
    if (Sparse && fired == 0) return 0;
    const __mmask8 lo = __mmask8(fired), hi = __mmask8(fired >> 8);
    _mm512_storeu_si512(out, _mm512_maskz_compress_epi64(lo, key_lo));
    const std::uint32_t k = std::uint32_t(__builtin_popcount(lo));
    _mm512_storeu_si512(out + k, _mm512_maskz_compress_epi64(hi, _mm512_add_epi64(key_lo, eight)));
    return k + std::uint32_t(__builtin_popcount(hi));
}

template <bool Negate, bool Bipolar, bool Sparse>
inline std::uint32_t row(float* v, const float* w, std::uint32_t n, __m512 vth, __m512 vnth,
                         __m512i key, __m512i eight, __m512i sixteen, __mmask16 tail,
                         std::uint64_t* out) {
    std::uint32_t k = 0, j = 0;
    for (; j + 16 <= n; j += 16, key = _mm512_add_epi64(key, sixteen))
        k += vec16<Negate, Bipolar, Sparse>(v + j, w + j, __mmask16(0xFFFF), vth, vnth, key, eight, out + k);
    if (j < n) k += vec16<Negate, Bipolar, Sparse>(v + j, w + j, tail, vth, vnth, key, eight, out + k);
    return k;
}

// Rows of at most 16 * NV lanes, NV vectors per row with their masks computed once: no loop
// over a row's vectors (whose trip count changes with the event's position at map borders).
template <bool Negate, bool Bipolar, bool Sparse, int NV>
std::uint32_t rows_fixed(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                         std::uint32_t rows, std::uint32_t n, __m512 vth, __m512 vnth, __m512i key0,
                         std::int64_t key_step, __m512i eight, __m512i sixteen, std::uint64_t* out) {
    __mmask16 m[NV];
    for (int i = 0; i < NV; ++i) m[i] = n > 16u * i ? lanes(n - 16u * i) : __mmask16(0);
    const __m512i kstep = _mm512_set1_epi64(key_step);
    std::uint32_t k = 0;
    for (std::uint32_t r = 0; r < rows; ++r, v += v_step, w += w_step, key0 = _mm512_add_epi64(key0, kstep)) {
        __m512i key = key0;
        for (int i = 0; i < NV; ++i, key = _mm512_add_epi64(key, sixteen))
            k += vec16<Negate, Bipolar, Sparse>(v + 16 * i, w + 16 * i, m[i], vth, vnth, key, eight, out + k);
    }
    return k;
}

template <bool Negate, bool Bipolar, bool Sparse>
std::uint32_t rows_impl(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                        std::uint32_t rows, std::uint32_t n, float th, std::uint32_t base,
                        std::uint64_t tag, std::uint64_t* out) {
    const __m512 vth = _mm512_set1_ps(th), vnth = _mm512_set1_ps(-th);
    const __m512i eight = _mm512_set1_epi64(std::int64_t(8) << 32), sixteen = _mm512_set1_epi64(std::int64_t(16) << 32);
    const __m512i key0 = _mm512_add_epi64(_mm512_set1_epi64(std::int64_t(emission_key(base, tag, false))), lane_offsets());
    const std::int64_t key_step = std::int64_t(std::uint64_t(v_step) << 32);  // row r's neurons: base + r * v_step
    switch ((n + 15) / 16) {
    case 1: return rows_fixed<Negate, Bipolar, Sparse, 1>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, eight, sixteen, out);
    case 2: return rows_fixed<Negate, Bipolar, Sparse, 2>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, eight, sixteen, out);
    case 3: return rows_fixed<Negate, Bipolar, Sparse, 3>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, eight, sixteen, out);
    case 4: return rows_fixed<Negate, Bipolar, Sparse, 4>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, eight, sixteen, out);
    case 5: return rows_fixed<Negate, Bipolar, Sparse, 5>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, eight, sixteen, out);
    default: break;
    }
    const __mmask16 tail = lanes(n % 16);
    std::uint32_t k = 0;
    for (std::uint32_t r = 0; r < rows; ++r) {
        const __m512i key = _mm512_add_epi64(_mm512_set1_epi64(std::int64_t(emission_key(base + std::uint32_t(r * v_step), tag, false))), lane_offsets());
        k += row<Negate, Bipolar, Sparse>(v + r * v_step, w + r * w_step, n, vth, vnth, key, eight, sixteen, tail, out + k);
    }
    return k;
}

template <bool Sparse>
std::uint32_t add_fire_rows_t(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                              std::uint32_t rows, std::uint32_t n, bool negate, float th, bool bipolar,
                              std::uint32_t base, std::uint64_t tag, std::uint64_t* out) {
    if (bipolar)
        return negate ? rows_impl<true, true, Sparse>(v, v_step, w, w_step, rows, n, th, base, tag, out)
                      : rows_impl<false, true, Sparse>(v, v_step, w, w_step, rows, n, th, base, tag, out);
    return negate ? rows_impl<true, false, Sparse>(v, v_step, w, w_step, rows, n, th, base, tag, out)
                  : rows_impl<false, false, Sparse>(v, v_step, w, w_step, rows, n, th, base, tag, out);
}

template <bool Sparse>
std::uint32_t add_fire_t(float* v, const float* w, std::uint32_t n, bool negate, float th, bool bipolar,
                         std::uint32_t base, std::uint64_t tag, std::uint64_t* out) {
    return add_fire_rows_t<Sparse>(v, 0, w, 0, 1, n, negate, th, bipolar, base, tag, out);
}

template <bool Negate>
void add_impl(float* v, const float* w, std::uint32_t n) {
    for (std::uint32_t j = 0; j < n; j += 16) {
        const __mmask16 m = lanes(n - j);
        _mm512_mask_storeu_ps(v + j, m,
                              step<Negate>(_mm512_maskz_loadu_ps(m, v + j), _mm512_maskz_loadu_ps(m, w + j)));
    }
}

void add_avx512(float* v, const float* w, std::uint32_t n, bool negate) {
    negate ? add_impl<true>(v, w, n) : add_impl<false>(v, w, n);
}

}  // namespace

FanoutKernels fanout_kernels_avx512() {
    return {add_fire_t<false>, add_fire_rows_t<false>, add_fire_t<true>, add_fire_rows_t<true>, add_avx512, "avx512"};
}

}  // namespace n2d2::spike::detail
