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
