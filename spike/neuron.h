#pragma once
// Integrate-and-fire neuron as in N2D2's spike transcoding: optional exponential leak (time
// constant), Threshold (and BipolarThreshold: a negative spike at -Threshold), reset by
// subtraction, refractory period, initial potential. Inputs arrive as weighted events at
// integer femtosecond times; the neuron fires at most once per event (as N2D2's NodeNeuron).
#include "spike/coders.h"

namespace n2d2::spike {

struct NeuronConfig {
    double threshold = 1.0;         // Threshold
    bool bipolar = false;           // BipolarThreshold
    Time leak_tau = 0;              // 0: no leak
    Time refractory = 0;            // no integration for this long after a spike
    double initial_potential = 0.0; // e.g. 0.5 * threshold helps short runs
    Time incoming_delay = 0;        // IncomingDelay: events reach the neuron this much later
                                    // (network simulators: spike/event_sim.h)
    // Time-to-first-spike neurons (spike/ttfs.h; network simulators only, IfNeuron ignores
    // them): ttfs_levels K > 0 turns them on, windows of K * ttfs_step; activations under
    // ttfs_cutoff * threshold never fire (TtfsCutoff).
    std::uint32_t ttfs_levels = 0;
    Time ttfs_step = 0;
    double ttfs_cutoff = 0.0;
};

class IfNeuron {
public:
    explicit IfNeuron(const NeuronConfig& cfg) : cfg_(&cfg), v_(cfg.initial_potential) {}
    // Integrates `weight` at time t (t never decreases). Returns +1 / -1 for an emitted
    // (negative, if bipolar) spike, 0 otherwise.
    int integrate(Time t, double weight);
    double potential() const { return v_; }
    Time last_spike() const { return last_spike_; }
    std::uint64_t spikes() const { return spikes_; }
private:
    const NeuronConfig* cfg_;
    double v_;
    Time last_update_ = 0;
    Time last_spike_ = 0;
    bool fired_ = false;
    std::uint64_t spikes_ = 0;
};

}  // namespace n2d2::spike
