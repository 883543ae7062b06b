// The AVX-512 fan-out of spike/fanout.h: 16 float lanes, masked tail (compiled with
// -mavx512f -mavx512bw -mavx512vl).
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

template <bool Negate, bool Bipolar>
std::uint32_t add_fire(float* v, const float* w, std::uint32_t n, float th, std::uint32_t base,
                       std::uint64_t tag, std::uint64_t* out) {
    const __m512 vth = _mm512_set1_ps(th), vnth = _mm512_set1_ps(-th);
    std::uint32_t k = 0;
    // Chunks of 64 lanes: the fire masks of up to 4 vectors are gathered in one word, then
    // emitted in one bit loop (no branch per vector on rare, random spikes).
    for (std::uint32_t c = 0; c < n; c += 64) {
        const std::uint32_t end = n - c < 64 ? n : c + 64;
        std::uint64_t fired = 0, negative = 0;
        for (std::uint32_t j = c; j < end; j += 16) {
            const __mmask16 m = lanes(n - j);
            __m512 a = step<Negate>(_mm512_maskz_loadu_ps(m, v + j), _mm512_maskz_loadu_ps(m, w + j));
            const __mmask16 ge = _mm512_mask_cmp_ps_mask(m, a, vth, _CMP_GE_OQ);
            std::uint64_t bits = ge;
            if (Bipolar) {
                const __mmask16 le = _mm512_mask_cmp_ps_mask(__mmask16(m & ~ge), a, vnth, _CMP_LE_OQ);
                negative |= std::uint64_t(le) << (j - c);
                bits |= le;
                a = _mm512_mask_add_ps(a, le, a, vth);
            }
            fired |= bits << (j - c);
            a = _mm512_mask_sub_ps(a, ge, a, vth);
            _mm512_mask_storeu_ps(v + j, m, a);
        }
        for (; fired != 0; fired &= fired - 1) {
            const unsigned b = unsigned(__builtin_ctzll(fired));
            out[k++] = emission_key(base + c + b, tag, (negative >> b) & 1u);
        }
    }
    return k;
}

template <bool Negate, bool Bipolar>
std::uint32_t rows_impl(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                        std::uint32_t rows, std::uint32_t n, float th, std::uint32_t base,
                        std::uint64_t tag, std::uint64_t* out) {
    std::uint32_t k = 0;
    for (std::uint32_t r = 0; r < rows; ++r)
        k += add_fire<Negate, Bipolar>(v + r * v_step, w + r * w_step, n, th,
                                       base + std::uint32_t(r * v_step), tag, out + k);
    return k;
}

std::uint32_t add_fire_rows_avx512(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                                std::uint32_t rows, std::uint32_t n, bool negate, float th,
                                bool bipolar, std::uint32_t base, std::uint64_t tag,
                                std::uint64_t* out) {
    if (bipolar)
        return negate ? rows_impl<true, true>(v, v_step, w, w_step, rows, n, th, base, tag, out)
                      : rows_impl<false, true>(v, v_step, w, w_step, rows, n, th, base, tag, out);
    return negate ? rows_impl<true, false>(v, v_step, w, w_step, rows, n, th, base, tag, out)
                  : rows_impl<false, false>(v, v_step, w, w_step, rows, n, th, base, tag, out);
}

std::uint32_t add_fire_avx512(float* v, const float* w, std::uint32_t n, bool negate, float th,
                              bool bipolar, std::uint32_t base, std::uint64_t tag,
                              std::uint64_t* out) {
    if (bipolar)
        return negate ? add_fire<true, true>(v, w, n, th, base, tag, out)
                      : add_fire<false, true>(v, w, n, th, base, tag, out);
    return negate ? add_fire<true, false>(v, w, n, th, base, tag, out)
                  : add_fire<false, false>(v, w, n, th, base, tag, out);
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

FanoutKernels fanout_kernels_avx512() { return {add_fire_avx512, add_fire_rows_avx512, add_avx512, "avx512"}; }

}  // namespace n2d2::spike::detail
