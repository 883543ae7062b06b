#pragma once
// What one pattern's simulation of a spike::Network gives back, for both simulators
// (spike/event_sim.h, event-driven; spike/clock_sim.h, the clock-driven reference), and the
// options they share. Times are femtoseconds.
#include "spike/coders.h"
#include "spike/dense_sim.h"  // SpikeEvent

#include <cstdint>
#include <limits>
#include <vector>

namespace n2d2::spike {

inline constexpr Time kNoSpike = std::numeric_limits<Time>::max();

struct SimOptions {
    Time duration = 1'000'000'000;      // simulate times 0 .. duration (inclusive)
    std::uint64_t terminate_delta = 0;  // TerminateDelta (0: off); needs a spiking output layer
    bool record_trains = false;         // fill SimResult::trains
};

struct SimResult {
    std::vector<std::uint64_t> spikes;          // per layer: spikes emitted (Concat: 0)
    std::vector<std::uint64_t> events;          // per layer: synaptic events = accumulations
                                                // performed INTO this layer (fan-out count;
                                                // MaxPool and Concat: 0; bias ticks not counted)
    std::vector<std::uint64_t> output_counts;   // output layer, per neuron (positive spikes)
    std::vector<double> output_potential;       // output layer membrane potentials at the end
                                                // (leak applied up to end_time)
    std::vector<Time> output_first_spike;       // per output neuron, kNoSpike if none
    std::vector<std::vector<SpikeEvent>> trains;// per layer (only if record_trains), in time
                                                // order, by neuron within a time (Concat: empty)
    std::uint64_t input_spikes = 0;             // input spikes delivered (time <= end_time)
    Time end_time = 0;                          // duration, or the time TerminateDelta stopped at
    bool terminated = false;
    // Added to the contract by the simulators (not in the first brief):
    std::vector<std::uint64_t> bias_updates;    // per layer: neuron updates made by bias ticks
};

}  // namespace n2d2::spike
