#pragma once
// Time-to-first-spike (TTFS) coding: each pixel and each neuron spikes at most once, earlier for
// a larger value, and the network computes the formal activations exactly up to a K-level
// quantization (a scheme in the spirit of Rueckauer & Liu 2018 and Stanojevic et al. 2023,
// written for this project's instantaneous events).
//
// Time is cut into windows of T = K * step (K = NeuronConfig::ttfs_levels, step =
// NeuronConfig::ttfs_step). A value x in [0, 1] is a spike at step k = K - round(K x) of its
// window (x = (K - k) / K; x = 1 at the window start, x < 0.5 / K: no spike).
//  - The input coder (StimulusType=TimeToFirstSpike) writes the pixels in window 0 = [0, T).
//  - A neuron layer (Conv, Fc, Add) whose inputs spike in window p integrates during
//    [p T, (p + 1) T): a spike arriving at t with weight w adds w * s(t), s(t) = (t_end - t) / T,
//    t_end = (p + 1) T (a constant input current from the spike to the window's end: at
//    t_end, V = sum_i w_i x_i). At t_end the bias is added once (V = the formal
//    pre-activation), then the threshold falls: the neuron fires once, at the first step k of
//    [t_end, t_end + T) with V >= theta_k = Threshold * (K - k - 0.5) / K and k <= k_last, so
//    the next layer reads x = round(K V / Threshold) / K clipped to 1, and V <= 0 never
//    fires (the ReLU). k_last = K - ceil(TtfsCutoff * K) (capped to K - 1): activations under
//    TtfsCutoff * Threshold do not fire (sparser, at some accuracy).
//  - MaxPool and Concat pass spikes through at their time: a pooled unit fires at its
//    window's first spike (the maximum) -- the existing running-max rule of spike/network.h.
// Arrivals at or after t_end are ignored (not counted): they cannot happen in a network whose
// multi-input layers have all inputs in one window (checked).
// A non-spiking output layer (Readout=potential) keeps V(t_end), the formal logits.
#include "spike/network.h"

#include <cstdint>
#include <vector>

namespace n2d2::spike {

inline constexpr std::uint32_t kTtfsNoFire = 0xFFFFFFFFu;

// Per layer: its integration window end (neuron layers), or the window its spikes are in.
struct TtfsTiming {
    bool neurons = false;  // Conv, Fc, Add: integrates and fires once
    Time end = 0;          // neuron layers: t_end (bias, fire window start)
    Time window = 0;       // T = K * step
    Time step = 0;
    std::uint32_t levels = 0, k_last = 0;
};

// True when the network's neuron layers are TTFS (NeuronConfig::ttfs_levels > 0).
bool is_ttfs(const Network& net);

// The timing of every layer. Throws std::invalid_argument naming the layer when only some
// neuron layers are TTFS, their levels/step differ, a layer takes inputs of two different
// windows, or a TTFS layer has BipolarThreshold, Leak, Refractory, IncomingDelay or an initial
// potential.
std::vector<TtfsTiming> ttfs_timing(const Network& net);

// The time by which every layer of a TTFS network is done (the output layer's t_end, plus a
// window when it spikes).
Time ttfs_duration(const Network& net);

// s(t) = (end - t) / window rounded to float once (t < end).
float ttfs_scale(Time t, Time end, Time window);
// out[j] = w[j] * s for j < n (one float multiply each; the add is the caller's).
void ttfs_scale_weights(const float* w, float s, float* out, std::uint32_t n);
float ttfs_scaled(float w, float s);
// theta_k = float(th * (K - k - 0.5) / K).
float ttfs_theta(float th, std::uint32_t levels, std::uint32_t k);
// k_last for a cutoff (fraction of Threshold).
std::uint32_t ttfs_k_last(std::uint32_t levels, double cutoff);
// The first k <= k_last with v >= ttfs_theta(th, levels, k), or kTtfsNoFire.
std::uint32_t ttfs_fire_step(float v, float th, std::uint32_t levels, std::uint32_t k_last);

}  // namespace n2d2::spike
