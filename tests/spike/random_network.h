#pragma once
// A small random spike::Network with every layer kind (grouped, dilated, strided, padded
// convolutions, an overlapping max pool, Add, Concat, Fc), for the simulator tests.
#include "spike/network.h"

#include <string>

namespace n2d2::spike::testing {

struct NetVariant {
    bool bipolar = false;     // conv layers bipolar
    Time leak_tau = 0;        // c3, fc
    Time refractory = 0;      // fc
    double initial = 0.0;     // add
    bool readout_potential = false;  // fc non-spiking
    std::uint32_t c1_groups = 2;     // 1: c1 takes the event simulator's all-rows fan-out
    bool delays = false;             // IncomingDelay on p1, c2, cat, c3, fc
};

inline std::vector<float> random_weights(Rng& rng, std::size_t n, double lo, double hi) {
    std::vector<float> w(n);
    for (auto& x : w) x = static_cast<float>(lo + (hi - lo) * rng.uniform01());
    return w;
}

inline Layer conv(std::string name, int input, Shape3 in, Shape3 out, std::uint32_t kh, std::uint32_t kw, Rng& rng) {
    Layer l;
    l.name = std::move(name);
    l.kind = LayerKind::Conv;
    l.inputs = {input};
    l.in = in;
    l.out = out;
    l.kernel_h = kh;
    l.kernel_w = kw;
    (void)rng;
    return l;
}

inline Layer maxpool(std::string name, int input, Shape3 in, Shape3 out, std::uint32_t k, std::uint32_t stride,
                     std::uint32_t pad) {
    Layer l;
    l.name = std::move(name);
    l.kind = LayerKind::MaxPool;
    l.inputs = {input};
    l.in = in;
    l.out = out;
    l.kernel_h = l.kernel_w = k;
    l.stride_h = l.stride_w = stride;
    l.pad_top = l.pad_left = pad;
    return l;
}

// input 2x7x7 -> c1 conv 4ch 3x3 pad 1 groups 2 (+bias) -> p1 maxpool 3x3/2 pad 1 (4x4x4)
// -> c2 conv 4ch 3x3 dilation_h 2 pad (2, 1) ; a = add(p1, c2) ; cat = concat(a, p1) (8x4x4)
// -> c3 conv 6ch 2x3 stride 2 pad_left 1 (6x2x2) -> fc 5 (+bias, the output).
inline Network random_network(std::uint64_t seed, const NetVariant& v = {}) {
    Rng rng(seed);
    Network net;
    net.input = {2, 7, 7};
    net.rate_period = 20;
    Layer c1 = conv("c1", -1, {2, 7, 7}, {4, 7, 7}, 3, 3, rng);
    c1.pad_top = c1.pad_left = 1;
    c1.groups = v.c1_groups;
    c1.weights = random_weights(rng, 4 * (2 / v.c1_groups) * 9, -0.15 / (2 / v.c1_groups), 0.45 / (2 / v.c1_groups));
    c1.bias = random_weights(rng, 4, -0.1, 0.3);
    c1.neuron.bipolar = v.bipolar;
    Layer p1 = maxpool("p1", 0, c1.out, {4, 4, 4}, 3, 2, 1);
    Layer c2 = conv("c2", 1, {4, 4, 4}, {4, 4, 4}, 3, 3, rng);
    c2.dilation_h = 2;  // dilation and padding in y only: the row-mode fan-out (event_sim.cpp)
    c2.pad_top = 2;
    c2.pad_left = 1;
    c2.weights = random_weights(rng, 4 * 4 * 9, -0.2, 0.4);
    c2.neuron.bipolar = v.bipolar;
    Layer a;
    a.name = "a";
    a.kind = LayerKind::Add;
    a.inputs = {1, 2};
    a.in = a.out = {4, 4, 4};
    a.input_scale = {0.7f, 1.1f};
    a.neuron.initial_potential = v.initial;
    Layer cat;
    cat.name = "cat";
    cat.kind = LayerKind::Concat;
    cat.inputs = {3, 1};
    cat.in = {4, 4, 4};
    cat.out = {8, 4, 4};
    Layer c3 = conv("c3", 4, {8, 4, 4}, {6, 2, 2}, 2, 3, rng);
    c3.stride_h = c3.stride_w = 2;
    c3.pad_left = 1;
    c3.weights = random_weights(rng, 6 * 8 * 6, -0.1, 0.3);
    c3.neuron.leak_tau = v.leak_tau;
    Layer fc;
    fc.name = "fc";
    fc.kind = LayerKind::Fc;
    fc.inputs = {5};
    fc.in = c3.out;
    fc.out = {5, 1, 1};
    fc.weights = random_weights(rng, 5 * 24, -0.2, 0.5);
    fc.bias = random_weights(rng, 5, 0.0, 0.2);
    fc.neuron.leak_tau = v.leak_tau;
    fc.neuron.refractory = v.refractory;
    fc.spiking = !v.readout_potential;
    if (v.delays) {
        p1.neuron.incoming_delay = 4;
        c2.neuron.incoming_delay = 3;
        cat.neuron.incoming_delay = 2;
        c3.neuron.incoming_delay = 5;
        fc.neuron.incoming_delay = 1;
    }
    net.layers = {c1, p1, c2, a, cat, c3, fc};
    net.output = 6;
    return net;
}

}  // namespace n2d2::spike::testing
