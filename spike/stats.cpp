#include "spike/stats.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "spike/transcode.h"

namespace n2d2::spike {

SpikeStats::SpikeStats(const Network& net) {
    const auto aliases = layer_aliases(net);
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        Row r;
        r.name = l.name;
        r.alias = aliases[i];
        r.kind = layer_kind_name(l.kind);
        r.neurons = l.kind == LayerKind::Concat ? 0 : l.out.size();
        r.macs = spike::formal_macs(l);
        macs_total_ += r.macs;
        rows_.push_back(std::move(r));
    }
}

void SpikeStats::add(const PatternStats& p) {
    if (p.spikes.size() != rows_.size() || p.events.size() != rows_.size())
        throw std::invalid_argument("SpikeStats::add: " + std::to_string(p.spikes.size()) + " layer counts for " +
                                    std::to_string(rows_.size()) + " layers");
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        rows_[i].spikes += p.spikes[i];
        rows_[i].events += p.events[i];
    }
    ++patterns_;
    input_spikes_ += p.input_spikes;
    terminated_ += p.terminated ? 1 : 0;
    latency_sum_ += double(p.latency);
    max_latency_ = std::max(max_latency_, p.latency);
}

std::uint64_t SpikeStats::synaptic_events() const {
    std::uint64_t s = 0;
    for (const Row& r : rows_) s += r.events;
    return s;
}

std::uint64_t SpikeStats::spikes() const {
    std::uint64_t s = 0;
    for (const Row& r : rows_) s += r.spikes;
    return s;
}

double SpikeStats::input_spikes_per_pattern() const { return patterns_ ? double(input_spikes_) / double(patterns_) : 0.0; }

double SpikeStats::read_events_per_virtual_synapse() const {
    return patterns_ && macs_total_ ? double(synaptic_events()) / double(macs_total_) / double(patterns_) : 0.0;
}

double SpikeStats::mean_latency_fs() const { return patterns_ ? latency_sum_ / double(patterns_) : 0.0; }

double SpikeStats::energy_spike_pj(const EnergyModel& e) const {
    return patterns_ ? double(synaptic_events()) / double(patterns_) * e.pj_per_accumulate : 0.0;
}

double SpikeStats::energy_formal_pj(const EnergyModel& e) const { return double(macs_total_) * e.pj_per_mac; }

namespace {

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

}  // namespace

std::string SpikeStats::table() const {
    const double n = patterns_ ? double(patterns_) : 1.0;
    std::string out = "layer    kind      neurons  spikes/pattern  spikes/neuron  events/pattern  formal MACs  events/MACs  name\n";
    auto row = [&](const std::string& alias, const std::string& kind, std::uint64_t neurons, std::uint64_t spikes,
                   std::uint64_t events, std::uint64_t macs, const std::string& name) {
        char b[512];
        std::snprintf(b, sizeof b, "%-8s %-8s %8llu %15.1f %14.3f %15.1f %12llu %12s  %s\n", alias.c_str(), kind.c_str(),
                      (unsigned long long)neurons, double(spikes) / n, neurons ? double(spikes) / n / double(neurons) : 0.0,
                      double(events) / n, (unsigned long long)macs,
                      macs ? fmt("%.4f", double(events) / n / double(macs)).c_str() : "-", name.c_str());
        out += b;
    };
    std::uint64_t neurons = 0;
    for (const Row& r : rows_) {
        row(r.alias, r.kind, r.neurons, r.spikes, r.events, r.macs, r.name);
        neurons += r.neurons;
    }
    row("total", "", neurons, spikes(), synaptic_events(), macs_total_, "");
    return out;
}

std::string SpikeStats::csv() const {
    const double n = patterns_ ? double(patterns_) : 1.0;
    std::string out = "layer,alias,kind,neurons,spikes_per_pattern,events_per_pattern,formal_macs,events_per_mac\n";
    auto row = [&](const std::string& name, const std::string& alias, const std::string& kind, std::uint64_t neurons,
                   std::uint64_t spikes, std::uint64_t events, std::uint64_t macs) {
        char b[512];
        std::snprintf(b, sizeof b, ",%s,%s,%llu,%.6g,%.6g,%llu,%.6g\n", alias.c_str(), kind.c_str(), (unsigned long long)neurons,
                      double(spikes) / n, double(events) / n, (unsigned long long)macs,
                      macs ? double(events) / n / double(macs) : 0.0);
        std::string q = name;
        if (q.find_first_of(",\"") != std::string::npos) {
            std::string e = "\"";
            for (char c : q) e += c == '"' ? std::string("\"\"") : std::string(1, c);
            q = e + "\"";
        }
        out += q + b;
    };
    std::uint64_t neurons = 0;
    for (const Row& r : rows_) {
        row(r.name, r.alias, r.kind, r.neurons, r.spikes, r.events, r.macs);
        neurons += r.neurons;
    }
    row("total", "total", "", neurons, spikes(), synaptic_events(), macs_total_);
    return out;
}

}  // namespace n2d2::spike
