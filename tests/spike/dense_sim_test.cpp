#include "spike/dense_sim.h"

#include <gtest/gtest.h>

using namespace n2d2::spike;

TEST(SpikeDenseSim, HandCheckedSingleNeuron) {
    DenseLayer L;
    L.inputs = 1;
    L.outputs = 1;
    L.weights = {0.6f};
    CoderConfig cfg;
    cfg.period_min = 1;
    cfg.period_mean_min = 10;
    cfg.period_mean_max = 10;
    cfg.duration = 50;
    std::vector<float> px{1.0f};
    auto in = encode(cfg, px, 0);  // spikes at 10, 20, 30, 40, 50
    auto r = simulate_events({L}, 1, in, cfg.duration);
    ASSERT_EQ(r.trains[0].size(), 3u);
    EXPECT_EQ(r.trains[0][0].time, 20u);
    EXPECT_EQ(r.trains[0][1].time, 40u);
    EXPECT_EQ(r.trains[0][2].time, 50u);
    EXPECT_EQ(r.synaptic_events, 5u);
    auto c = simulate_clock({L}, 1, in, cfg.duration, 10);
    EXPECT_EQ(c.trains, r.trains);
    EXPECT_THROW(simulate_events({L}, 2, in, 50), std::invalid_argument);
}

namespace {
std::vector<DenseLayer> random_net(std::uint64_t seed, std::vector<std::uint32_t> sizes,
                                   const NeuronConfig& neuron) {
    Rng rng(seed);
    std::vector<DenseLayer> net;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        DenseLayer L;
        L.inputs = sizes[l];
        L.outputs = sizes[l + 1];
        L.neuron = neuron;
        for (std::size_t i = 0; i < std::size_t(L.inputs) * L.outputs; ++i)
            L.weights.push_back(static_cast<float>(rng.uniform01() * 1.2 - 0.4));
        net.push_back(L);
    }
    return net;
}
}  // namespace

TEST(SpikeDenseSim, EventAndClockAgreeSpikeForSpike) {
    std::vector<NeuronConfig> neurons(4);
    neurons[1].bipolar = true;
    neurons[2].leak_tau = 300;
    neurons[2].initial_potential = 0.5;
    neurons[3].refractory = 7;
    neurons[3].threshold = 0.8;
    std::uint64_t total_spikes = 0;
    for (std::size_t n = 0; n < neurons.size(); ++n)
        for (StimulusType type : {StimulusType::Periodic, StimulusType::Poissonian,
                                  StimulusType::JitteredPeriodic}) {
            CoderConfig cfg;
            cfg.type = type;
            cfg.period_min = 1;
            cfg.period_mean_min = 5;
            cfg.period_mean_max = 60;
            cfg.duration = 600;
            cfg.seed = 11 + n;
            Rng rng(99 + n);
            std::vector<float> px(13);
            for (auto& p : px) p = static_cast<float>(rng.uniform01());
            auto in = encode(cfg, px, n);
            auto net = random_net(5 + n, {13, 9, 7, 4}, neurons[n]);
            auto e = simulate_events(net, 13, in, cfg.duration);
            auto c = simulate_clock(net, 13, in, cfg.duration, 1);
            ASSERT_EQ(e.trains.size(), 3u);
            EXPECT_EQ(e.synaptic_events, c.synaptic_events);
            EXPECT_EQ(e.output_potential, c.output_potential);
            for (std::size_t l = 0; l < 3; ++l) {
                EXPECT_EQ(e.trains[l], c.trains[l]) << "neuron set " << n << " layer " << l;
                EXPECT_EQ(e.counts[l], c.counts[l]);
                total_spikes += e.trains[l].size();
            }
        }
    EXPECT_GT(total_spikes, 500u);  // the comparison is not over silent networks
}

TEST(SpikeDenseSim, TerminateDeltaStopsWhenTheLeaderIsAhead) {
    DenseLayer L;
    L.inputs = 1;
    L.outputs = 3;
    L.weights = {1.0f, 0.0f, 0.5f};
    CoderConfig cfg;
    cfg.period_min = 1;
    cfg.period_mean_min = 10;
    cfg.period_mean_max = 10;
    cfg.duration = 100;
    std::vector<float> px{1.0f};
    auto in = encode(cfg, px, 0);  // spikes at 10, 20, ..., 100
    auto full = simulate_events({L}, 1, in, cfg.duration);
    EXPECT_FALSE(full.terminated);
    EXPECT_EQ(full.end_time, 100u);
    EXPECT_EQ(full.counts[0], (std::vector<std::uint64_t>{10, 0, 5}));
    // Neuron 0 fires every event, neuron 2 every second one: at t = 50 the counts are 5 and 2, a lead of 3.
    auto early = simulate_events({L}, 1, in, cfg.duration, 3);
    EXPECT_TRUE(early.terminated);
    EXPECT_EQ(early.end_time, 50u);
    EXPECT_EQ(early.counts[0], (std::vector<std::uint64_t>{5, 0, 2}));
    EXPECT_EQ(early.synaptic_events, 15u);
}
