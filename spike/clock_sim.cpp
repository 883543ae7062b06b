// The clock-driven reference: dense time steps, dense connectivity, written for clarity.
#include "spike/clock_sim.h"

#include "spike/fanout.h"  // fire_check, leak_factor: the one neuron arithmetic
#include "spike/ttfs.h"

#include <optional>
#include <stdexcept>
#include <string>

namespace n2d2::spike {
namespace {

// Per source neuron, the signs of the spikes it emitted in this step, in emission order.
using StepSpikes = std::vector<std::vector<int>>;

struct Neuron {
    float v = 0.0f;
    Time last_update = 0, last_spike = 0;
    bool fired = false;
};

int integrate(const Layer& l, Neuron& n, Time t, float w) {
    const NeuronConfig& c = l.neuron;
    if (c.leak_tau > 0) {
        if (t > n.last_update) n.v = n.v * detail::leak_factor(t - n.last_update, c.leak_tau);
        n.last_update = t;
    }
    if (c.refractory > 0 && n.fired && t - n.last_spike < c.refractory) return 0;
    n.v = n.v + w;
    if (!l.spiking) return 0;
    const int s = detail::fire_check(n.v, static_cast<float>(c.threshold), c.bipolar);
    if (s != 0) {
        n.fired = true;
        n.last_spike = t;
    }
    return s;
}

struct Hwc {
    std::uint32_t y, x, c;
};
Hwc coords(const Shape3& s, std::uint64_t i) {
    return {std::uint32_t(i / (std::uint64_t(s.w) * s.c)), std::uint32_t(i / s.c % s.w), std::uint32_t(i % s.c)};
}

// The kernel offset k with in = out * stride - pad + k * dilation, if any.
std::optional<std::uint32_t> kernel_offset(std::uint32_t in, std::uint32_t out, std::uint32_t stride,
                                           std::uint32_t pad, std::uint32_t dilation, std::uint32_t kernel) {
    const std::int64_t d = std::int64_t(in) + pad - std::int64_t(out) * stride;
    if (d < 0 || d % dilation != 0 || d / dilation >= kernel) return std::nullopt;
    return std::uint32_t(d / dilation);
}

// The weight of the connection from neuron s of input `slot` to neuron o, if connected.
std::optional<float> weight(const Layer& l, const Shape3& in, std::size_t slot, std::uint64_t o, std::uint64_t s) {
    switch (l.kind) {
    case LayerKind::Fc: return l.weights[o * in.size() + s];
    case LayerKind::Add:
        if (o != s) return std::nullopt;
        return l.input_scale[slot];
    case LayerKind::Conv: {
        const Hwc a = coords(l.out, o), b = coords(in, s);
        const std::uint32_t icg = l.in.c / l.groups, ocg = l.out.c / l.groups;
        const std::uint32_t g = a.c / ocg;
        if (b.c / icg != g) return std::nullopt;
        const auto ky = kernel_offset(b.y, a.y, l.stride_h, l.pad_top, l.dilation_h, l.kernel_h);
        const auto kx = kernel_offset(b.x, a.x, l.stride_w, l.pad_left, l.dilation_w, l.kernel_w);
        if (!ky || !kx) return std::nullopt;
        return l.weights[((std::size_t(a.c) * icg + (b.c - g * icg)) * l.kernel_h + *ky) * l.kernel_w + *kx];
    }
    case LayerKind::MaxPool:
    case LayerKind::Concat: break;
    }
    return std::nullopt;
}

}  // namespace

SimResult simulate_clock(const Network& net, std::span<const InputSpike> input,
                         const SimOptions& options, Time dt) {
    validate(net);
    if (dt == 0) throw std::invalid_argument("clock simulator: dt must be > 0");
    bool has_bias = false;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        if (l.neuron.incoming_delay % dt != 0)
            throw std::invalid_argument("spike layer " + std::to_string(i) + " '" + l.name +
                                        "': IncomingDelay is not a multiple of dt");
        has_bias |= !l.bias.empty() && l.kind != LayerKind::MaxPool && l.kind != LayerKind::Concat;
    }
    // Time-to-first-spike neuron layers (spike/ttfs.h): their own timing, no bias ticks.
    const std::vector<TtfsTiming> ttfs = is_ttfs(net) ? ttfs_timing(net) : std::vector<TtfsTiming>{};
    if (!ttfs.empty()) {
        has_bias = false;
        if (ttfs[0].step % dt != 0) throw std::invalid_argument("clock simulator: TtfsStep is not a multiple of dt");
    }
    if (has_bias && net.rate_period % dt != 0)
        throw std::invalid_argument("clock simulator: rate_period is not a multiple of dt");
    for (const InputSpike& s : input) {
        if (s.time % dt != 0) throw std::invalid_argument("clock simulator: input spike time " + std::to_string(s.time) + " is not a multiple of dt");
        if (s.source >= net.input.size()) throw std::invalid_argument("clock simulator: input source out of range");
    }
    const Layer& out_layer = net.layers[std::size_t(net.output)];
    if (options.terminate_delta > 0 && (!out_layer.spiking || out_layer.kind == LayerKind::Concat))
        throw std::invalid_argument("TerminateDelta needs a spiking output layer (the output layer does not fire)");

    const std::size_t nl = net.layers.size();
    std::vector<std::vector<Neuron>> neurons(nl);
    std::vector<std::vector<std::int32_t>> pool_count(nl);   // MaxPool: per input neuron
    std::vector<std::vector<std::uint32_t>> pool_max(nl);    // MaxPool: per pooled unit
    for (std::size_t i = 0; i < nl; ++i) {
        const Layer& l = net.layers[i];
        Neuron init;
        init.v = static_cast<float>(l.neuron.initial_potential);
        neurons[i].assign(l.out.size(), init);
        if (l.kind == LayerKind::MaxPool) {
            pool_count[i].assign(l.in.size(), 0);
            pool_max[i].assign(l.out.size(), 0);
        }
    }
    SimResult r;
    r.spikes.assign(nl, 0);
    r.events.assign(nl, 0);
    r.bias_updates.assign(nl, 0);
    r.output_counts.assign(out_layer.out.size(), 0);
    r.output_first_spike.assign(out_layer.out.size(), kNoSpike);
    if (options.record_trains) r.trains.resize(nl);
    r.end_time = options.duration;

    // Every step's spikes, per producer (0: the input, 1 + l: layer l), by step index, so a
    // layer with IncomingDelay d reads its inputs' spikes of step (t - d) / dt.
    std::vector<std::vector<StepSpikes>> history(nl + 1);
    std::vector<StepSpikes> silent(nl + 1);  // per producer: no spike (before a delay elapses)
    silent[0].resize(net.input.size());
    for (std::size_t i = 0; i < nl; ++i) silent[i + 1].resize(net.layers[i].out.size());
    auto spikes_of = [&](int src, Time t, Time delay) -> const StepSpikes* {
        if (delay > t) return &silent[std::size_t(src + 1)];
        return &history[std::size_t(src + 1)][std::size_t((t - delay) / dt)];
    };
    for (Time t = 0; t <= options.duration; t += dt) {
        StepSpikes in_spikes(net.input.size());
        for (const InputSpike& s : input)
            if (s.time == t) in_spikes[s.source].push_back(1);
        history[0].push_back(in_spikes);
        for (const auto& v : in_spikes) r.input_spikes += v.size();
        const bool tick = has_bias && t > 0 && t % net.rate_period == 0;
        for (std::size_t li = 0; li < nl; ++li) {
            const Layer& l = net.layers[li];
            StepSpikes out(l.out.size());
            std::vector<const StepSpikes*> srcs;
            std::vector<Shape3> shapes;
            for (int src : l.inputs) {
                srcs.push_back(spikes_of(src, t, l.neuron.incoming_delay));
                shapes.push_back(src < 0 ? net.input : net.layers[std::size_t(src)].out);
            }
            if (l.kind == LayerKind::Concat) {
                std::uint32_t off = 0;
                for (std::size_t slot = 0; slot < srcs.size(); ++slot) {
                    for (std::uint64_t s = 0; s < shapes[slot].size(); ++s) {
                        const Hwc b = coords(shapes[slot], s);
                        out[(std::uint64_t(b.y) * l.out.w + b.x) * l.out.c + off + b.c] = (*srcs[slot])[s];
                    }
                    off += shapes[slot].c;
                }
            } else if (l.kind == LayerKind::MaxPool) {
                // Each pooled unit replays its window's counters over this step's events, in
                // ascending source index; then the counters take all of the step's events.
                for (std::uint64_t o = 0; o < l.out.size(); ++o) {
                    const Hwc a = coords(l.out, o);
                    std::vector<std::pair<std::uint64_t, std::int32_t>> local;  // (source, count)
                    for (std::uint64_t s = 0; s < l.in.size(); ++s) {
                        const Hwc b = coords(l.in, s);
                        if (b.c != a.c) continue;
                        if (!kernel_offset(b.y, a.y, l.stride_h, l.pad_top, l.dilation_h, l.kernel_h) ||
                            !kernel_offset(b.x, a.x, l.stride_w, l.pad_left, l.dilation_w, l.kernel_w))
                            continue;
                        std::int32_t c = pool_count[li][s];
                        for (int sign : (*srcs[0])[s]) {
                            c += sign;
                            if (sign > 0 && c > std::int32_t(pool_max[li][o])) {
                                ++pool_max[li][o];
                                out[o].push_back(1);
                            }
                        }
                    }
                }
                for (std::uint64_t s = 0; s < l.in.size(); ++s)
                    for (int sign : (*srcs[0])[s]) pool_count[li][s] += sign;
            } else if (!ttfs.empty() && ttfs[li].neurons) {
                // TTFS: before the window end, every arrival adds w * s(t); at the end, the bias;
                // from there on, the neuron fires once, at the first step with v >= theta_k.
                const TtfsTiming& tt = ttfs[li];
                const float th = static_cast<float>(l.neuron.threshold);
                for (std::uint64_t o = 0; o < l.out.size(); ++o) {
                    Neuron& n = neurons[li][o];
                    if (t == tt.end && !l.bias.empty()) {
                        n.v = n.v + l.bias[o % l.out.c];
                        ++r.bias_updates[li];
                    }
                    if (t < tt.end) {
                        const float scale = ttfs_scale(t, tt.end, tt.window);
                        for (std::size_t slot = 0; slot < srcs.size(); ++slot)
                            for (std::uint64_t s = 0; s < shapes[slot].size(); ++s)
                                for (int sign : (*srcs[slot])[s]) {
                                    const auto w = weight(l, shapes[slot], slot, o, s);
                                    if (!w) continue;
                                    ++r.events[li];
                                    const float ws = ttfs_scaled(*w, scale);
                                    n.v = sign > 0 ? n.v + ws : n.v - ws;
                                }
                    }
                    if (l.spiking && !n.fired && t >= tt.end && (t - tt.end) % tt.step == 0) {
                        const Time k = (t - tt.end) / tt.step;
                        if (k <= tt.k_last && n.v >= ttfs_theta(th, tt.levels, std::uint32_t(k))) {
                            n.fired = true;
                            out[o].push_back(1);
                        }
                    }
                }
            } else {
                for (std::uint64_t o = 0; o < l.out.size(); ++o) {
                    Neuron& n = neurons[li][o];
                    if (tick && !l.bias.empty()) {
                        const int e = integrate(l, n, t, l.bias[o % l.out.c]);
                        if (e != 0) out[o].push_back(e);
                        ++r.bias_updates[li];
                    }
                    for (std::size_t slot = 0; slot < srcs.size(); ++slot)
                        for (std::uint64_t s = 0; s < shapes[slot].size(); ++s)
                            for (int sign : (*srcs[slot])[s]) {
                                const auto w = weight(l, shapes[slot], slot, o, s);
                                if (!w) continue;
                                ++r.events[li];
                                const int e = integrate(l, n, t, sign > 0 ? *w : -*w);
                                if (e != 0) out[o].push_back(e);
                            }
                }
            }
            if (l.kind != LayerKind::Concat)
                for (std::uint64_t o = 0; o < out.size(); ++o)
                    for (int e : out[o]) {
                        ++r.spikes[li];
                        if (options.record_trains) r.trains[li].push_back({t, std::uint32_t(o), e});
                    }
            if (int(li) == net.output)
                for (std::uint64_t o = 0; o < out.size(); ++o)
                    for (int e : out[o])
                        if (e > 0) {
                            ++r.output_counts[o];
                            if (r.output_first_spike[o] == kNoSpike) r.output_first_spike[o] = t;
                        }
            history[li + 1].push_back(std::move(out));
        }
        if (options.terminate_delta > 0) {
            std::uint64_t first = 0, second = 0;
            for (std::uint64_t c : r.output_counts) {
                if (c > first) {
                    second = first;
                    first = c;
                } else if (c > second) {
                    second = c;
                }
            }
            if (first - second >= options.terminate_delta) {
                r.end_time = t;
                r.terminated = true;
                break;
            }
        }
        if (options.duration - t < dt) break;  // no overflow past the last step
    }
    for (std::uint64_t o = 0; o < out_layer.out.size(); ++o) {
        if (out_layer.kind == LayerKind::MaxPool || out_layer.kind == LayerKind::Concat) {
            r.output_potential.push_back(0.0);
            continue;
        }
        const Neuron& n = neurons[std::size_t(net.output)][o];
        float v = n.v;
        if (out_layer.neuron.leak_tau > 0 && r.end_time > n.last_update)
            v = v * detail::leak_factor(r.end_time - n.last_update, out_layer.neuron.leak_tau);
        r.output_potential.push_back(v);
    }
    return r;
}

}  // namespace n2d2::spike
