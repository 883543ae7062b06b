#pragma once
// Many patterns through the event-driven simulator in parallel over oneTBB: one simulator state
// per pattern, each pattern's input spikes seeded by (seed, pattern index), results stored by
// pattern index, so they are identical for any thread count.
#include "spike/dense_sim.h"

#include <span>

namespace n2d2::spike {

enum class Readout { SpikeCount, MembranePotential, FirstSpike };
Readout parse_readout(std::string_view name);  // "count", "potential", "first"

// The decided class of one pattern: most output spikes (ties: higher membrane potential, then
// lowest index), highest final potential, or earliest first spike (ties: lowest index; no
// spike at all falls back to the spike-count rule).
std::uint32_t decide(const DenseResult& r, Readout readout);

struct PatternResult {
    std::uint32_t decision = 0;
    std::vector<std::uint64_t> output_counts;
    std::uint64_t synaptic_events = 0;
    std::uint64_t spikes = 0;  // all layers
    Time latency = 0;          // end of the pattern's simulation (TerminateDelta or duration)
};

// images: patterns x pixels (pixel values in [0,1]). threads = 0: oneTBB's default.
std::vector<PatternResult> run_patterns(const std::vector<DenseLayer>& net,
                                        std::span<const float> images, std::uint32_t pixels,
                                        const CoderConfig& coder, Readout readout,
                                        int threads, std::uint64_t terminate_delta = 0);

}  // namespace n2d2::spike
