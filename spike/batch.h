#pragma once
// Many patterns through the event-driven simulator in parallel over oneTBB: one simulator state
// per pattern, each pattern's input spikes seeded by (seed, pattern index), results stored by
// pattern index, so they are identical for any thread count.
#include "spike/dense_sim.h"
#include "spike/network.h"
#include "spike/sim_result.h"

#include <functional>

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

// The same rules on a spike::Network's result: counts = output_counts, potentials =
// output_potential, first spike = output_first_spike.
std::uint32_t decide(const SimResult& r, Readout readout);

struct NetPatternResult {
    std::uint32_t decision = 0;
    SimResult sim;  // without trains
};

// images: patterns x net.input.size() pixels in the network input's HWC order (one channel:
// y * w + x), values in [0,1]. Pattern p's input is encode(coder, image p, p); the event-driven
// simulator runs it with `options` (record_trains ignored). One simulator state per worker
// thread, results by pattern index: identical for any thread count. threads = 0: oneTBB's
// default. progress (optional) is called after each pattern with the number done so far,
// under a lock (never concurrently, `done` increasing), from worker threads.
std::vector<NetPatternResult> run_patterns(const Network& net, std::span<const float> images,
                                           const CoderConfig& coder, Readout readout,
                                           const SimOptions& options, int threads,
                                           const std::function<void(std::size_t done)>& progress = {});

}  // namespace n2d2::spike
