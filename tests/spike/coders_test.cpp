#include "spike/coders.h"
#include "spike/neuron.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace n2d2::spike;

TEST(SpikeCoders, ParsesNamesAndFemtoseconds) {
    EXPECT_EQ(parse_stimulus_type("Poissonian"), StimulusType::Poissonian);
    EXPECT_EQ(parse_stimulus_type("JitteredPeriodic"), StimulusType::JitteredPeriodic);
    EXPECT_THROW(parse_stimulus_type("poisson"), std::invalid_argument);
    EXPECT_EQ(parse_femtoseconds("1,000,000"), 1000000u);
    EXPECT_EQ(parse_femtoseconds("10_000"), 10000u);
    EXPECT_EQ(parse_femtoseconds("42"), 42u);
    EXPECT_THROW(parse_femtoseconds("-5"), std::invalid_argument);
    EXPECT_THROW(parse_femtoseconds("1.5"), std::invalid_argument);
    EXPECT_THROW(parse_femtoseconds("1,"), std::invalid_argument);
    EXPECT_THROW(parse_femtoseconds(""), std::invalid_argument);
    EXPECT_THROW(parse_femtoseconds("99999999999999999999999"), std::invalid_argument);
}

TEST(SpikeCoders, PeriodicAndSingleBurstHandChecked) {
    CoderConfig cfg;
    cfg.type = StimulusType::Periodic;
    cfg.period_min = 5;
    cfg.period_mean_min = 10;
    cfg.period_mean_max = 110;
    cfg.duration = 45;
    EXPECT_EQ(mean_period(cfg, 1.0), 10u);
    EXPECT_EQ(mean_period(cfg, 0.5), 18u);  // 1 / (0.5/10 + 0.5/110): the frequency is linear in v
    EXPECT_EQ(mean_period(cfg, 0.0), 0u);
    EXPECT_EQ(encode_pixel(cfg, 1.0, 0, 0), (std::vector<Time>{10, 20, 30, 40}));
    EXPECT_EQ(encode_pixel(cfg, 0.5, 0, 0), (std::vector<Time>{18, 36}));
    EXPECT_EQ(mean_period(cfg, 0.1), 55u);  // 1 / (0.1/10 + 0.9/110)
    EXPECT_TRUE(encode_pixel(cfg, 0.05, 0, 0).empty());  // period 1/(0.005 + 0.95/110) = 73 > 45
    cfg.type = StimulusType::SingleBurst;
    EXPECT_EQ(encode_pixel(cfg, 1.0, 0, 0), (std::vector<Time>{10}));
    std::vector<float> px{0.0f, 1.0f, 1.0f};
    cfg.type = StimulusType::Periodic;
    auto all = encode(cfg, px, 0);
    ASSERT_EQ(all.size(), 8u);
    EXPECT_EQ(all[0], (InputSpike{10, 1}));
    EXPECT_EQ(all[1], (InputSpike{10, 2}));
    EXPECT_EQ(all[7], (InputSpike{40, 2}));
}

TEST(SpikeCoders, RandomCodersSeededAndRateCorrect) {
    CoderConfig cfg;
    cfg.type = StimulusType::Poissonian;
    cfg.period_min = 1;
    cfg.period_mean_min = 1000;
    cfg.period_mean_max = 1000;
    cfg.duration = 10'000'000;
    auto a = encode_pixel(cfg, 1.0, 3, 7);
    EXPECT_EQ(a, encode_pixel(cfg, 1.0, 3, 7));   // repeatable
    EXPECT_NE(a, encode_pixel(cfg, 1.0, 4, 7));   // other pattern, other train
    EXPECT_NEAR(static_cast<double>(a.size()), 10000.0, 400.0);  // mean rate 1/1000 fs
    for (std::size_t i = 1; i < a.size(); ++i) EXPECT_LT(a[i - 1], a[i]);
    cfg.seed = 2;
    EXPECT_NE(a, encode_pixel(cfg, 1.0, 3, 7));
    cfg.type = StimulusType::JitteredPeriodic;
    cfg.period_rel_stddev = 0.1;
    auto j = encode_pixel(cfg, 1.0, 0, 0);
    EXPECT_NEAR(static_cast<double>(j.size()), 10000.0, 100.0);
    for (std::size_t i = 1; i < j.size(); ++i) EXPECT_GE(j[i] - j[i - 1], cfg.period_min);
}

TEST(SpikeNeuron, IntegrateFireResetBySubtraction) {
    NeuronConfig cfg;
    cfg.threshold = 1.0;
    IfNeuron n(cfg);
    EXPECT_EQ(n.integrate(1, 0.6), 0);
    EXPECT_EQ(n.integrate(2, 0.6), 1);
    EXPECT_DOUBLE_EQ(n.potential(), 0.2);   // 1.2 - 1.0, not reset to 0
    EXPECT_EQ(n.integrate(3, -0.5), 0);     // not bipolar: no negative spike
    EXPECT_EQ(n.spikes(), 1u);
    cfg.bipolar = true;
    IfNeuron b(cfg);
    EXPECT_EQ(b.integrate(1, -1.25), -1);
    EXPECT_DOUBLE_EQ(b.potential(), -0.25);
}

TEST(SpikeNeuron, LeakRefractoryInitialPotential) {
    NeuronConfig cfg;
    cfg.threshold = 1.0;
    cfg.leak_tau = 100;
    cfg.initial_potential = 0.5;
    IfNeuron n(cfg);
    EXPECT_EQ(n.integrate(100, 0.0), 0);
    EXPECT_NEAR(n.potential(), 0.5 * std::exp(-1.0), 1e-12);
    cfg.leak_tau = 0;
    cfg.refractory = 10;
    cfg.initial_potential = 0.5;
    IfNeuron r(cfg);
    EXPECT_EQ(r.integrate(0, 0.6), 1);
    EXPECT_EQ(r.integrate(5, 5.0), 0);      // refractory: ignored
    EXPECT_NEAR(r.potential(), 0.1, 1e-12);
    EXPECT_EQ(r.integrate(10, 0.9), 1);     // refractory over
    EXPECT_EQ(r.last_spike(), 10u);
}
