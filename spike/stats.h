#pragma once
// Statistics of a spiking run over many patterns (N2D2's stats_spike): per layer and in total,
// spikes emitted, synaptic events (accumulations), the formal network's MACs, events / MACs,
// "read events per virtual synapse per pattern" (events / formal MACs / patterns), decision
// latency, an energy estimate (pJ per accumulate vs pJ per MAC). Plain numbers in, text and CSV
// out; the simulator results are turned into PatternStats by the caller.
#include "spike/network.h"

#include <cstdint>
#include <string>
#include <vector>

namespace n2d2::spike {

struct PatternStats {
    std::vector<std::uint64_t> spikes, events;  // per layer
    std::uint64_t input_spikes = 0;
    Time latency = 0;  // when the decision was available (see SpikeStats::add)
    bool terminated = false;
};

struct EnergyModel {
    double pj_per_accumulate = 0.9;  // a 32-bit float add (Horowitz, ISSCC 2014, 45 nm)
    double pj_per_mac = 4.6;         // a 32-bit float multiply (3.7) + add (0.9)
};

class SpikeStats {
public:
    explicit SpikeStats(const Network& net);
    void add(const PatternStats& p);  // layer vectors must have one value per layer

    std::uint64_t patterns() const { return patterns_; }
    std::uint64_t synaptic_events() const;  // all layers, all patterns
    std::uint64_t spikes() const;
    std::uint64_t formal_macs() const { return macs_total_; }  // per pattern
    std::uint64_t terminated() const { return terminated_; }
    double input_spikes_per_pattern() const;
    // events / formal MACs / patterns (N2D2's "read events per virtual synapse per pattern").
    double read_events_per_virtual_synapse() const;
    double mean_latency_fs() const;
    Time max_latency_fs() const { return max_latency_; }
    double energy_spike_pj(const EnergyModel& e) const;   // per pattern
    double energy_formal_pj(const EnergyModel& e) const;  // per pattern

    // One row per layer and a total: name, kind, neurons, spikes, events, MACs, ratios (per pattern).
    std::string table() const;
    std::string csv() const;

    struct Row {
        std::string name, alias, kind;
        std::uint64_t neurons = 0, spikes = 0, events = 0, macs = 0;  // spikes/events: totals
    };
    const std::vector<Row>& rows() const { return rows_; }

private:
    std::vector<Row> rows_;
    std::uint64_t patterns_ = 0, macs_total_ = 0, input_spikes_ = 0, terminated_ = 0;
    double latency_sum_ = 0;
    Time max_latency_ = 0;
};

}  // namespace n2d2::spike
