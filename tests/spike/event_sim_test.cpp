// Hand-checked cases per layer kind for the event-driven simulator over spike::Network, the
// error paths, and the fast fan-out variants (AVX2 / AVX-512) against the scalar one.
#include "spike/batch.h"
#include "spike/clock_sim.h"
#include "spike/event_sim.h"
#include "spike/fanout.h"
#include "tests/spike/sim_compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace n2d2::spike;

namespace {

Layer fc_layer(std::string name, int input, Shape3 in, std::uint32_t outs, std::vector<float> w) {
    Layer l;
    l.name = std::move(name);
    l.kind = LayerKind::Fc;
    l.inputs = {input};
    l.in = in;
    l.out = {outs, 1, 1};
    l.weights = std::move(w);
    return l;
}

using n2d2::spike::testing::expect_same_result;

SimResult both(const Network& net, const std::vector<InputSpike>& in, SimOptions opt) {
    opt.record_trains = true;
    SimResult e = simulate_events(net, in, opt);
    SimResult c = simulate_clock(net, in, opt, 1);
    expect_same_result(e, c);
    return e;
}

}  // namespace

TEST(SpikeEventSim, ConvOneEventGivesTheKernelWindowExactly) {
    // 1x4x4 -> conv 2 ch 3x3, pad 1 -> 2x4x4, non-spiking so potentials are the weights.
    Network net;
    net.input = {1, 4, 4};
    Layer c;
    c.name = "conv";
    c.kind = LayerKind::Conv;
    c.inputs = {-1};
    c.in = {1, 4, 4};
    c.out = {2, 4, 4};
    c.kernel_h = c.kernel_w = 3;
    c.pad_top = c.pad_left = 1;
    for (int oc = 0; oc < 2; ++oc)
        for (int k = 0; k < 9; ++k) c.weights.push_back(float(oc + 1) * 0.01f * float(k + 1));
    c.spiking = false;
    net.layers = {c};
    net.output = 0;
    SimOptions opt;
    opt.duration = 100;
    const SimResult r = both(net, {{5, 1 * 4 + 2}}, opt);  // input (y=1, x=2)
    // Output (oy, ox) sees the input at kernel (ky, kx) = (1 + 1 - oy, 2 + 1 - ox).
    std::vector<double> expect(32, 0.0);
    for (int oy = 0; oy <= 2; ++oy)
        for (int ox = 1; ox <= 3; ++ox)
            for (int oc = 0; oc < 2; ++oc) {
                const int ky = 2 - oy, kx = 3 - ox;
                expect[(oy * 4 + ox) * 2 + oc] = c.weights[oc * 9 + ky * 3 + kx];
            }
    EXPECT_EQ(r.output_potential, expect);
    EXPECT_EQ(r.events, std::vector<std::uint64_t>{18});  // 9 positions x 2 channels
    EXPECT_EQ(r.spikes, std::vector<std::uint64_t>{0});
    EXPECT_EQ(r.input_spikes, 1u);

    // Stride 2, no padding, out 2x1x1 from 1x4x4 with 3x3: input (1,2) is in window (0,0) only.
    net.layers[0].pad_top = net.layers[0].pad_left = 0;
    net.layers[0].stride_h = net.layers[0].stride_w = 2;
    net.layers[0].out = {2, 1, 1};
    const SimResult s = both(net, {{5, 1 * 4 + 2}}, opt);
    EXPECT_EQ(s.output_potential, (std::vector<double>{c.weights[1 * 3 + 2], c.weights[9 + 1 * 3 + 2]}));
    EXPECT_EQ(s.events, std::vector<std::uint64_t>{2});
    const SimResult none = both(net, {{5, 3 * 4 + 3}}, opt);  // (3,3): outside every window
    EXPECT_EQ(none.events, std::vector<std::uint64_t>{0});
}

TEST(SpikeEventSim, BiasTickComesBeforeTheEventsOfItsTime) {
    // One bipolar neuron, v0 = 0.5, bias 0.6 at t = 10, 20; an input event of -1.7 at t = 20.
    // Bias first: 1.1 -> +1 (0.1), then -1.6 -> -1 (-0.6). (Events first would give -1 only.)
    Network net;
    net.input = {1, 1, 1};
    net.rate_period = 10;
    Layer l = fc_layer("fc", -1, {1, 1, 1}, 1, {-1.7f});
    l.bias = {0.6f};
    l.neuron.bipolar = true;
    l.neuron.initial_potential = 0.5;
    net.layers = {l};
    net.output = 0;
    SimOptions opt;
    opt.duration = 25;
    SimResult r = both(net, {{20, 0}}, opt);
    // t=10: 0.5 + 0.6 = 1.1 -> +1, v = 0.1; t=20: 0.7 -> none; then 0.7 - 1.7 = -1.0 -> -1.
    ASSERT_EQ(r.trains[0].size(), 2u);
    EXPECT_EQ(r.trains[0][0], (SpikeEvent{10, 0, 1}));
    EXPECT_EQ(r.trains[0][1], (SpikeEvent{20, 0, -1}));
    EXPECT_EQ(r.bias_updates, std::vector<std::uint64_t>{2});
    EXPECT_EQ(r.events, std::vector<std::uint64_t>{1});
    float v = 0.5f;
    v = v + 0.6f; v = v - 1.0f; v = v + 0.6f; v = v - 1.7f; v = v + 1.0f;
    EXPECT_EQ(r.output_potential[0], double(v));
    // Same time, other order: initial 0.9 so the bias alone fires, then the event (-1.7) the
    // negative spike: at t = 10 two spikes, +1 first.
    net.layers[0].neuron.initial_potential = 0.9;
    opt.duration = 15;
    r = both(net, {{10, 0}}, opt);
    ASSERT_EQ(r.trains[0].size(), 2u);
    EXPECT_EQ(r.trains[0][0], (SpikeEvent{10, 0, 1}));   // 1.5 -> 0.5
    EXPECT_EQ(r.trains[0][1], (SpikeEvent{10, 0, -1}));  // 0.5 - 1.7 = -1.2 -> -0.2
    EXPECT_EQ(r.output_counts, std::vector<std::uint64_t>{1});
}

TEST(SpikeEventSim, MaxPoolFiresWhenTheRunningMaxRises) {
    Network net;
    net.input = {1, 2, 2};
    Layer p;
    p.name = "pool";
    p.kind = LayerKind::MaxPool;
    p.inputs = {-1};
    p.in = {1, 2, 2};
    p.out = {1, 1, 1};
    p.kernel_h = p.kernel_w = p.stride_h = p.stride_w = 2;
    net.layers = {p};
    net.output = 0;
    SimOptions opt;
    opt.duration = 100;
    // counts: t1 c0=1 (max 1: spike), t2 c1=1, t3 c1=2 (spike), t4 c0=2, t5 c0=3 (spike),
    // t6 c2=1, t7 c1=3 c3=1, t8 c1=4 (spike) c1=5 (spike).
    const std::vector<InputSpike> in = {{1, 0}, {2, 1}, {3, 1}, {4, 0}, {5, 0}, {6, 2},
                                        {7, 1}, {7, 3}, {8, 1}, {8, 1}};
    const SimResult r = both(net, in, opt);
    const std::vector<SpikeEvent> expect = {{1, 0, 1}, {3, 0, 1}, {5, 0, 1}, {8, 0, 1}, {8, 0, 1}};
    EXPECT_EQ(r.trains[0], expect);
    EXPECT_EQ(r.output_counts, std::vector<std::uint64_t>{5});
    EXPECT_EQ(r.output_first_spike, std::vector<Time>{1});
    EXPECT_EQ(r.events, std::vector<std::uint64_t>{0});
    EXPECT_EQ(r.input_spikes, 10u);
}

TEST(SpikeEventSim, AddWeighsEachInputByItsScaleInSlotOrder) {
    Network net;
    net.input = {1, 1, 2};
    Layer a;
    a.name = "add";
    a.kind = LayerKind::Add;
    a.inputs = {-1, -1};
    a.in = a.out = {1, 1, 2};
    a.input_scale = {0.3f, 0.5f};
    a.neuron.threshold = 0.6;
    net.layers = {a};
    net.output = 0;
    SimOptions opt;
    opt.duration = 10;
    const SimResult r = both(net, {{2, 1}}, opt);
    EXPECT_EQ(r.output_counts, (std::vector<std::uint64_t>{0, 1}));
    EXPECT_EQ(r.events, std::vector<std::uint64_t>{2});
    float v = 0.3f;
    v = v + 0.5f;
    v = v - 0.6f;
    EXPECT_EQ(r.output_potential, (std::vector<double>{0.0, double(v)}));
}

TEST(SpikeEventSim, ConcatPassesEventsWithChannelOffsets) {
    // input 1x1x2 -> relay (Add, x1) ; concat(input, relay) -> 2x1x2 -> fc identity 4 -> 4.
    Network net;
    net.input = {1, 1, 2};
    Layer relay;
    relay.name = "relay";
    relay.kind = LayerKind::Add;
    relay.inputs = {-1};
    relay.in = relay.out = {1, 1, 2};
    relay.input_scale = {1.0f};  // threshold 1: one spike per input spike
    Layer cat;
    cat.name = "cat";
    cat.kind = LayerKind::Concat;
    cat.inputs = {-1, 0};
    cat.in = {1, 1, 2};
    cat.out = {2, 1, 2};
    std::vector<float> eye(16, 0.0f);
    for (int i = 0; i < 4; ++i) eye[i * 4 + i] = 1.0f;
    Layer fc = fc_layer("fc", 1, {2, 1, 2}, 4, eye);
    net.layers = {relay, cat, fc};
    net.output = 2;
    SimOptions opt;
    opt.duration = 10;
    const SimResult r = both(net, {{1, 1}, {3, 0}, {3, 1}}, opt);
    // concat neuron (x, c) = x * 2 + c: input x=1 -> 2, relay x=1 -> 3; input x=0 -> 0, relay -> 1.
    EXPECT_EQ(r.output_counts, (std::vector<std::uint64_t>{1, 1, 2, 2}));
    EXPECT_EQ(r.spikes, (std::vector<std::uint64_t>{3, 0, 6}));
    EXPECT_TRUE(r.trains[1].empty());
    EXPECT_EQ(r.events, (std::vector<std::uint64_t>{3, 0, 6 * 4}));
}

TEST(SpikeEventSim, PotentialReadoutFirstSpikeAndLeak) {
    Network net;
    net.input = {1, 1, 3};
    Layer l = fc_layer("out", -1, {1, 1, 3}, 2, {0.25f, 0.5f, 0.125f, 1.0f, 0.0f, 0.0f});
    l.spiking = false;
    net.layers = {l};
    net.output = 0;
    SimOptions opt;
    opt.duration = 50;
    SimResult r = both(net, {{1, 0}, {2, 1}, {2, 1}, {4, 2}}, opt);
    EXPECT_EQ(r.output_potential, (std::vector<double>{0.25 + 1.0 + 0.125, 1.0}));
    EXPECT_EQ(r.output_counts, (std::vector<std::uint64_t>{0, 0}));
    EXPECT_EQ(r.output_first_spike, (std::vector<Time>{kNoSpike, kNoSpike}));
    EXPECT_EQ(decide(r, Readout::MembranePotential), 0u);
    EXPECT_EQ(decide(r, Readout::FirstSpike), 0u);  // no spike: count rule, tie -> potential
    // Leak: the final potential decays up to end_time.
    net.layers[0].neuron.leak_tau = 20;
    r = both(net, {{10, 1}}, opt);
    const float f = static_cast<float>(std::exp(-40.0 / 20.0));
    EXPECT_EQ(r.output_potential, (std::vector<double>{double(0.5f * f), 0.0}));
    // First spike: spiking layer. Neuron 1 (weight 1.0 from source 0) fires at t=1, 2, 3;
    // neuron 0: 0.25 at t=1, then 0.25 + 0.5 = 1.0 at t=2 -> spike, 0.25 + 0.5 later.
    net.layers[0].spiking = true;
    net.layers[0].neuron.leak_tau = 0;
    r = both(net, {{1, 0}, {2, 0}, {2, 1}, {3, 0}, {4, 1}}, opt);
    EXPECT_EQ(r.output_first_spike, (std::vector<Time>{2, 1}));
    EXPECT_EQ(r.output_counts, (std::vector<std::uint64_t>{1, 3}));
    EXPECT_EQ(decide(r, Readout::FirstSpike), 1u);
    EXPECT_EQ(r.output_potential[0], double(0.25f + 0.5f));
    // Tie on the first spike time: the lowest index wins.
    r.output_first_spike = {5, 5};
    EXPECT_EQ(decide(r, Readout::FirstSpike), 0u);
}

TEST(SpikeEventSim, TerminateDeltaStopsWhenTheLeaderIsFarEnoughAhead) {
    Network net;
    net.input = {1, 1, 1};
    net.layers = {fc_layer("out", -1, {1, 1, 1}, 2, {1.0f, 0.5f})};
    net.output = 0;
    SimOptions opt;
    opt.duration = 100;
    opt.terminate_delta = 2;
    // neuron 0 fires at every input spike, neuron 1 at every second: counts (1,0) (2,1) (3,1).
    const SimResult r = both(net, {{10, 0}, {20, 0}, {30, 0}, {40, 0}}, opt);
    EXPECT_TRUE(r.terminated);
    EXPECT_EQ(r.end_time, 30u);
    EXPECT_EQ(r.input_spikes, 3u);
    EXPECT_EQ(r.output_counts, (std::vector<std::uint64_t>{3, 1}));
    opt.terminate_delta = 5;
    const SimResult full = both(net, {{10, 0}, {20, 0}, {30, 0}, {40, 0}}, opt);
    EXPECT_FALSE(full.terminated);
    EXPECT_EQ(full.end_time, 100u);
}

TEST(SpikeEventSim, BadInputsAreClearErrors) {
    Network net;
    net.input = {1, 1, 2};
    net.layers = {fc_layer("out", -1, {1, 1, 2}, 1, {1.0f, 1.0f})};
    net.output = 0;
    SimOptions opt;
    EXPECT_THROW(simulate_events(net, std::vector<InputSpike>{{1, 2}}, opt), std::invalid_argument);
    net.layers[0].neuron.incoming_delay = 5;
    EXPECT_THROW(simulate_clock(net, {}, opt, 2), std::invalid_argument);  // 5 not a multiple of 2
    net.layers[0].neuron.incoming_delay = 0;
    net.layers[0].spiking = false;
    opt.terminate_delta = 1;
    EXPECT_THROW(simulate_events(net, {}, opt), std::invalid_argument);
    opt.terminate_delta = 0;
    EXPECT_THROW(simulate_clock(net, std::vector<InputSpike>{{3, 0}}, opt, 2), std::invalid_argument);
    net.layers[0].weights.pop_back();
    EXPECT_THROW(simulate_events(net, {}, opt), std::invalid_argument);
}

TEST(SpikeEventSim, IncomingDelayShiftsArrivals) {
    // input -> a (Fc 1->2, delay 5) -> b (Fc 2->1, delay 7, bias 0.25 at t = 10, 20, ...).
    Network net;
    net.input = {1, 1, 1};
    net.rate_period = 10;
    Layer a = fc_layer("a", -1, {1, 1, 1}, 2, {1.0f, 0.5f});
    a.neuron.incoming_delay = 5;
    Layer b = fc_layer("b", 0, {2, 1, 1}, 1, {0.75f, 0.75f});
    b.neuron.incoming_delay = 7;
    b.bias = {0.25f};
    net.layers = {a, b};
    net.output = 1;
    SimOptions opt;
    opt.duration = 30;
    // Input at 1 and 3: a integrates at 6 (neuron 0 fires; neuron 1 0.5) and 8 (both fire).
    // b: bias 0.25 at 10; a's spikes of 6 arrive at 13 (1.0 -> fires, 0), those of 8 at 15
    // (two events of 0.75: 0.75, then 1.5 -> fires, 0.5); bias at 20: 0.75; at 30: 1.0 -> fires.
    SimResult r = both(net, {{1, 0}, {3, 0}}, opt);
    EXPECT_EQ(r.trains[0], (std::vector<SpikeEvent>{{6, 0, 1}, {8, 0, 1}, {8, 1, 1}}));
    EXPECT_EQ(r.trains[1], (std::vector<SpikeEvent>{{13, 0, 1}, {15, 0, 1}, {30, 0, 1}}));
    EXPECT_EQ(r.events, (std::vector<std::uint64_t>{4, 3}));
    EXPECT_EQ(r.output_first_spike, std::vector<Time>{13});
    // Arrivals after the duration never happen.
    opt.duration = 14;
    r = both(net, {{1, 0}, {3, 0}}, opt);
    EXPECT_EQ(r.trains[1], (std::vector<SpikeEvent>{{13, 0, 1}}));
    EXPECT_EQ(r.events, (std::vector<std::uint64_t>{4, 1}));
}

TEST(SpikeEventSim, UnsortedInputIsSortedFirst) {
    Network net;
    net.input = {1, 1, 3};
    net.layers = {fc_layer("out", -1, {1, 1, 3}, 1, {0.5f, 0.25f, 0.125f})};
    net.output = 0;
    SimOptions opt;
    opt.duration = 20;
    opt.record_trains = true;
    const SimResult a = simulate_events(net, std::vector<InputSpike>{{2, 2}, {1, 1}, {2, 0}, {1, 0}}, opt);
    const SimResult b = simulate_events(net, std::vector<InputSpike>{{1, 0}, {1, 1}, {2, 0}, {2, 2}}, opt);
    expect_same_result(a, b);
}

// ---- fast fan-out variants vs scalar ----

namespace {

void check_variant(const n2d2::spike::detail::FanoutKernels& fast) {
    using namespace n2d2::spike::detail;
    const FanoutKernels ref = fanout_kernels_scalar();
    Rng rng(11);
    for (std::uint32_t n : {1u, 7u, 8u, 9u, 15u, 16u, 17u, 30u, 31u, 33u, 64u, 65u, 80u, 100u, 150u}) {
        for (int mode = 0; mode < 4; ++mode) {
            const bool negate = mode & 1, bipolar = mode & 2;
            // Padded as fanout.h asks; the padding holds values that would fire if touched.
            std::vector<float> v(n + kFanoutPad, 5.0f), w(n + kFanoutPad, 3.0f);
            for (std::uint32_t j = n; j < n + kFanoutPad; j += 2) v[j] = -5.0f;
            for (std::uint32_t j = 0; j < n; ++j) v[j] = float(rng.uniform01() * 2.4 - 1.2);
            for (std::uint32_t j = 0; j < n; ++j) w[j] = float(rng.uniform01() * 0.8 - 0.4);
            v[0] = 0.75f;
            w[0] = negate ? -0.25f : 0.25f;  // exactly the threshold: fires
            std::vector<float> va = v, vb = v;
            std::vector<std::uint64_t> ka(n + kFanoutPad), kb(n + kFanoutPad);  // fanout.h's capacity
            const std::uint32_t na = ref.add_fire(va.data(), w.data(), n, negate, 1.0f, bipolar, 1000, 6, ka.data());
            const std::uint32_t nb = fast.add_fire(vb.data(), w.data(), n, negate, 1.0f, bipolar, 1000, 6, kb.data());
            ASSERT_EQ(na, nb) << fast.name << " n=" << n << " mode=" << mode;
            ka.resize(na);
            kb.resize(nb);
            EXPECT_EQ(ka, kb) << fast.name << " n=" << n;
            EXPECT_EQ(0, std::memcmp(va.data(), vb.data(), va.size() * sizeof(float))) << fast.name << " n=" << n;
            EXPECT_EQ(0, std::memcmp(va.data() + n, v.data() + n, kFanoutPad * sizeof(float))) << "padding changed";
            EXPECT_GE(na, 1u);
            EXPECT_EQ(key_neuron(ka[0]), 1000u);
            // The rows form: 3 rows of n, rows 2n apart, weights walked backwards.
            std::vector<float> rv(6 * n + kFanoutPad), rw(3 * n + kFanoutPad, 0.5f);
            for (auto& x : rv) x = float(rng.uniform01() * 2.4 - 1.2);
            for (std::uint32_t j = 0; j < 3 * n; ++j) rw[j] = float(rng.uniform01() * 0.8 - 0.4);
            std::vector<float> ra = rv, rb = rv;
            std::vector<std::uint64_t> rka(3 * n + kFanoutPad), rkb(3 * n + kFanoutPad);
            const float* wlast = rw.data() + 2 * n;
            const std::uint32_t rna = ref.add_fire_rows(ra.data(), 2 * n, wlast, -std::int64_t(n), 3, n, negate, 1.0f, bipolar, 7, 2, rka.data());
            const std::uint32_t rnb = fast.add_fire_rows(rb.data(), 2 * n, wlast, -std::int64_t(n), 3, n, negate, 1.0f, bipolar, 7, 2, rkb.data());
            ASSERT_EQ(rna, rnb) << fast.name << " rows n=" << n;
            rka.resize(rna);
            rkb.resize(rnb);
            EXPECT_EQ(rka, rkb) << fast.name << " rows n=" << n;
            EXPECT_EQ(ra, rb) << fast.name << " rows n=" << n;
            std::vector<float> pa = v, pb = v;
            ref.add(pa.data(), w.data(), n, negate);
            fast.add(pb.data(), w.data(), n, negate);
            EXPECT_EQ(0, std::memcmp(pa.data(), pb.data(), pa.size() * sizeof(float))) << fast.name << " n=" << n;
        }
    }
}

}  // namespace

// The rare-spike variants (a branch per vector) in the slots of the branch-free ones.
static n2d2::spike::detail::FanoutKernels sparse_of(n2d2::spike::detail::FanoutKernels k) {
    k.add_fire = k.add_fire_sparse;
    k.add_fire_rows = k.add_fire_rows_sparse;
    return k;
}

TEST(SpikeFanout, Avx2MatchesScalar) {
    if (n2d2::kernels::hardware_isa() < n2d2::kernels::Isa::Avx2) GTEST_SKIP() << "CPU lacks AVX2";
    check_variant(n2d2::spike::detail::fanout_kernels_avx2());
    check_variant(sparse_of(n2d2::spike::detail::fanout_kernels_avx2()));
}

TEST(SpikeFanout, Avx512MatchesScalar) {
    if (n2d2::kernels::hardware_isa() < n2d2::kernels::Isa::Avx512) GTEST_SKIP() << "CPU lacks AVX-512";
    check_variant(n2d2::spike::detail::fanout_kernels_avx512());
    check_variant(sparse_of(n2d2::spike::detail::fanout_kernels_avx512()));
}

TEST(SpikeFanout, ChoiceNeverExceedsTheCpu) {
    using n2d2::kernels::Isa;
    const auto k = n2d2::spike::detail::fanout_kernels(Isa::Avx512);
    const char* expect = n2d2::kernels::hardware_isa() == Isa::Avx512 ? "avx512"
                         : n2d2::kernels::hardware_isa() == Isa::Avx2 ? "avx2" : "scalar";
    EXPECT_STREQ(k.name, expect);
    EXPECT_STREQ(n2d2::spike::detail::fanout_kernels(Isa::Scalar).name, "scalar");
}
