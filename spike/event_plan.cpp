// The event-driven simulator's plan (spike/event_plan.h): per layer the transposed weights, the
// window tables of convolution / pooling, the row-mode fan-out layout and the TTFS timing.
#include "spike/event_plan.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace n2d2::spike::detail {

namespace {

WindowTable window_table(std::uint32_t in, std::uint32_t out, std::uint32_t kernel,
                         std::uint32_t stride, std::uint32_t pad, std::uint32_t dilation) {
    WindowTable t;
    t.offset.push_back(0);
    for (std::uint32_t y = 0; y < in; ++y) {
        for (std::uint32_t o = 0; o < out; ++o) {
            const std::int64_t d = std::int64_t(y) + pad - std::int64_t(o) * stride;
            if (d < 0 || d % dilation != 0 || d / dilation >= kernel) continue;
            t.out.push_back(o);
            t.k.push_back(std::uint32_t(d / dilation));
        }
        t.offset.push_back(std::uint32_t(t.out.size()));
    }
    return t;
}

[[noreturn]] void fail_layer(const Layer& l, std::size_t i, const std::string& what) {
    throw std::invalid_argument("spike layer " + std::to_string(i) + " '" + l.name + "' (" +
                                layer_kind_name(l.kind) + "): " + what);
}

}  // namespace

std::shared_ptr<const EventPlan> make_plan(const Network& net) {
    validate(net);
    auto plan = std::make_shared<EventPlan>();
    plan->input_n = std::uint32_t(net.input.size());
    plan->output = net.output;
    plan->rate_period = net.rate_period;
    plan->k = fanout_kernels();
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        if (l.out.size() >= (std::uint64_t(1) << 31)) fail_layer(l, i, "more than 2^31 neurons");
        LayerPlan p;
        p.kind = l.kind;
        p.inputs = l.inputs;
        for (int src : l.inputs) p.in_shapes.push_back(src < 0 ? net.input : net.layers[std::size_t(src)].out);
        p.out = l.out;
        p.out_n = std::uint32_t(l.out.size());
        p.spiking = l.spiking;
        p.bipolar = l.neuron.bipolar;
        p.th = static_cast<float>(l.neuron.threshold);
        p.v0 = static_cast<float>(l.neuron.initial_potential);
        p.leak_tau = l.neuron.leak_tau;
        p.refractory = l.neuron.refractory;
        p.general = p.leak_tau > 0 || p.refractory > 0;
        p.delay = l.neuron.incoming_delay;
        if (l.kind != LayerKind::MaxPool && l.kind != LayerKind::Concat) {
            p.bias = l.bias;
            if (!p.bias.empty()) plan->has_bias = true;
        }
        switch (l.kind) {
        case LayerKind::Conv: {
            const std::uint32_t kh = l.kernel_h, kw = l.kernel_w, ic = l.in.c;
            p.kw = kw;
            p.icg = l.in.c / l.groups;
            p.ocg = l.out.c / l.groups;
            p.wt.assign(std::size_t(kh) * kw * ic * p.ocg, 0.0f);
            for (std::uint32_t oc = 0; oc < l.out.c; ++oc) {
                const std::uint32_t g = oc / p.ocg;
                for (std::uint32_t c = 0; c < p.icg; ++c)
                    for (std::uint32_t ky = 0; ky < kh; ++ky)
                        for (std::uint32_t kx = 0; kx < kw; ++kx) {
                            const float w = l.weights[((std::size_t(oc) * p.icg + c) * kh + ky) * kw + kx];
                            const std::uint32_t ci = g * p.icg + c;
                            p.wt[((std::size_t(ky) * kw + kx) * ic + ci) * p.ocg + (oc - g * p.ocg)] = w;
                        }
            }
            p.ytab = window_table(l.in.h, l.out.h, kh, l.stride_h, l.pad_top, l.dilation_h);
            p.xtab = window_table(l.in.w, l.out.w, kw, l.stride_w, l.pad_left, l.dilation_w);
            p.rows = l.groups == 1 && l.stride_w == 1 && l.dilation_w == 1;
            p.rows2d = p.rows && l.stride_h == 1 && l.dilation_h == 1;
            if (p.rows) {
                const std::uint32_t oc = l.out.c;
                p.wrow.assign(std::size_t(kh) * ic * kw * oc, 0.0f);
                for (std::uint32_t o = 0; o < oc; ++o)
                    for (std::uint32_t ci = 0; ci < ic; ++ci)
                        for (std::uint32_t ky = 0; ky < kh; ++ky)
                            for (std::uint32_t kx = 0; kx < kw; ++kx)
                                p.wrow[((std::size_t(ky) * ic + ci) * kw + (kw - 1 - kx)) * oc + o] =
                                    l.weights[((std::size_t(o) * ic + ci) * kh + ky) * kw + kx];
                for (std::uint32_t x = 0; x < l.in.w; ++x) {
                    const std::uint32_t a = p.xtab.offset[x], b = p.xtab.offset[x + 1];
                    p.x_n.push_back(b - a);
                    p.x_lo.push_back(b > a ? p.xtab.out[a] : 0);
                    p.x_kr.push_back(b > a ? kw - 1 - p.xtab.k[a] : 0);
                }
            }
            break;
        }
        case LayerKind::MaxPool:
            p.ytab = window_table(l.in.h, l.out.h, l.kernel_h, l.stride_h, l.pad_top, l.dilation_h);
            p.xtab = window_table(l.in.w, l.out.w, l.kernel_w, l.stride_w, l.pad_left, l.dilation_w);
            break;
        case LayerKind::Fc: {
            const std::uint64_t in_n = l.in.size();
            p.wt.resize(l.weights.size());
            for (std::uint32_t o = 0; o < l.out.c; ++o)
                for (std::uint64_t s = 0; s < in_n; ++s) p.wt[s * l.out.c + o] = l.weights[o * in_n + s];
            break;
        }
        case LayerKind::Add:
            p.scale.assign(l.input_scale.size() * kFanoutPad + kFanoutPad, 0.0f);
            for (std::size_t s = 0; s < l.input_scale.size(); ++s) p.scale[s * kFanoutPad] = l.input_scale[s];
            break;
        case LayerKind::Concat: {
            std::uint32_t off = 0;
            for (const Shape3& s : p.in_shapes) {
                p.ch_offset.push_back(off);
                off += s.c;
            }
            break;
        }
        }
        if (l.kind == LayerKind::Conv || l.kind == LayerKind::MaxPool) {
            const Shape3& in = p.in_shapes[0];
            p.src.reserve(in.size());
            for (std::uint32_t y = 0; y < in.h; ++y)
                for (std::uint32_t x = 0; x < in.w; ++x)
                    for (std::uint32_t c = 0; c < in.c; ++c) p.src.push_back({y, x, c});
        }
        if (l.kind == LayerKind::Conv || l.kind == LayerKind::MaxPool) {
            std::uint32_t my = 0, mx = 0;
            for (std::size_t y = 0; y + 1 < p.ytab.offset.size(); ++y) my = std::max(my, p.ytab.offset[y + 1] - p.ytab.offset[y]);
            for (std::size_t x = 0; x + 1 < p.xtab.offset.size(); ++x) mx = std::max(mx, p.xtab.offset[x + 1] - p.xtab.offset[x]);
            p.max_fan = my * mx * (l.kind == LayerKind::Conv ? p.ocg : 1);
        }
        if (l.kind == LayerKind::MaxPool && p.max_fan <= 1) {
            p.pool_unit.assign(p.src.size(), kNoUnit);
            for (std::size_t s = 0; s < p.src.size(); ++s) {
                const auto [y, x, c] = p.src[s];
                if (p.ytab.offset[y + 1] > p.ytab.offset[y] && p.xtab.offset[x + 1] > p.xtab.offset[x])
                    p.pool_unit[s] = (p.ytab.out[p.ytab.offset[y]] * p.out.w + p.xtab.out[p.xtab.offset[x]]) * p.out.c + c;
            }
        }
        // Padding past the last vector each fan-out call may read (fanout.h).
        if (!p.bias.empty()) p.bias.resize(p.bias.size() + kFanoutPad, 0.0f);
        if (!p.wt.empty()) p.wt.resize(p.wt.size() + kFanoutPad, 0.0f);
        if (!p.wrow.empty()) p.wrow.resize(p.wrow.size() + kFanoutPad, 0.0f);
        plan->layers.push_back(std::move(p));
    }
    if (is_ttfs(net)) {
        const std::vector<TtfsTiming> tt = ttfs_timing(net);
        for (std::size_t i = 0; i < tt.size(); ++i) {
            plan->layers[i].ttfs = tt[i].neurons;
            plan->layers[i].tt = tt[i];
            plan->ttfs_step = tt[i].step;
        }
    }
    plan->delayed_consumers.resize(net.layers.size() + 1);
    for (std::size_t i = 0; i < plan->layers.size(); ++i) {
        const LayerPlan& p = plan->layers[i];
        if (p.delay == 0) continue;
        plan->has_delay = true;
        for (std::size_t slot = 0; slot < p.inputs.size(); ++slot)
            plan->delayed_consumers[std::size_t(p.inputs[slot] + 1)].push_back({std::uint32_t(i), std::uint32_t(slot)});
    }
    return plan;
}

}  // namespace n2d2::spike::detail
