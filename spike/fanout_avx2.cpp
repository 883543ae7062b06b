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

// Compress 4 uint64 lanes by a 4-bit mask: the 32-bit permutation moving the set lanes first.
struct CompressLut {
    alignas(32) std::int32_t idx[16][8];
    constexpr CompressLut() : idx{} {
        for (int m = 0; m < 16; ++m) {
            int k = 0;
            for (int b = 0; b < 4; ++b)
                if (m & (1 << b)) {
                    idx[m][2 * k] = 2 * b;
                    idx[m][2 * k + 1] = 2 * b + 1;
                    ++k;
                }
            for (; k < 4; ++k) idx[m][2 * k] = idx[m][2 * k + 1] = 0;
        }
    }
};
constexpr CompressLut kLut{};

// Writes the keys of the lanes set in m (4 bits) compressed to out, all 4 stored.
inline std::uint32_t emit4(__m256i keys, unsigned m, std::uint64_t* out) {
    const __m256i perm = _mm256_load_si256(reinterpret_cast<const __m256i*>(kLut.idx[m]));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_permutevar8x32_epi32(keys, perm));
    return unsigned(__builtin_popcount(m));
}

// One vector of 8 lanes (tm: the lanes < n, all ones for a full vector). Emission without
// branches (spikes are rare and at random lanes): each half's fire mask permutes its 4 keys
// (neuron << 32 | tag | negative) to the front and stores all 4; the count advances by the
// popcount. May write up to 4 keys past the count, inside the capacity fanout.h asks.
template <bool Negate, bool Bipolar, bool Full, bool Sparse>
inline std::uint32_t vec8(float* v, const float* w, __m256 tm, __m256 vth, __m256 vnth, __m256i key_lo,
                          __m256i four, std::uint64_t* out) {
    const __m256 old = _mm256_loadu_ps(v);
    __m256 a = step<Negate>(old, _mm256_loadu_ps(w));
    if (!Full) a = _mm256_blendv_ps(old, a, tm);
    __m256 ge = _mm256_cmp_ps(a, vth, _CMP_GE_OQ);
    if (!Full) ge = _mm256_and_ps(tm, ge);
    unsigned bits = unsigned(_mm256_movemask_ps(ge));
    __m256i key_hi = _mm256_add_epi64(key_lo, four);
    if (Bipolar) {
        __m256 le = _mm256_andnot_ps(ge, _mm256_cmp_ps(a, vnth, _CMP_LE_OQ));
        if (!Full) le = _mm256_and_ps(tm, le);
        bits |= unsigned(_mm256_movemask_ps(le));
        a = _mm256_blendv_ps(a, _mm256_add_ps(a, vth), le);
        const __m256i one = _mm256_set1_epi64x(1), lei = _mm256_castps_si256(le);
        key_lo = _mm256_or_si256(key_lo, _mm256_and_si256(one, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(lei))));
        key_hi = _mm256_or_si256(key_hi, _mm256_and_si256(one, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(lei, 1))));
    }
    a = _mm256_blendv_ps(a, _mm256_sub_ps(a, vth), ge);
    _mm256_storeu_ps(v, a);
    if (Sparse && bits == 0) return 0;
    const std::uint32_t k = emit4(key_lo, bits & 15u, out);
    return k + emit4(key_hi, bits >> 4, out + k);
}

// Rows of at most 8 * NV lanes, NV vectors per row (the last one masked unless n is a
// multiple of 8): no loop over a row's vectors, whose trip count changes with the event's
// position at map borders.
template <bool Negate, bool Bipolar, bool Sparse, int NV>
std::uint32_t rows_fixed(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                         std::uint32_t rows, std::uint32_t n, __m256 vth, __m256 vnth, __m256i key0,
                         std::int64_t key_step, __m256i four, __m256i eight, std::uint64_t* out) {
    const __m256 all = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
    const bool last_full = n % 8 == 0;
    const __m256 tm = _mm256_castsi256_ps(tail_mask(last_full ? 1 : n % 8));
    const __m256i kstep = _mm256_set1_epi64x(key_step);
    std::uint32_t k = 0;
    for (std::uint32_t r = 0; r < rows; ++r, v += v_step, w += w_step, key0 = _mm256_add_epi64(key0, kstep)) {
        __m256i key = key0;
        for (int i = 0; i + 1 < NV; ++i, key = _mm256_add_epi64(key, eight))
            k += vec8<Negate, Bipolar, true, Sparse>(v + 8 * i, w + 8 * i, all, vth, vnth, key, four, out + k);
        k += last_full ? vec8<Negate, Bipolar, true, Sparse>(v + 8 * (NV - 1), w + 8 * (NV - 1), all, vth, vnth, key, four, out + k)
                       : vec8<Negate, Bipolar, false, Sparse>(v + 8 * (NV - 1), w + 8 * (NV - 1), tm, vth, vnth, key, four, out + k);
    }
    return k;
}

template <bool Negate, bool Bipolar, bool Sparse>
std::uint32_t rows_impl(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                        std::uint32_t rows, std::uint32_t n, float th, std::uint32_t base,
                        std::uint64_t tag, std::uint64_t* out) {
    const __m256 vth = _mm256_set1_ps(th), vnth = _mm256_set1_ps(-th);
    const __m256i four = _mm256_set1_epi64x(std::int64_t(4) << 32), eight = _mm256_set1_epi64x(std::int64_t(8) << 32);
    const __m256i offs = _mm256_slli_epi64(_mm256_set_epi64x(3, 2, 1, 0), 32);
    const __m256i key0 = _mm256_add_epi64(_mm256_set1_epi64x(std::int64_t(emission_key(base, tag, false))), offs);
    const std::int64_t key_step = std::int64_t(std::uint64_t(v_step) << 32);  // row r: base + r * v_step
    switch ((n + 7) / 8) {
    case 1: return rows_fixed<Negate, Bipolar, Sparse, 1>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, four, eight, out);
    case 2: return rows_fixed<Negate, Bipolar, Sparse, 2>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, four, eight, out);
    case 3: return rows_fixed<Negate, Bipolar, Sparse, 3>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, four, eight, out);
    case 4: return rows_fixed<Negate, Bipolar, Sparse, 4>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, four, eight, out);
    case 5: return rows_fixed<Negate, Bipolar, Sparse, 5>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, four, eight, out);
    case 6: return rows_fixed<Negate, Bipolar, Sparse, 6>(v, v_step, w, w_step, rows, n, vth, vnth, key0, key_step, four, eight, out);
    default: break;
    }
    const __m256 tm = _mm256_castsi256_ps(tail_mask(n % 8 == 0 ? 1 : n % 8));
    const __m256i full = _mm256_set1_epi32(-1);
    std::uint32_t k = 0;
    for (std::uint32_t r = 0; r < rows; ++r) {
        float* vr = v + r * v_step;
        const float* wr = w + r * w_step;
        __m256i key = _mm256_add_epi64(_mm256_set1_epi64x(std::int64_t(emission_key(base + std::uint32_t(r * v_step), tag, false))), offs);
        std::uint32_t j = 0;
        for (; j + 8 <= n; j += 8, key = _mm256_add_epi64(key, eight))
            k += vec8<Negate, Bipolar, true, Sparse>(vr + j, wr + j, _mm256_castsi256_ps(full), vth, vnth, key, four, out + k);
        if (j < n) k += vec8<Negate, Bipolar, false, Sparse>(vr + j, wr + j, tm, vth, vnth, key, four, out + k);
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

FanoutKernels fanout_kernels_avx2() {
    return {add_fire_t<false>, add_fire_rows_t<false>, add_fire_t<true>, add_fire_rows_t<true>, add_avx2, "avx2"};
}

}  // namespace n2d2::spike::detail
