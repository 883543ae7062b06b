#include "spike/ttfs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace n2d2::spike {

namespace {

bool has_neurons(LayerKind k) { return k == LayerKind::Conv || k == LayerKind::Fc || k == LayerKind::Add; }

[[noreturn]] void fail(const Layer& l, std::size_t i, const std::string& what) {
    throw std::invalid_argument("spike layer " + std::to_string(i) + " '" + l.name + "' (" + layer_kind_name(l.kind) +
                                "): time-to-first-spike: " + what);
}

}  // namespace

bool is_ttfs(const Network& net) {
    for (const Layer& l : net.layers)
        if (has_neurons(l.kind) && l.neuron.ttfs_levels > 0) return true;
    return false;
}

std::vector<TtfsTiming> ttfs_timing(const Network& net) {
    std::vector<TtfsTiming> out(net.layers.size());
    const Layer* first = nullptr;
    for (const Layer& l : net.layers)
        if (has_neurons(l.kind) && l.neuron.ttfs_levels > 0) {
            first = &l;
            break;
        }
    if (!first) return out;
    const std::uint32_t levels = first->neuron.ttfs_levels;
    const Time step = first->neuron.ttfs_step;
    if (step == 0) throw std::invalid_argument("spike layer '" + first->name + "': time-to-first-spike: TtfsStep is 0");
    if (step > std::numeric_limits<Time>::max() / levels / 4096)
        throw std::invalid_argument("spike layer '" + first->name + "': time-to-first-spike: TtfsStep * TtfsLevels too large");
    const Time window = step * levels;
    // window index of each producer's spikes: input = 0, layer i = phase[i + 1]
    std::vector<std::uint64_t> phase(net.layers.size() + 1, 0);
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        if (l.neuron.incoming_delay != 0) fail(l, i, "IncomingDelay is not supported");
        std::uint64_t p = phase[std::size_t(l.inputs.at(0) + 1)];
        for (int src : l.inputs)
            if (phase[std::size_t(src + 1)] != p)
                fail(l, i, "its inputs spike in different time windows (" + std::to_string(p) + " and " +
                               std::to_string(phase[std::size_t(src + 1)]) + "); every input must be as deep in neuron layers");
        TtfsTiming& t = out[i];
        t.window = window;
        t.step = step;
        t.levels = levels;
        if (!has_neurons(l.kind)) {
            phase[i + 1] = p;
            continue;
        }
        const NeuronConfig& n = l.neuron;
        if (n.ttfs_levels == 0) fail(l, i, "some neuron layers are TTFS and this one is not");
        if (n.ttfs_levels != levels || n.ttfs_step != step)
            fail(l, i, "TtfsLevels / TtfsStep differ from layer '" + first->name + "'");
        if (n.bipolar) fail(l, i, "BipolarThreshold is not supported");
        if (n.leak_tau != 0) fail(l, i, "Leak is not supported");
        if (n.refractory != 0) fail(l, i, "Refractory is not supported (a TTFS neuron fires once)");
        if (n.initial_potential != 0) fail(l, i, "InitialPotential is not supported");
        if (!(n.ttfs_cutoff >= 0 && n.ttfs_cutoff <= 1)) fail(l, i, "TtfsCutoff must be in [0, 1]");
        t.neurons = true;
        t.end = window * (p + 1);
        t.k_last = ttfs_k_last(levels, n.ttfs_cutoff);
        phase[i + 1] = p + 1;
    }
    return out;
}

Time ttfs_duration(const Network& net) {
    const auto t = ttfs_timing(net);
    Time d = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i].neurons) d = std::max(d, t[i].end + (net.layers[i].spiking ? t[i].window : 0));
    return d;
}

float ttfs_scale(Time t, Time end, Time window) {
    return static_cast<float>(static_cast<double>(end - t) / static_cast<double>(window));
}

void ttfs_scale_weights(const float* w, float s, float* out, std::uint32_t n) {
    for (std::uint32_t j = 0; j < n; ++j) out[j] = w[j] * s;
}

float ttfs_scaled(float w, float s) { return w * s; }

float ttfs_theta(float th, std::uint32_t levels, std::uint32_t k) {
    return static_cast<float>(static_cast<double>(th) * (static_cast<double>(levels) - k - 0.5) / levels);
}

std::uint32_t ttfs_k_last(std::uint32_t levels, double cutoff) {
    const double m = std::ceil(cutoff * levels - 1e-9);  // the smallest level that fires, >= 1
    const std::uint64_t min_level = m < 1 ? 1 : std::uint64_t(m);
    return min_level >= levels ? 0 : std::uint32_t(levels - min_level);
}

std::uint32_t ttfs_fire_step(float v, float th, std::uint32_t levels, std::uint32_t k_last) {
    if (!(v >= ttfs_theta(th, levels, k_last))) return kTtfsNoFire;
    // theta_k decreases with k: the first k with v >= theta_k, by bisection over [0, k_last].
    std::uint32_t lo = 0, hi = k_last;
    while (lo < hi) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        if (v >= ttfs_theta(th, levels, mid)) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

}  // namespace n2d2::spike
