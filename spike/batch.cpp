#include "spike/batch.h"

#include "spike/event_sim.h"

#include <tbb/global_control.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace n2d2::spike {

Readout parse_readout(std::string_view name) {
    if (name == "count") return Readout::SpikeCount;
    if (name == "potential") return Readout::MembranePotential;
    if (name == "first") return Readout::FirstSpike;
    throw std::invalid_argument("unknown readout '" + std::string(name) + "' (count, potential, first)");
}

namespace {

// Most spikes, ties broken by the higher potential, then the lower index.
std::uint32_t by_count(const std::vector<std::uint64_t>& counts, const std::vector<double>& pot) {
    std::uint32_t best = 0;
    for (std::uint32_t o = 1; o < counts.size(); ++o)
        if (counts[o] > counts[best] || (counts[o] == counts[best] && pot[o] > pot[best])) best = o;
    return best;
}

std::uint32_t by_potential(const std::vector<double>& pot) {
    std::uint32_t best = 0;
    for (std::uint32_t o = 1; o < pot.size(); ++o)
        if (pot[o] > pot[best]) best = o;
    return best;
}

}  // namespace

std::uint32_t decide(const DenseResult& r, Readout readout) {
    if (r.counts.empty() || r.counts.back().empty()) throw std::invalid_argument("network has no output layer");
    const auto& counts = r.counts.back();
    const auto& pot = r.output_potential;
    switch (readout) {
    case Readout::SpikeCount: return by_count(counts, pot);
    case Readout::MembranePotential: return by_potential(pot);
    case Readout::FirstSpike: {
        // Trains are in time order; the first positive spike of the output layer decides.
        for (const SpikeEvent& e : r.trains.back())
            if (e.sign > 0) return e.neuron;
        return by_count(counts, pot);
    }
    }
    return 0;
}

std::vector<PatternResult> run_patterns(const std::vector<DenseLayer>& net,
                                        std::span<const float> images, std::uint32_t pixels,
                                        const CoderConfig& coder, Readout readout, int threads,
                                        std::uint64_t terminate_delta) {
    if (pixels == 0 || images.size() % pixels != 0)
        throw std::invalid_argument("image buffer is not a whole number of " + std::to_string(pixels) + "-pixel patterns");
    const std::size_t n = images.size() / pixels;
    std::vector<PatternResult> out(n);
    std::unique_ptr<tbb::global_control> limit;
    if (threads > 0)
        limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t p) {
        auto input = encode(coder, images.subspan(p * pixels, pixels), p);
        DenseResult r = simulate_events(net, pixels, input, coder.duration, terminate_delta);
        PatternResult& pr = out[p];
        pr.decision = decide(r, readout);
        pr.output_counts = r.counts.back();
        pr.synaptic_events = r.synaptic_events;
        pr.latency = r.end_time;
        for (const auto& t : r.trains) pr.spikes += t.size();
    });
    return out;
}

std::uint32_t decide(const SimResult& r, Readout readout) {
    const auto& counts = r.output_counts;
    const auto& pot = r.output_potential;
    if (counts.empty() || pot.size() != counts.size()) throw std::invalid_argument("simulation result has no output layer");
    switch (readout) {
    case Readout::SpikeCount: return by_count(counts, pot);
    case Readout::MembranePotential: return by_potential(pot);
    case Readout::FirstSpike: {
        const auto& first = r.output_first_spike;
        if (first.size() != counts.size()) throw std::invalid_argument("simulation result has no first-spike times");
        std::uint32_t best = 0;
        for (std::uint32_t o = 1; o < first.size(); ++o)
            if (first[o] < first[best]) best = o;
        return first[best] == kNoSpike ? by_count(counts, pot) : best;
    }
    }
    return 0;
}

std::vector<NetPatternResult> run_patterns(const Network& net, std::span<const float> images,
                                           const CoderConfig& coder, Readout readout,
                                           const SimOptions& options, int threads,
                                           const std::function<void(std::size_t done)>& progress) {
    const std::size_t pixels = net.input.size();
    if (pixels == 0 || images.size() % pixels != 0)
        throw std::invalid_argument("image buffer is not a whole number of " + std::to_string(pixels) + "-pixel patterns");
    const std::size_t n = images.size() / pixels;
    const EventSimulator exemplar(net);  // validates and plans once; copies share the plan
    SimOptions opt = options;
    opt.record_trains = false;
    std::vector<NetPatternResult> out(n);
    std::unique_ptr<tbb::global_control> limit;
    if (threads > 0)
        limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
    tbb::enumerable_thread_specific<EventSimulator> sims(exemplar);
    std::mutex progress_lock;
    std::size_t done = 0;
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t p) {
        const auto input = encode(coder, images.subspan(p * pixels, pixels), p);
        NetPatternResult& pr = out[p];
        pr.sim = sims.local().run(input, opt);
        pr.decision = decide(pr.sim, readout);
        if (progress) {
            std::lock_guard<std::mutex> g(progress_lock);
            progress(++done);
        }
    });
    return out;
}

}  // namespace n2d2::spike
