// The AVX2 fan-out of spike/fanout.h: 8 float lanes, masked tail (compiled with -mavx2).
#include "spike/fanout.h"

#include <immintrin.h>

namespace n2d2::spike::detail {
namespace {

// Lanes [0, left) set, left in 1..7.
inline __m256i tail_mask(std::uint32_t left) {
    alignas(32) static const std::int32_t ones[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ones + 8 - left));
}

template <bool Negate>
inline __m256 step(__m256 a, __m256 b) {
    return Negate ? _mm256_sub_ps(a, b) : _mm256_add_ps(a, b);
}

template <bool Negate, bool Bipolar>
std::uint32_t add_fire(float* v, const float* w, std::uint32_t n, float th, std::uint32_t base,
                       std::uint64_t tag, std::uint64_t* out) {
    const __m256 vth = _mm256_set1_ps(th), vnth = _mm256_set1_ps(-th);
    std::uint32_t k = 0;
    // Chunks of 64 lanes: the fire masks of up to 8 vectors are gathered in one word, then
    // emitted in one bit loop (spikes are rare and at random lanes: a branch per vector
    // would mispredict).
    for (std::uint32_t c = 0; c < n; c += 64) {
        const std::uint32_t end = n - c < 64 ? n : c + 64;
        std::uint64_t fired = 0, negative = 0;
        for (std::uint32_t j = c; j < end; j += 8) {
            // A partial last vector reads and writes whole lanes (the arrays are padded, see
            // fanout.h) and keeps the old values of the lanes past n.
            const bool full = j + 8 <= n;
            const __m256 tm = full ? _mm256_castsi256_ps(_mm256_set1_epi32(-1)) : _mm256_castsi256_ps(tail_mask(n - j));
            const __m256 old = _mm256_loadu_ps(v + j);
            __m256 a = step<Negate>(old, _mm256_loadu_ps(w + j));
            if (!full) a = _mm256_blendv_ps(old, a, tm);
            const __m256 ge = _mm256_and_ps(tm, _mm256_cmp_ps(a, vth, _CMP_GE_OQ));
            std::uint64_t bits = unsigned(_mm256_movemask_ps(ge));
            if (Bipolar) {
                const __m256 le = _mm256_and_ps(tm, _mm256_andnot_ps(ge, _mm256_cmp_ps(a, vnth, _CMP_LE_OQ)));
                const std::uint64_t lb = unsigned(_mm256_movemask_ps(le));
                negative |= lb << (j - c);
                bits |= lb;
                a = _mm256_blendv_ps(a, _mm256_add_ps(a, vth), le);
            }
            fired |= bits << (j - c);
            a = _mm256_blendv_ps(a, _mm256_sub_ps(a, vth), ge);
            _mm256_storeu_ps(v + j, a);
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

std::uint32_t add_fire_rows_avx2(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                                std::uint32_t rows, std::uint32_t n, bool negate, float th,
                                bool bipolar, std::uint32_t base, std::uint64_t tag,
                                std::uint64_t* out) {
    if (bipolar)
        return negate ? rows_impl<true, true>(v, v_step, w, w_step, rows, n, th, base, tag, out)
                      : rows_impl<false, true>(v, v_step, w, w_step, rows, n, th, base, tag, out);
    return negate ? rows_impl<true, false>(v, v_step, w, w_step, rows, n, th, base, tag, out)
                  : rows_impl<false, false>(v, v_step, w, w_step, rows, n, th, base, tag, out);
}

std::uint32_t add_fire_avx2(float* v, const float* w, std::uint32_t n, bool negate, float th,
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
    std::uint32_t j = 0;
    for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(v + j, step<Negate>(_mm256_loadu_ps(v + j), _mm256_loadu_ps(w + j)));
    if (j < n) {
        const __m256 old = _mm256_loadu_ps(v + j);
        const __m256 a = step<Negate>(old, _mm256_loadu_ps(w + j));
        _mm256_storeu_ps(v + j, _mm256_blendv_ps(old, a, _mm256_castsi256_ps(tail_mask(n - j))));
    }
}

void add_avx2(float* v, const float* w, std::uint32_t n, bool negate) {
    negate ? add_impl<true>(v, w, n) : add_impl<false>(v, w, n);
}

}  // namespace

FanoutKernels fanout_kernels_avx2() { return {add_fire_avx2, add_fire_rows_avx2, add_avx2, "avx2"}; }

}  // namespace n2d2::spike::detail
