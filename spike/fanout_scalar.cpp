// The scalar fan-out (the reference of spike/fanout.h) and the run-time choice.
#include "spike/fanout.h"

namespace n2d2::spike::detail {
namespace {

std::uint32_t add_fire_scalar(float* v, const float* w, std::uint32_t n, bool negate, float th,
                              bool bipolar, std::uint32_t base, std::uint64_t tag,
                              std::uint64_t* out) {
    std::uint32_t k = 0;
    for (std::uint32_t j = 0; j < n; ++j) {
        v[j] = negate ? v[j] - w[j] : v[j] + w[j];
        const int s = fire_check(v[j], th, bipolar);
        if (s != 0) out[k++] = emission_key(base + j, tag, s < 0);
    }
    return k;
}

std::uint32_t add_fire_rows_scalar(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                                   std::uint32_t rows, std::uint32_t n, bool negate, float th,
                                   bool bipolar, std::uint32_t base, std::uint64_t tag,
                                   std::uint64_t* out) {
    std::uint32_t k = 0;
    for (std::uint32_t r = 0; r < rows; ++r)
        k += add_fire_scalar(v + r * v_step, w + r * w_step, n, negate, th, bipolar,
                             base + std::uint32_t(r * v_step), tag, out + k);
    return k;
}

void add_scalar(float* v, const float* w, std::uint32_t n, bool negate) {
    if (negate)
        for (std::uint32_t j = 0; j < n; ++j) v[j] = v[j] - w[j];
    else
        for (std::uint32_t j = 0; j < n; ++j) v[j] = v[j] + w[j];
}

}  // namespace

FanoutKernels fanout_kernels_scalar() {
    return {add_fire_scalar, add_fire_rows_scalar, add_fire_scalar, add_fire_rows_scalar, add_scalar, "scalar"};
}

FanoutKernels fanout_kernels(kernels::Isa isa) {
    const kernels::Isa hw = kernels::hardware_isa();
    if (isa > hw) isa = hw;
    switch (isa) {
    case kernels::Isa::Avx512: return fanout_kernels_avx512();
    case kernels::Isa::Avx2: return fanout_kernels_avx2();
    case kernels::Isa::Scalar: break;
    }
    return fanout_kernels_scalar();
}

FanoutKernels fanout_kernels() { return fanout_kernels(kernels::max_isa()); }

}  // namespace n2d2::spike::detail
