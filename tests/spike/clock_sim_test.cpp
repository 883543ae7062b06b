// The event-driven simulator against the clock-driven reference on random networks with
// every layer kind, several neuron variants and coders: identical trains, counts, events,
// final potentials, first spikes.
#include "spike/clock_sim.h"
#include "spike/event_sim.h"
#include "tests/spike/random_network.h"

#include <gtest/gtest.h>

using namespace n2d2::spike;
using n2d2::spike::testing::NetVariant;
using n2d2::spike::testing::random_network;

namespace {

std::vector<float> random_image(std::uint64_t seed, std::size_t n) {
    Rng rng(seed);
    std::vector<float> px(n);
    for (auto& v : px) v = static_cast<float>(rng.uniform01());
    return px;
}

CoderConfig coder(StimulusType type) {
    CoderConfig c;
    c.type = type;
    c.period_min = 1;
    c.period_mean_min = 3;
    c.period_mean_max = 40;
    c.period_rel_stddev = 0.3;
    c.duration = 160;
    c.seed = 5;
    return c;
}

void compare(const Network& net, const std::vector<InputSpike>& in, SimOptions opt, const std::string& what) {
    opt.record_trains = true;
    const SimResult e = simulate_events(net, in, opt);
    const SimResult c = simulate_clock(net, in, opt, 1);
    ASSERT_EQ(e.trains.size(), c.trains.size());
    for (std::size_t l = 0; l < e.trains.size(); ++l)
        EXPECT_EQ(e.trains[l], c.trains[l]) << what << " layer " << net.layers[l].name;
    EXPECT_EQ(e.spikes, c.spikes) << what;
    EXPECT_EQ(e.events, c.events) << what;
    EXPECT_EQ(e.bias_updates, c.bias_updates) << what;
    EXPECT_EQ(e.output_counts, c.output_counts) << what;
    EXPECT_EQ(e.output_potential, c.output_potential) << what;
    EXPECT_EQ(e.output_first_spike, c.output_first_spike) << what;
    EXPECT_EQ(e.input_spikes, c.input_spikes) << what;
    EXPECT_EQ(e.end_time, c.end_time) << what;
    EXPECT_EQ(e.terminated, c.terminated) << what;
    // Every layer that has neurons fires (the test exercises them) unless it is the readout.
    for (std::size_t l = 0; l < net.layers.size(); ++l)
        if (net.layers[l].kind != LayerKind::Concat && net.layers[l].spiking && !e.terminated) {
            EXPECT_GT(e.spikes[l], 0u) << what << " layer " << net.layers[l].name;
        }
    // The train lengths are the spike counts.
    for (std::size_t l = 0; l < net.layers.size(); ++l) EXPECT_EQ(e.trains[l].size(), e.spikes[l]);
}

}  // namespace

TEST(SpikeClockSim, AgreesWithEventSimOnRandomNetworksSpikeForSpike) {
    const std::vector<std::pair<std::string, NetVariant>> variants = {
        {"plain", {}},
        {"bipolar", {.bipolar = true}},
        {"leaky", {.leak_tau = 40}},
        {"refractory", {.refractory = 3}},
        {"initial", {.initial = 0.5}},
        {"potential-readout", {.readout_potential = true}},
        {"all", {.bipolar = true, .leak_tau = 60, .refractory = 2, .initial = 0.3}},
        {"rows", {.c1_groups = 1}},
        {"rows-bipolar", {.bipolar = true, .c1_groups = 1}},
        {"rows-leaky", {.leak_tau = 40, .c1_groups = 1}},
        {"delays", {.delays = true}},
        {"delays-all", {.bipolar = true, .leak_tau = 60, .refractory = 2, .c1_groups = 1, .delays = true}},
    };
    const StimulusType types[] = {StimulusType::Periodic, StimulusType::JitteredPeriodic,
                                  StimulusType::Poissonian, StimulusType::SingleBurst};
    std::uint64_t seed = 100;
    for (const auto& [name, v] : variants)
        for (StimulusType type : types) {
            const Network net = random_network(++seed, v);
            const CoderConfig c = coder(type);
            const auto px = random_image(seed, net.input.size());
            const auto in = encode(c, px, seed);
            SimOptions opt;
            opt.duration = c.duration;
            compare(net, in, opt, name + "/" + stimulus_type_name(type));
        }
}

TEST(SpikeClockSim, AgreesUnderTerminateDeltaAndWithPartialDuration) {
    const Network net = random_network(7);
    const CoderConfig c = coder(StimulusType::Poissonian);
    for (std::uint64_t p = 0; p < 4; ++p) {
        const auto in = encode(c, random_image(50 + p, net.input.size()), p);
        SimOptions opt;
        opt.duration = 140;
        opt.terminate_delta = 2;
        compare(net, in, opt, "terminate pattern " + std::to_string(p));
        opt.terminate_delta = 0;
        opt.duration = 77;  // cut inside the input trains, not at a bias tick
        compare(net, in, opt, "duration 77 pattern " + std::to_string(p));
    }
}

TEST(SpikeClockSim, ReusedSimulatorStateGivesTheSameResults) {
    const Network net = random_network(9, {.leak_tau = 50, .refractory = 2});
    EventSimulator sim(net);
    const CoderConfig c = coder(StimulusType::Poissonian);
    SimOptions opt;
    opt.duration = c.duration;
    opt.record_trains = true;
    std::vector<SimResult> first;
    for (std::uint64_t p = 0; p < 3; ++p) first.push_back(sim.run(encode(c, random_image(p, net.input.size()), p), opt));
    EventSimulator copy(sim);
    for (std::uint64_t p = 0; p < 3; ++p) {
        const auto in = encode(c, random_image(p, net.input.size()), p);
        const SimResult fresh = simulate_events(net, in, opt);
        const SimResult again = copy.run(in, opt);
        EXPECT_EQ(first[p].trains, fresh.trains);
        EXPECT_EQ(again.trains, fresh.trains);
        EXPECT_EQ(again.output_potential, fresh.output_potential);
    }
}
