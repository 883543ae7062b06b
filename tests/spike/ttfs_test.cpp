// Time-to-first-spike coding (spike/ttfs.h): the coder, the falling-threshold fire rule, the
// window timing, hand-checked runs of both simulators, event vs clock spike for spike on a
// network with every layer kind, thread-count independence, refusals.
#include "spike/batch.h"
#include "spike/clock_sim.h"
#include "spike/event_sim.h"
#include "spike/formal_eval.h"
#include "spike/ttfs.h"
#include "tests/spike/random_network.h"
#include "tests/spike/sim_compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace n2d2::spike;
using n2d2::spike::testing::random_weights;

namespace {

CoderConfig ttfs_coder(std::uint32_t levels, Time step) {
    CoderConfig c;
    c.type = StimulusType::TimeToFirstSpike;
    c.ttfs_levels = levels;
    c.ttfs_step = step;
    c.duration = 1'000'000;
    return c;
}

void make_ttfs(Network& net, std::uint32_t levels, Time step, double cutoff = 0.0) {
    for (Layer& l : net.layers) {
        l.neuron.ttfs_levels = levels;
        l.neuron.ttfs_step = step;
        l.neuron.ttfs_cutoff = cutoff;
    }
}

// input 2 pixels -> fc1 (1 neuron, w = [0.25, 0.5], bias 0.05) -> fc2 (2 neurons, w = [1], [-2],
// bias [0, 0.25]); K = 4 levels of 10 fs: windows of 40 fs.
Network hand_net(bool spiking_output) {
    Network net;
    net.input = {2, 1, 1};
    Layer a;
    a.name = "fc1";
    a.kind = LayerKind::Fc;
    a.inputs = {-1};
    a.in = {2, 1, 1};
    a.out = {1, 1, 1};
    a.weights = {0.25f, 0.5f};
    a.bias = {0.05f};
    Layer b;
    b.name = "fc2";
    b.kind = LayerKind::Fc;
    b.inputs = {0};
    b.in = {1, 1, 1};
    b.out = {2, 1, 1};
    b.weights = {1.0f, -2.0f};
    b.bias = {0.0f, 0.25f};
    b.spiking = spiking_output;
    net.layers = {a, b};
    net.output = 1;
    make_ttfs(net, 4, 10);
    return net;
}

// Every layer kind, inputs of each multi-input layer in one window:
// input 2x7x7 -> c1 conv 4ch 3x3 pad 1 groups 2 (+bias) -> p1 maxpool 3x3/2 pad 1 (4x4x4)
// -> c2a conv 3x3 dilation_h 2 pad (2, 1), c2b conv 3x3 pad 1 (all-rows fan-out)
// -> a = add(c2a, c2b), c2c = conv 1x1 of c2a -> cat = concat(a, c2c) (8x4x4)
// -> c3 conv 6ch 2x3 stride 2 pad_left 1 (6x2x2) -> fc 5 (+bias, the output).
Network ttfs_network(std::uint64_t seed, bool spiking_output, double cutoff) {
    using n2d2::spike::testing::conv;
    using n2d2::spike::testing::maxpool;
    Rng rng(seed);
    Network net;
    net.input = {2, 7, 7};
    Layer c1 = conv("c1", -1, {2, 7, 7}, {4, 7, 7}, 3, 3, rng);
    c1.pad_top = c1.pad_left = 1;
    c1.groups = 2;
    c1.weights = random_weights(rng, 4 * 9, -0.1, 0.35);
    c1.bias = random_weights(rng, 4, -0.2, 0.1);
    Layer p1 = maxpool("p1", 0, c1.out, {4, 4, 4}, 3, 2, 1);
    Layer c2a = conv("c2a", 1, {4, 4, 4}, {4, 4, 4}, 3, 3, rng);
    c2a.dilation_h = 2;
    c2a.pad_top = 2;
    c2a.pad_left = 1;
    c2a.weights = random_weights(rng, 4 * 4 * 9, -0.12, 0.2);
    Layer c2b = conv("c2b", 1, {4, 4, 4}, {4, 4, 4}, 3, 3, rng);
    c2b.pad_top = c2b.pad_left = 1;
    c2b.weights = random_weights(rng, 4 * 4 * 9, -0.12, 0.2);
    c2b.bias = random_weights(rng, 4, -0.1, 0.1);
    Layer a;
    a.name = "a";
    a.kind = LayerKind::Add;
    a.inputs = {2, 3};
    a.in = a.out = {4, 4, 4};
    a.input_scale = {0.613f, 0.487f};  // no exact half-level sums (ties of the rounding)
    Layer c2c = conv("c2c", 2, {4, 4, 4}, {4, 4, 4}, 1, 1, rng);
    c2c.weights = random_weights(rng, 4 * 4, -0.3, 0.9);
    Layer cat;
    cat.name = "cat";
    cat.kind = LayerKind::Concat;
    cat.inputs = {4, 5};
    cat.in = {4, 4, 4};
    cat.out = {8, 4, 4};
    Layer c3 = conv("c3", 6, {8, 4, 4}, {6, 2, 2}, 2, 3, rng);
    c3.stride_h = c3.stride_w = 2;
    c3.pad_left = 1;
    c3.weights = random_weights(rng, 6 * 8 * 6, -0.1, 0.25);
    Layer fc;
    fc.name = "fc";
    fc.kind = LayerKind::Fc;
    fc.inputs = {7};
    fc.in = c3.out;
    fc.out = {5, 1, 1};
    fc.weights = random_weights(rng, 5 * 24, -0.2, 0.4);
    fc.bias = random_weights(rng, 5, -0.1, 0.2);
    fc.spiking = spiking_output;
    net.layers = {c1, p1, c2a, c2b, a, c2c, cat, c3, fc};
    net.output = 8;
    make_ttfs(net, 6, 2, cutoff);
    return net;
}

std::vector<float> random_image(std::uint64_t seed, std::size_t n) {
    Rng rng(seed);
    std::vector<float> px(n);
    for (auto& v : px) v = rng.uniform01() < 0.3 ? 0.0f : static_cast<float>(rng.uniform01());
    return px;
}

}  // namespace

TEST(SpikeTtfs, CoderOneSpikePerPixelBrighterEarlier) {
    CoderConfig c = ttfs_coder(4, 10);
    EXPECT_EQ(parse_stimulus_type("TimeToFirstSpike"), StimulusType::TimeToFirstSpike);
    EXPECT_STREQ(stimulus_type_name(StimulusType::TimeToFirstSpike), "TimeToFirstSpike");
    // level = round(4 v): 1 -> 4 (t 0), 0.5 -> 2 (t 20), 0.13 -> 1 (t 30), 0.1 -> 0 (none), 0 none
    EXPECT_EQ(encode_pixel(c, 1.0, 0, 0), std::vector<Time>{0});
    EXPECT_EQ(encode_pixel(c, 2.0, 0, 0), std::vector<Time>{0});
    EXPECT_EQ(encode_pixel(c, 0.5, 0, 0), std::vector<Time>{20});
    EXPECT_EQ(encode_pixel(c, 0.13, 0, 0), std::vector<Time>{30});
    EXPECT_TRUE(encode_pixel(c, 0.1, 0, 0).empty());
    EXPECT_TRUE(encode_pixel(c, 0.0, 0, 0).empty());
    EXPECT_TRUE(encode_pixel(c, -1.0, 0, 0).empty());
    c.duration = 25;
    EXPECT_TRUE(encode_pixel(c, 0.13, 0, 0).empty());  // t 30 past the duration
    // 255 levels: pixel p / 255 spikes at step 255 - p exactly.
    CoderConfig c255 = ttfs_coder(255, 3);
    for (int p : {1, 2, 77, 128, 254, 255})
        EXPECT_EQ(encode_pixel(c255, float(p) / 255.0f, 9, 1), std::vector<Time>{Time(255 - p) * 3}) << p;
    c.duration = 30;
    const std::vector<float> px = {0.5f, 1.0f, 0.0f, 0.13f};
    const auto in = encode(c, px, 0);
    ASSERT_EQ(in.size(), 3u);
    EXPECT_EQ(in[0], (InputSpike{0, 1}));
    EXPECT_EQ(in[1], (InputSpike{20, 0}));
    EXPECT_EQ(in[2], (InputSpike{30, 3}));
    c.ttfs_levels = 0;
    EXPECT_THROW(encode_pixel(c, 0.5, 0, 0), std::invalid_argument);
}

TEST(SpikeTtfs, FallingThresholdHandChecked) {
    // K = 4, Threshold 1: theta_k = (4 - k - 0.5) / 4 = 0.875, 0.625, 0.375, 0.125.
    EXPECT_FLOAT_EQ(ttfs_theta(1.0f, 4, 0), 0.875f);
    EXPECT_FLOAT_EQ(ttfs_theta(1.0f, 4, 3), 0.125f);
    EXPECT_FLOAT_EQ(ttfs_theta(2.0f, 4, 1), 1.25f);
    EXPECT_EQ(ttfs_k_last(4, 0.0), 3u);
    EXPECT_EQ(ttfs_k_last(4, 0.5), 2u);   // levels >= 2 fire: x >= 0.5
    EXPECT_EQ(ttfs_k_last(4, 0.3), 2u);   // ceil(1.2) = 2
    EXPECT_EQ(ttfs_k_last(4, 1.0), 0u);
    EXPECT_EQ(ttfs_k_last(255, 0.05), 242u);  // ceil(12.75) = 13: x >= 13 / 255
    EXPECT_EQ(ttfs_fire_step(1.5f, 1.0f, 4, 3), 0u);
    EXPECT_EQ(ttfs_fire_step(0.875f, 1.0f, 4, 3), 0u);
    EXPECT_EQ(ttfs_fire_step(0.7f, 1.0f, 4, 3), 1u);
    EXPECT_EQ(ttfs_fire_step(0.2f, 1.0f, 4, 3), 3u);
    EXPECT_EQ(ttfs_fire_step(0.1f, 1.0f, 4, 3), kTtfsNoFire);
    EXPECT_EQ(ttfs_fire_step(-3.0f, 1.0f, 4, 3), kTtfsNoFire);
    EXPECT_EQ(ttfs_fire_step(0.2f, 1.0f, 4, 2), kTtfsNoFire);  // under the cutoff
    EXPECT_EQ(ttfs_fire_step(0.4f, 1.0f, 4, 2), 2u);
    // The fire step is the rounded activation: x = (K - k) / K = round(K v / th) / K.
    for (int i = 1; i <= 1000; ++i) {
        const float v = float(i) / 997.0f;
        const std::uint32_t k = ttfs_fire_step(v, 1.0f, 255, 254);
        const long level = std::min(255L, std::lround(double(v) * 255.0));
        if (level == 0) EXPECT_EQ(k, kTtfsNoFire) << v;
        else EXPECT_EQ(long(255 - k), level) << v;
    }
    EXPECT_FLOAT_EQ(ttfs_scale(10, 40, 40), 0.75f);
}

TEST(SpikeTtfs, WindowTimingAndRefusals) {
    const Network net = ttfs_network(1, false, 0.0);
    EXPECT_TRUE(is_ttfs(net));
    const auto t = ttfs_timing(net);
    // window 12: c1 ends 12; c2a, c2b 24; a, c2c 36; c3 48; fc 60.
    const Time ends[] = {12, 0, 24, 24, 36, 36, 0, 48, 60};
    for (std::size_t i = 0; i < t.size(); ++i) {
        EXPECT_EQ(t[i].end, ends[i]) << net.layers[i].name;
        EXPECT_EQ(t[i].neurons, ends[i] != 0) << net.layers[i].name;
        EXPECT_EQ(t[i].window, 12u);
    }
    EXPECT_EQ(ttfs_duration(net), 60u);
    EXPECT_EQ(ttfs_duration(ttfs_network(1, true, 0.0)), 72u);
    EXPECT_TRUE(is_ttfs(hand_net(false)));
    EXPECT_FALSE(is_ttfs(n2d2::spike::testing::random_network(1)));

    auto refused = [](Network n, const std::string& part) {
        try {
            ttfs_timing(n);
            ADD_FAILURE() << "accepted: " << part;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
        }
    };
    Network n = ttfs_network(1, false, 0.0);
    n.layers[2].neuron.bipolar = true;
    refused(n, "'c2a' (Conv): time-to-first-spike: BipolarThreshold");
    n = ttfs_network(1, false, 0.0);
    n.layers[7].neuron.leak_tau = 5;
    refused(n, "'c3' (Conv): time-to-first-spike: Leak");
    n = ttfs_network(1, false, 0.0);
    n.layers[0].neuron.ttfs_levels = 0;
    refused(n, "'c1' (Conv): time-to-first-spike: some neuron layers are TTFS");
    n = ttfs_network(1, false, 0.0);
    n.layers[4].inputs = {1, 3};  // p1 (window 1) + c2b (window 2)
    refused(n, "'a' (Add): time-to-first-spike: its inputs spike in different time windows");
    n = ttfs_network(1, false, 0.0);
    n.layers[8].neuron.ttfs_step = 3;
    refused(n, "'fc' (Fc): time-to-first-spike: TtfsLevels / TtfsStep differ");
    // The simulators refuse an input off the step grid.
    Network h = hand_net(false);
    const std::vector<InputSpike> off = {{5, 0}};
    EXPECT_THROW(simulate_events(h, off, SimOptions{}), std::invalid_argument);
    EXPECT_THROW(simulate_clock(h, off, SimOptions{}, 10), std::invalid_argument);
}

TEST(SpikeTtfs, HandCheckedTwoLayerRunBothSimulators) {
    // Pixels 1.0 (t 0) and 0.5 (t 20). fc1 at t_end 40: 0.25 * 1 + 0.5 * 0.5 + 0.05 = 0.55,
    // fires at k = 2 (0.55 >= 0.375), t = 60: x = 0.5. fc2, window [40, 80): the spike at 60
    // adds w * (80 - 60) / 40 = w * 0.5 -> [0.5, -1.0]; at 80 the bias -> [0.5, -0.75].
    const std::vector<InputSpike> in = encode(ttfs_coder(4, 10), std::vector<float>{1.0f, 0.5f}, 0);
    ASSERT_EQ(in.size(), 2u);
    SimOptions opt;
    opt.duration = 120;
    opt.record_trains = true;
    for (int sim = 0; sim < 2; ++sim) {
        const Network net = hand_net(false);
        const SimResult r = sim == 0 ? simulate_events(net, in, opt) : simulate_clock(net, in, opt, 10);
        SCOPED_TRACE(sim == 0 ? "event" : "clock");
        ASSERT_EQ(r.trains[0].size(), 1u);
        EXPECT_EQ(r.trains[0][0].time, 60u);
        EXPECT_EQ(r.spikes, (std::vector<std::uint64_t>{1, 0}));
        EXPECT_EQ(r.events, (std::vector<std::uint64_t>{2, 2}));
        EXPECT_EQ(r.bias_updates, (std::vector<std::uint64_t>{1, 2}));
        ASSERT_EQ(r.output_potential.size(), 2u);
        EXPECT_FLOAT_EQ(float(r.output_potential[0]), 0.5f);
        EXPECT_FLOAT_EQ(float(r.output_potential[1]), -0.75f);
        // Spiking output: neuron 0 (0.5) fires at k = 2 of [80, 120): t = 100; neuron 1 never.
        const Network net2 = hand_net(true);
        const SimResult s = sim == 0 ? simulate_events(net2, in, opt) : simulate_clock(net2, in, opt, 10);
        EXPECT_EQ(s.output_first_spike[0], 100u);
        EXPECT_EQ(s.output_first_spike[1], kNoSpike);
        EXPECT_EQ(s.output_counts, (std::vector<std::uint64_t>{1, 0}));
        EXPECT_EQ(decide(s, Readout::FirstSpike), 0u);
        // Simulated only up to 70: fc2 has the arrival, not the bias.
        SimOptions cut = opt;
        cut.duration = 70;
        const SimResult c = sim == 0 ? simulate_events(net, in, cut) : simulate_clock(net, in, cut, 10);
        EXPECT_FLOAT_EQ(float(c.output_potential[1]), -1.0f);
        EXPECT_EQ(c.bias_updates, (std::vector<std::uint64_t>{1, 0}));
    }
}

TEST(SpikeTtfs, EventAndClockAgreeSpikeForSpike) {
    int fired_layers = 0;
    for (std::uint64_t seed = 1; seed <= 4; ++seed)
        for (bool spiking : {false, true})
            for (double cutoff : {0.0, 0.34}) {
                const Network net = ttfs_network(seed, spiking, cutoff);
                CoderConfig c = ttfs_coder(6, 2);
                const auto in = encode(c, random_image(seed * 7, net.input.size()), seed);
                ASSERT_FALSE(in.empty());
                for (Time dur : {ttfs_duration(net), Time(41)})
                    for (std::uint64_t td : {std::uint64_t(0), std::uint64_t(1)}) {
                        if (td && !spiking) continue;
                        SimOptions opt;
                        opt.duration = dur;
                        opt.terminate_delta = td;
                        opt.record_trains = true;
                        const std::string what = "seed " + std::to_string(seed) + (spiking ? " spiking" : " potential") +
                                                 " cutoff " + std::to_string(cutoff) + " duration " + std::to_string(dur) +
                                                 " td " + std::to_string(td);
                        const SimResult e = simulate_events(net, in, opt);
                        for (Time dt : {Time(1), Time(2)}) {
                            const SimResult k = simulate_clock(net, in, opt, dt);
                            n2d2::spike::testing::expect_same_result(e, k, what, &net);
                        }
                        // Fire once: no neuron appears twice in a train.
                        for (std::size_t l = 0; l < e.trains.size(); ++l) {
                            if (net.layers[l].kind == LayerKind::MaxPool || net.layers[l].kind == LayerKind::Concat) continue;
                            std::vector<std::uint32_t> ids;
                            for (const auto& s : e.trains[l]) ids.push_back(s.neuron);
                            std::sort(ids.begin(), ids.end());
                            EXPECT_TRUE(std::adjacent_find(ids.begin(), ids.end()) == ids.end()) << what;
                            fired_layers += !ids.empty();
                        }
                    }
            }
    EXPECT_GT(fired_layers, 100);  // the layers do fire (the comparison is not vacuous)
}

TEST(SpikeTtfs, PotentialReadoutIsTheFormalOutputUpToQuantization) {
    // 255 levels, no cutoff: the output potential is the formal replay's output (activations
    // quantized to 1/255, clipped at 1) within a small tolerance, while the activations stay
    // under 1 on these inputs.
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        Network net = ttfs_network(seed, false, 0.0);
        make_ttfs(net, 255, 1, 0.0);
        auto px = random_image(seed * 11, net.input.size());
        for (float& v : px) v = std::round(v * 127.0f) / 255.0f;  // exact levels, activations under 1
        // Scale each layer whose activations reach 1 down to a maximum of 0.8 (a normalization).
        for (std::size_t l = 0; l + 1 < net.layers.size(); ++l) {
            const auto layers = formal_eval_layers(net, px);
            const float mx = *std::max_element(layers[l].begin(), layers[l].end());
            ASSERT_GT(mx, 0.1f) << "layer " << net.layers[l].name << " silent";
            if (mx < 1.0f || net.layers[l].weights.empty()) continue;
            for (float& w : net.layers[l].weights) w *= 0.8f / mx;
            for (float& w : net.layers[l].bias) w *= 0.8f / mx;
        }
        const auto layers = formal_eval_layers(net, px);
        for (std::size_t l = 0; l + 1 < layers.size(); ++l)
            for (float v : layers[l]) ASSERT_LT(v, 1.0f) << "precondition, layer " << net.layers[l].name;
        SimOptions opt;
        opt.duration = ttfs_duration(net);
        const SimResult r = simulate_events(net, encode(ttfs_coder(255, 1), px, 0), opt);
        const auto f = formal_eval(net, px);
        ASSERT_EQ(r.output_potential.size(), f.size());
        double worst = 0;
        for (std::size_t o = 0; o < f.size(); ++o) worst = std::max(worst, std::abs(r.output_potential[o] - f[o]));
        EXPECT_LT(worst, 0.01) << "seed " << seed;
    }
}

TEST(SpikeTtfs, RunPatternsIdenticalForAnyThreadCount) {
    const Network net = ttfs_network(3, false, 0.1);
    const std::size_t n = 24, size = net.input.size();
    std::vector<float> images;
    for (std::size_t p = 0; p < n; ++p) {
        const auto px = random_image(100 + p, size);
        images.insert(images.end(), px.begin(), px.end());
    }
    CoderConfig c = ttfs_coder(6, 2);
    SimOptions opt;
    opt.duration = ttfs_duration(net);
    const auto r1 = run_patterns(net, images, c, Readout::MembranePotential, opt, 1);
    for (int threads : {2, 3}) {
        const auto rt = run_patterns(net, images, c, Readout::MembranePotential, opt, threads);
        ASSERT_EQ(rt.size(), n);
        for (std::size_t p = 0; p < n; ++p) {
            EXPECT_EQ(rt[p].decision, r1[p].decision) << p;
            EXPECT_EQ(rt[p].sim.output_potential, r1[p].sim.output_potential) << p;
            EXPECT_EQ(rt[p].sim.events, r1[p].sim.events) << p;
            EXPECT_EQ(rt[p].sim.spikes, r1[p].sim.spikes) << p;
        }
    }
}

TEST(SpikeTtfs, FormalReplayWithTheRoundingMatchesTheSimulator) {
    // ttfs_eval_layers rounds as the coder and the falling threshold do: its output is the
    // event simulator's output potential up to float summation order, with and without cutoff.
    for (std::uint64_t seed = 1; seed <= 4; ++seed)
        for (double cutoff : {0.0, 0.34}) {
            const Network net = ttfs_network(seed, false, cutoff);
            const auto px = random_image(seed * 13, net.input.size());
            SimOptions opt;
            opt.duration = ttfs_duration(net);
            const SimResult r = simulate_events(net, encode(ttfs_coder(6, 2), px, 0), opt);
            const auto layers = ttfs_eval_layers(net, px);
            const auto& out = layers[std::size_t(net.output)];
            ASSERT_EQ(out.size(), r.output_potential.size());
            for (std::size_t o = 0; o < out.size(); ++o)
                EXPECT_NEAR(r.output_potential[o], out[o], 1e-5) << "seed " << seed << " cutoff " << cutoff << " neuron " << o;
            // Levels: every non-output neuron layer passes multiples of 1/6 in [0, 1].
            for (std::size_t l = 0; l + 1 < layers.size(); ++l)
                for (float v : layers[l]) {
                    EXPECT_NEAR(v * 6.0f, std::round(v * 6.0f), 1e-5) << net.layers[l].name;
                    EXPECT_LE(v, 1.0f);
                    // cutoff 0.34: the smallest level is ceil(0.34 * 6) = 3, i.e. 0.5
                    if (cutoff > 0 && v > 0) EXPECT_GE(v, 0.5f - 1e-6) << net.layers[l].name;
                }
        }
}

TEST(SpikeTtfs, BiasCorrectionHandChecked) {
    // pixel -> fc1 (w 1, b 0, cutoff 0.5, K 4) -> fc2 (w 2, b 0, the output). Calibration pixel
    // 0.3: the coder gives round(1.2) / 4 = 0.25, so fc1's input lacks 0.05 -> fc1 bias 0.05.
    // fc1 then gets 0.3, level round(1.2) = 1 < 2 (the cutoff level): it passes 0 where the
    // formal network passes 0.3 -> fc2 bias 2 * 0.3 = 0.6.
    Network net;
    net.input = {1, 1, 1};
    Layer a;
    a.name = "fc1";
    a.kind = LayerKind::Fc;
    a.inputs = {-1};
    a.in = {1, 1, 1};
    a.out = {1, 1, 1};
    a.weights = {1.0f};
    Layer b = a;
    b.name = "fc2";
    b.inputs = {0};
    b.weights = {2.0f};
    net.layers = {a, b};
    net.output = 1;
    make_ttfs(net, 4, 10, 0.5);
    const std::vector<float> calib = {0.3f};
    EXPECT_EQ(ttfs_correct_biases(net, calib), 2u);
    ASSERT_EQ(net.layers[0].bias.size(), 1u);
    EXPECT_NEAR(net.layers[0].bias[0], 0.05f, 1e-6);
    EXPECT_NEAR(net.layers[1].bias[0], 0.6f, 1e-6);
    Network two = ttfs_network(1, false, 0.0);  // 98 pixels: 3 values are no whole image
    EXPECT_THROW(ttfs_correct_biases(two, std::vector<float>{0.1f, 0.2f, 0.3f}), std::invalid_argument);
}

TEST(SpikeTtfs, BiasCorrectionBringsTheOutputCloserToFormal) {
    // A large cutoff (0.34 of 6 levels) takes much away; the correction, computed on 40
    // calibration images, halves (at least) the mean output error on 40 other images.
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        Network net = ttfs_network(seed, false, 0.34);
        auto images = [&](std::uint64_t base) {
            std::vector<float> all;
            for (std::uint64_t p = 0; p < 40; ++p) {
                const auto px = random_image(base + p, net.input.size());
                all.insert(all.end(), px.begin(), px.end());
            }
            return all;
        };
        const auto calib = images(1000), test = images(5000);
        auto error = [&](const Network& n) {
            double e = 0;
            for (std::size_t p = 0; p < 40; ++p) {
                const auto img = std::span<const float>(test).subspan(p * net.input.size(), net.input.size());
                const auto f = formal_eval(net, img);
                const auto q = ttfs_eval_layers(n, img)[std::size_t(n.output)];
                for (std::size_t o = 0; o < f.size(); ++o) e += std::abs(double(f[o]) - q[o]);
            }
            return e;
        };
        Network corrected = net;
        EXPECT_GT(ttfs_correct_biases(corrected, calib), 4u);
        const double before = error(net), after = error(corrected);
        EXPECT_LT(after, 0.5 * before) << "seed " << seed << ": " << before << " -> " << after;
    }
}
