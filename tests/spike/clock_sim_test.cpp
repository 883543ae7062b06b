// The event-driven simulator against the clock-driven reference on random networks with
// every layer kind, several neuron variants and coders: identical trains, counts, events,
// final potentials, first spikes.
#include "spike/clock_sim.h"
#include "spike/event_sim.h"
#include "tests/spike/random_network.h"
#include "tests/spike/sim_compare.h"

#include <gtest/gtest.h>

using namespace n2d2::spike;
using n2d2::spike::testing::NetVariant;
using n2d2::spike::testing::random_network;
using n2d2::spike::testing::expect_same_result;

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
    expect_same_result(e, c, what, &net);
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

// A LeNet-shaped network whose max pool has non-overlapping windows (the event simulator's
// one-unit-per-input table) with a border row and column outside every window, after a
// one-channel conv (the rows fan-out with short rows); bipolar conv neurons send negative
// spikes into the pool.
TEST(SpikeClockSim, AgreesOnNonOverlappingPoolsAndShortConvRows) {
    using n2d2::spike::testing::conv;
    using n2d2::spike::testing::random_weights;
    for (int bipolar = 0; bipolar < 2; ++bipolar)
        for (StimulusType type : {StimulusType::Periodic, StimulusType::Poissonian, StimulusType::SingleBurst}) {
            Rng rng(300 + bipolar);
            Network net;
            net.input = {1, 9, 9};
            net.rate_period = 20;
            Layer c1 = conv("c1", -1, {1, 9, 9}, {3, 7, 7}, 3, 3, rng);
            c1.weights = random_weights(rng, 3 * 9, -0.3, 0.6);
            c1.bias = random_weights(rng, 3, -0.1, 0.2);
            c1.neuron.bipolar = bipolar != 0;
            Layer p1;
            p1.name = "p1";
            p1.kind = LayerKind::MaxPool;
            p1.inputs = {0};
            p1.in = c1.out;
            p1.out = {3, 3, 3};  // 2x2 stride 2 over 7x7: row and column 6 are in no window
            p1.kernel_h = p1.kernel_w = p1.stride_h = p1.stride_w = 2;
            Layer c2 = conv("c2", 1, {3, 3, 3}, {4, 2, 2}, 2, 2, rng);
            c2.weights = random_weights(rng, 4 * 3 * 4, -0.2, 0.5);
            c2.neuron.bipolar = bipolar != 0;
            Layer fc;
            fc.name = "fc";
            fc.kind = LayerKind::Fc;
            fc.inputs = {2};
            fc.in = c2.out;
            fc.out = {4, 1, 1};
            fc.weights = random_weights(rng, 4 * 16, -0.2, 0.6);
            net.layers = {c1, p1, c2, fc};
            net.output = 3;
            const CoderConfig c = coder(type);
            const auto in = encode(c, random_image(77 + bipolar, net.input.size()), 3);
            SimOptions opt;
            opt.duration = c.duration;
            compare(net, in, opt, std::string(bipolar ? "bipolar/" : "plain/") + stimulus_type_name(type));
        }
}
