// The AVX2 fan-out of spike/fanout.h: 8 float lanes, scalar tail (compiled with -mavx2).
#include "spike/fanout.h"

#include <immintrin.h>

namespace n2d2::spike::detail {
namespace {

template <bool Negate>
inline __m256 step(__m256 a, __m256 b) {
    return Negate ? _mm256_sub_ps(a, b) : _mm256_add_ps(a, b);
}

template <bool Negate, bool Bipolar>
std::uint32_t add_fire(float* v, const float* w, std::uint32_t n, float th, std::uint32_t base,
                       std::uint64_t tag, std::uint64_t* out) {
    const __m256 vth = _mm256_set1_ps(th), vnth = _mm256_set1_ps(-th);
    std::uint32_t k = 0, j = 0;
    for (; j + 8 <= n; j += 8) {
        __m256 a = step<Negate>(_mm256_loadu_ps(v + j), _mm256_loadu_ps(w + j));
        const __m256 ge = _mm256_cmp_ps(a, vth, _CMP_GE_OQ);
        unsigned mge = unsigned(_mm256_movemask_ps(ge)), mle = 0;
        if (Bipolar) {
            const __m256 le = _mm256_andnot_ps(ge, _mm256_cmp_ps(a, vnth, _CMP_LE_OQ));
            mle = unsigned(_mm256_movemask_ps(le));
            a = _mm256_blendv_ps(a, _mm256_add_ps(a, vth), le);
        }
        a = _mm256_blendv_ps(a, _mm256_sub_ps(a, vth), ge);
        _mm256_storeu_ps(v + j, a);
        for (unsigned m = mge | mle; m != 0; m &= m - 1) {
            const unsigned b = unsigned(__builtin_ctz(m));
            out[k++] = emission_key(base + j + b, tag, (mle >> b) & 1u);
        }
    }
    for (; j < n; ++j) {
        v[j] = Negate ? v[j] - w[j] : v[j] + w[j];
        const int s = fire_check(v[j], th, Bipolar);
        if (s != 0) out[k++] = emission_key(base + j, tag, s < 0);
    }
    return k;
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
    for (; j < n; ++j) v[j] = Negate ? v[j] - w[j] : v[j] + w[j];
}

void add_avx2(float* v, const float* w, std::uint32_t n, bool negate) {
    negate ? add_impl<true>(v, w, n) : add_impl<false>(v, w, n);
}

}  // namespace

FanoutKernels fanout_kernels_avx2() { return {add_fire_avx2, add_avx2, "avx2"}; }

}  // namespace n2d2::spike::detail
