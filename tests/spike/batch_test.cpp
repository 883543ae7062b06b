#include "spike/batch.h"

#include <gtest/gtest.h>

using namespace n2d2::spike;

TEST(SpikeBatch, ReadoutsHandChecked) {
    DenseResult r;
    r.counts = {{3, 5, 5}};
    r.output_potential = {0.9, 0.1, 0.4};
    r.trains = {{{10, 0, -1}, {12, 2, 1}, {15, 1, 1}}};
    EXPECT_EQ(decide(r, Readout::SpikeCount), 2u);         // tie 5/5 broken by potential
    EXPECT_EQ(decide(r, Readout::MembranePotential), 0u);
    EXPECT_EQ(decide(r, Readout::FirstSpike), 2u);         // the negative spike does not count
    EXPECT_EQ(parse_readout("potential"), Readout::MembranePotential);
    EXPECT_THROW(parse_readout("max"), std::invalid_argument);
}

TEST(SpikeBatch, IdenticalForAnyThreadCountAndRepeatableWithSeed) {
    Rng rng(3);
    std::vector<DenseLayer> net(2);
    net[0].inputs = 20; net[0].outputs = 12;
    net[1].inputs = 12; net[1].outputs = 5;
    for (auto& L : net)
        for (std::size_t i = 0; i < std::size_t(L.inputs) * L.outputs; ++i)
            L.weights.push_back(static_cast<float>(rng.uniform01() - 0.3));
    std::vector<float> images(37 * 20);
    for (auto& v : images) v = static_cast<float>(rng.uniform01());
    CoderConfig coder;
    coder.type = StimulusType::Poissonian;
    coder.period_min = 1;
    coder.period_mean_min = 5;
    coder.period_mean_max = 80;
    coder.duration = 400;
    coder.seed = 7;
    auto one = run_patterns(net, images, 20, coder, Readout::SpikeCount, 1);
    auto three = run_patterns(net, images, 20, coder, Readout::SpikeCount, 3);
    ASSERT_EQ(one.size(), 37u);
    std::uint64_t spikes = 0;
    for (std::size_t p = 0; p < one.size(); ++p) {
        EXPECT_EQ(one[p].output_counts, three[p].output_counts) << p;
        EXPECT_EQ(one[p].decision, three[p].decision);
        EXPECT_EQ(one[p].synaptic_events, three[p].synaptic_events);
        spikes += one[p].spikes;
    }
    EXPECT_GT(spikes, 100u);
    coder.seed = 8;
    auto other = run_patterns(net, images, 20, coder, Readout::SpikeCount, 2);
    bool differs = false;
    for (std::size_t p = 0; p < one.size(); ++p) differs |= other[p].output_counts != one[p].output_counts;
    EXPECT_TRUE(differs);
    EXPECT_THROW(run_patterns(net, std::span<const float>(images).first(30), 20, coder,
                              Readout::SpikeCount, 1),
                 std::invalid_argument);
}

// ---- run_patterns over a spike::Network ----
#include "spike/event_sim.h"
#include "tests/spike/random_network.h"

TEST(SpikeBatch, NetworkPatternsIdenticalForOneTwoThreeThreads) {
    const Network net = n2d2::spike::testing::random_network(21);
    Rng rng(4);
    const std::size_t n = 23;
    std::vector<float> images(n * net.input.size());
    for (auto& v : images) v = static_cast<float>(rng.uniform01());
    CoderConfig coder;
    coder.type = StimulusType::Poissonian;
    coder.period_min = 1;
    coder.period_mean_min = 3;
    coder.period_mean_max = 40;
    coder.duration = 150;
    SimOptions opt;
    opt.duration = 150;
    std::vector<std::size_t> seen;
    const auto one = run_patterns(net, images, coder, Readout::SpikeCount, opt, 1,
                                  [&](std::size_t done) { seen.push_back(done); });
    ASSERT_EQ(one.size(), n);
    ASSERT_EQ(seen.size(), n);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], i + 1);
    std::uint64_t events = 0;
    for (int threads : {2, 3}) {
        const auto other = run_patterns(net, images, coder, Readout::SpikeCount, opt, threads);
        ASSERT_EQ(other.size(), n);
        for (std::size_t p = 0; p < n; ++p) {
            EXPECT_EQ(other[p].decision, one[p].decision) << p;
            EXPECT_EQ(other[p].sim.output_counts, one[p].sim.output_counts) << p;
            EXPECT_EQ(other[p].sim.events, one[p].sim.events) << p;
            EXPECT_EQ(other[p].sim.spikes, one[p].sim.spikes) << p;
            EXPECT_EQ(other[p].sim.output_potential, one[p].sim.output_potential) << p;
            EXPECT_TRUE(other[p].sim.trains.empty());
        }
    }
    // Pattern p is encode(coder, image p, p) through simulate_events.
    for (std::size_t p : {std::size_t{0}, n - 1}) {
        const auto in = encode(coder, std::span<const float>(images).subspan(p * net.input.size(), net.input.size()), p);
        const SimResult r = simulate_events(net, in, opt);
        EXPECT_EQ(r.output_counts, one[p].sim.output_counts);
        EXPECT_EQ(decide(r, Readout::SpikeCount), one[p].decision);
        events += r.events[0];
    }
    EXPECT_GT(events, 0u);
    EXPECT_THROW(run_patterns(net, std::span<const float>(images).first(30), coder, Readout::SpikeCount, opt, 1),
                 std::invalid_argument);
}

TEST(SpikeBatch, DecideOnSimResult) {
    SimResult r;
    r.output_counts = {3, 5, 5};
    r.output_potential = {0.9, 0.1, 0.4};
    r.output_first_spike = {kNoSpike, 12, 7};
    EXPECT_EQ(decide(r, Readout::SpikeCount), 2u);
    EXPECT_EQ(decide(r, Readout::MembranePotential), 0u);
    EXPECT_EQ(decide(r, Readout::FirstSpike), 2u);
    r.output_first_spike = {kNoSpike, kNoSpike, kNoSpike};
    EXPECT_EQ(decide(r, Readout::FirstSpike), 2u);  // no spike: the count rule
    r.output_potential.pop_back();
    EXPECT_THROW(decide(r, Readout::SpikeCount), std::invalid_argument);
}
