#pragma once
// Two simulators of a feed-forward network of fully connected IF layers over the same input
// spikes, with one canonical order so they agree spike for spike: at each time t, layer by
// layer, a neuron integrates the events reaching it at t in ascending source index (a source
// that fired k times at t delivers k events, in emission order), firing at most once per event.
//  - simulate_events: event-driven; only times that carry spikes are visited, zero-delay events
//    go layer to layer through a per-layer queue, fan-out reads a source-major weight row.
//  - simulate_clock: the reference, written for clarity: every time step of dt, every neuron,
//    every source of the layer below (dense), weights read output-major.
// Input spike times must be multiples of dt for the clock simulator to see them.
#include "spike/coders.h"
#include "spike/neuron.h"

#include <cstdint>
#include <vector>

namespace n2d2::spike {

struct DenseLayer {
    std::uint32_t inputs = 0, outputs = 0;
    std::vector<float> weights;  // [outputs][inputs]
    NeuronConfig neuron;
    float weight(std::uint32_t out, std::uint32_t in) const { return weights[std::size_t(out) * inputs + in]; }
};

struct SpikeEvent {
    Time time;
    std::uint32_t neuron;
    int sign;  // +1, or -1 for a bipolar negative spike
    bool operator==(const SpikeEvent&) const = default;
};

struct DenseResult {
    std::vector<std::vector<SpikeEvent>> trains;  // per layer, in emission order within a time
    std::vector<std::vector<std::uint64_t>> counts;  // per layer, per neuron
    std::uint64_t synaptic_events = 0;
    std::vector<double> output_potential;  // last layer's membrane potentials at the end
    Time end_time = 0;  // the last simulated time (duration, or where TerminateDelta stopped)
    bool terminated = false;
};

// Throws std::invalid_argument when layer sizes do not chain.
// terminate_delta > 0 (N2D2's TerminateDelta): stop after the first time at which the most
// active output neuron leads the next one by that many spikes; end_time is that time.
DenseResult simulate_events(const std::vector<DenseLayer>& net, std::uint32_t input_count,
                            const std::vector<InputSpike>& input, Time duration,
                            std::uint64_t terminate_delta = 0);
DenseResult simulate_clock(const std::vector<DenseLayer>& net, std::uint32_t input_count,
                           const std::vector<InputSpike>& input, Time duration, Time dt);

}  // namespace n2d2::spike
