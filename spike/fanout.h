#pragma once
// The event-driven simulator's inner loop (spike/event_sim.h): one event adds a weight vector
// to n contiguous membrane potentials (float), then checks the threshold of those n neurons
// only. Variants: scalar (the reference), AVX2, AVX-512 (one .cpp each, compiled with its ISA
// flags), chosen at run time from CPUID capped by N2D2_MAX_ISA (kernels/cpu/isa.h). All give
// bit-identical potentials and emissions (tests/spike/event_sim_test.cpp).
//
// Emission keys: (uint64(neuron) << 32) | tag | negative, tag = event sequence number << 1, so
// that sorting keys orders a layer's spikes by neuron, then emission order.
#include "kernels/cpu/isa.h"

#include <cmath>
#include <cstdint>

namespace n2d2::spike::detail {

inline constexpr std::uint64_t emission_key(std::uint32_t neuron, std::uint64_t tag, bool negative) {
    return (std::uint64_t(neuron) << 32) | tag | (negative ? 1u : 0u);
}
inline constexpr std::uint32_t key_neuron(std::uint64_t key) { return std::uint32_t(key >> 32); }
inline constexpr int key_sign(std::uint64_t key) { return (key & 1u) ? -1 : 1; }

// The one threshold rule (reset by subtraction), shared by every variant and the reference.
inline int fire_check(float& v, float th, bool bipolar) {
    if (v >= th) {
        v = v - th;
        return 1;
    }
    if (bipolar && v <= -th) {
        v = v + th;
        return -1;
    }
    return 0;
}

// The leak factor over dt for time constant tau (> 0), rounded to float once.
inline float leak_factor(std::uint64_t dt, std::uint64_t tau) {
    return static_cast<float>(std::exp(-static_cast<double>(dt) / static_cast<double>(tau)));
}

// Padding: v and w must stay readable (v writable) for kFanoutPad floats past n. A variant may
// read and write back whole vector lanes past n; it never changes their values.
inline constexpr std::uint32_t kFanoutPad = 16;

struct FanoutKernels {
    // v[j] += w[j] (negate: v[j] -= w[j]) for j < n, then fire_check on each v[j]; a spike of
    // neuron base + j is written to out (capacity >= n + kFanoutPad: a variant may write
    // past its count) as emission_key(base + j, tag, neg).
    // Returns the number written.
    std::uint32_t (*add_fire)(float* v, const float* w, std::uint32_t n, bool negate, float th,
                              bool bipolar, std::uint32_t base, std::uint64_t tag,
                              std::uint64_t* out);
    // add_fire over `rows` rows: row r is v + r * v_step, w + r * w_step, neurons from
    // base + r * v_step (a convolution event's kernel rows). out: capacity rows * n + kFanoutPad.
    std::uint32_t (*add_fire_rows)(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                                   std::uint32_t rows, std::uint32_t n, bool negate, float th,
                                   bool bipolar, std::uint32_t base, std::uint64_t tag,
                                   std::uint64_t* out);
    // The same two with the same results, tuned for rare spikes (a branch per vector skips the
    // emission of a vector that did not fire: cheaper when fewer than about 1 lane in 128
    // fires, a misprediction per firing vector otherwise). The first two emit without
    // branches (cheaper at higher rates). The simulator picks per layer from its rate so far.
    std::uint32_t (*add_fire_sparse)(float* v, const float* w, std::uint32_t n, bool negate, float th,
                                     bool bipolar, std::uint32_t base, std::uint64_t tag,
                                     std::uint64_t* out);
    std::uint32_t (*add_fire_rows_sparse)(float* v, std::int64_t v_step, const float* w, std::int64_t w_step,
                                          std::uint32_t rows, std::uint32_t n, bool negate, float th,
                                          bool bipolar, std::uint32_t base, std::uint64_t tag,
                                          std::uint64_t* out);
    // v[j] += w[j] (or -=) for j < n, no threshold (a non-spiking layer).
    void (*add)(float* v, const float* w, std::uint32_t n, bool negate);
    const char* name;
};

FanoutKernels fanout_kernels_scalar();
FanoutKernels fanout_kernels_avx2();
FanoutKernels fanout_kernels_avx512();
// The variant for `isa` (never above what the CPU offers: asking for more gives the best one
// the CPU has).
FanoutKernels fanout_kernels(kernels::Isa isa);
// The best variant allowed by max_isa().
FanoutKernels fanout_kernels();

}  // namespace n2d2::spike::detail
