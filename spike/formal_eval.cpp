#include "spike/formal_eval.h"

#include "spike/ttfs.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace n2d2::spike {

namespace {

// Conv over an HWC map: weights [oc][ic/g][kh][kw] read as [g][kh][kw][ic/g][oc/g] for a
// contiguous inner loop over output channels; zero inputs skipped (ReLU maps are sparse).
void conv(const Layer& l, std::span<const float> in, std::vector<float>& out) {
    const std::uint32_t ic_g = l.in.c / l.groups, oc_g = l.out.c / l.groups;
    std::vector<float> wt(l.weights.size());
    for (std::uint32_t o = 0; o < l.out.c; ++o) {
        const std::uint32_t g = o / oc_g, og = o % oc_g;
        for (std::uint32_t c = 0; c < ic_g; ++c)
            for (std::uint32_t ky = 0; ky < l.kernel_h; ++ky)
                for (std::uint32_t kx = 0; kx < l.kernel_w; ++kx) {
                    const std::size_t src = ((std::size_t(o) * ic_g + c) * l.kernel_h + ky) * l.kernel_w + kx;
                    const std::size_t dst =
                        (((std::size_t(g) * l.kernel_h + ky) * l.kernel_w + kx) * ic_g + c) * oc_g + og;
                    wt[dst] = l.weights[src];
                }
    }
    out.assign(l.out.size(), 0.0f);
    for (std::uint32_t y = 0; y < l.out.h; ++y)
        for (std::uint32_t x = 0; x < l.out.w; ++x) {
            float* acc = out.data() + (std::size_t(y) * l.out.w + x) * l.out.c;
            for (std::uint32_t ky = 0; ky < l.kernel_h; ++ky) {
                const std::int64_t iy = std::int64_t(y) * l.stride_h - l.pad_top + std::int64_t(ky) * l.dilation_h;
                if (iy < 0 || iy >= l.in.h) continue;
                for (std::uint32_t kx = 0; kx < l.kernel_w; ++kx) {
                    const std::int64_t ix = std::int64_t(x) * l.stride_w - l.pad_left + std::int64_t(kx) * l.dilation_w;
                    if (ix < 0 || ix >= l.in.w) continue;
                    const float* src = in.data() + (std::size_t(iy) * l.in.w + std::size_t(ix)) * l.in.c;
                    for (std::uint32_t g = 0; g < l.groups; ++g) {
                        const float* w = wt.data() + ((std::size_t(g) * l.kernel_h + ky) * l.kernel_w + kx) * ic_g * oc_g;
                        float* a = acc + std::size_t(g) * oc_g;
                        for (std::uint32_t c = 0; c < ic_g; ++c) {
                            const float v = src[g * ic_g + c];
                            if (v == 0.0f) continue;
                            const float* wr = w + std::size_t(c) * oc_g;
                            for (std::uint32_t o = 0; o < oc_g; ++o) a[o] += v * wr[o];
                        }
                    }
                }
            }
        }
}

void fc(const Layer& l, std::span<const float> in, std::vector<float>& out) {
    const std::size_t n = l.in.size();
    out.assign(l.out.c, 0.0f);
    for (std::uint32_t o = 0; o < l.out.c; ++o) {
        const float* w = l.weights.data() + std::size_t(o) * n;
        double acc = 0;
        for (std::size_t i = 0; i < n; ++i) acc += double(w[i]) * in[i];
        out[o] = float(acc);
    }
}

void maxpool(const Layer& l, std::span<const float> in, std::vector<float>& out) {
    out.assign(l.out.size(), 0.0f);
    for (std::uint32_t y = 0; y < l.out.h; ++y)
        for (std::uint32_t x = 0; x < l.out.w; ++x)
            for (std::uint32_t c = 0; c < l.out.c; ++c) {
                float m = 0.0f;  // inputs are non-negative; padding counts as 0
                for (std::uint32_t ky = 0; ky < l.kernel_h; ++ky) {
                    const std::int64_t iy = std::int64_t(y) * l.stride_h - l.pad_top + std::int64_t(ky) * l.dilation_h;
                    if (iy < 0 || iy >= l.in.h) continue;
                    for (std::uint32_t kx = 0; kx < l.kernel_w; ++kx) {
                        const std::int64_t ix = std::int64_t(x) * l.stride_w - l.pad_left + std::int64_t(kx) * l.dilation_w;
                        if (ix < 0 || ix >= l.in.w) continue;
                        m = std::max(m, in[(std::size_t(iy) * l.in.w + std::size_t(ix)) * l.in.c + c]);
                    }
                }
                out[(std::size_t(y) * l.out.w + x) * l.out.c + c] = m;
            }
}

// The rounding of TTFS values (spike/ttfs.h); identity when levels == 0.
struct TtfsRound {
    std::uint32_t levels = 0, min_level = 1;
    float th = 1.0f;
    float operator()(float v) const {
        if (levels == 0) return v;
        const double level = std::min<double>(levels, std::floor(double(v) / th * levels + 0.5));
        return level < min_level ? 0.0f : float(level / levels);
    }
};

std::vector<std::vector<float>> eval_layers(const Network& net, std::span<const float> pixels, bool ttfs);

}  // namespace

std::vector<std::vector<float>> formal_eval_layers(const Network& net, std::span<const float> pixels) {
    return eval_layers(net, pixels, false);
}

std::vector<std::vector<float>> ttfs_eval_layers(const Network& net, std::span<const float> pixels) {
    return eval_layers(net, pixels, true);
}

namespace {

std::vector<std::vector<float>> eval_layers(const Network& net, std::span<const float> pixels, bool ttfs) {
    if (pixels.size() != net.input.size())
        throw std::invalid_argument("formal_eval: " + std::to_string(pixels.size()) + " input values for a network input of " +
                                    std::to_string(net.input.size()));
    std::vector<std::vector<float>> acts(net.layers.size());
    std::vector<float> coded;  // TTFS: the coder's rounding of the pixels
    if (ttfs) {
        std::uint32_t levels = 0;
        for (const Layer& l : net.layers) levels = std::max(levels, l.neuron.ttfs_levels);
        if (levels > 0) {
            const TtfsRound round{levels, 1, 1.0f};
            for (float v : pixels) coded.push_back(round(std::min(v, 1.0f)));
            pixels = coded;
        }
    }
    auto input_of = [&](int src) -> std::span<const float> {
        return src < 0 ? pixels : std::span<const float>(acts[std::size_t(src)]);
    };
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        std::vector<float>& out = acts[i];
        switch (l.kind) {
        case LayerKind::Conv: conv(l, input_of(l.inputs[0]), out); break;
        case LayerKind::Fc: fc(l, input_of(l.inputs[0]), out); break;
        case LayerKind::MaxPool: maxpool(l, input_of(l.inputs[0]), out); break;
        case LayerKind::Add:
            out.assign(l.out.size(), 0.0f);
            for (std::size_t k = 0; k < l.inputs.size(); ++k) {
                auto src = input_of(l.inputs[k]);
                for (std::size_t j = 0; j < out.size(); ++j) out[j] += l.input_scale[k] * src[j];
            }
            break;
        case LayerKind::Concat: {
            out.assign(l.out.size(), 0.0f);
            std::uint32_t offset = 0;
            for (int s : l.inputs) {
                auto src = input_of(s);
                const std::uint32_t c = s < 0 ? net.input.c : net.layers[std::size_t(s)].out.c;
                for (std::size_t p = 0; p < std::size_t(l.out.h) * l.out.w; ++p)
                    std::copy_n(src.data() + p * c, c, out.data() + p * l.out.c + offset);
                offset += c;
            }
            break;
        }
        }
        const bool neurons = l.kind == LayerKind::Conv || l.kind == LayerKind::Fc || l.kind == LayerKind::Add;
        if (neurons && !l.bias.empty())
            for (std::size_t j = 0; j < out.size(); ++j) out[j] += l.bias[j % l.out.c];
        if (neurons && int(i) != net.output) {
            for (float& v : out) v = std::max(v, 0.0f);
            if (ttfs && l.neuron.ttfs_levels > 0) {
                const std::uint32_t k = l.neuron.ttfs_levels;
                const TtfsRound round{k, k - ttfs_k_last(k, l.neuron.ttfs_cutoff), float(l.neuron.threshold)};
                for (float& v : out) v = round(v);
            }
        }
    }
    return acts;
}

}  // namespace

std::size_t ttfs_correct_biases(Network& net, std::span<const float> images) {
    const std::size_t px = net.input.size();
    if (px == 0 || images.size() % px != 0)
        throw std::invalid_argument("ttfs_correct_biases: " + std::to_string(images.size()) +
                                    " values are not a whole number of images of " + std::to_string(px));
    const std::size_t n = images.size() / px;
    if (n == 0) return 0;
    const Network formal = net;  // the reference: the network as given
    std::vector<std::vector<std::vector<float>>> ref(n);
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) { ref[i] = formal_eval_layers(formal, images.subspan(i * px, px)); });
    std::size_t corrected = 0;
    for (std::size_t li = 0; li < net.layers.size(); ++li) {
        Layer& l = net.layers[li];
        if ((l.kind != LayerKind::Conv && l.kind != LayerKind::Fc) || l.neuron.ttfs_levels == 0) continue;
        const int src = l.inputs[0];
        const std::size_t in_n = l.in.size();
        std::vector<std::vector<double>> part(n);
        tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
            // The layer's input: formal (reference) and TTFS (the coder's or the replay's rounding).
            const auto img = images.subspan(i * px, px);
            part[i].assign(in_n, 0.0);
            if (src < 0) {
                const TtfsRound round{l.neuron.ttfs_levels, 1, 1.0f};
                for (std::size_t j = 0; j < in_n; ++j) part[i][j] = double(img[j]) - double(round(std::min(img[j], 1.0f)));
                return;
            }
            const auto cut = ttfs_eval_layers(net, img);
            const auto& a = ref[i][std::size_t(src)];
            const auto& b = cut[std::size_t(src)];
            for (std::size_t j = 0; j < in_n; ++j) part[i][j] = double(a[j]) - double(b[j]);
        });
        std::vector<float> diff(in_n, 0.0f);
        for (std::size_t j = 0; j < in_n; ++j) {
            double s = 0;
            for (std::size_t i = 0; i < n; ++i) s += part[i][j];
            diff[j] = float(s / double(n));
        }
        Layer linear = l;
        linear.bias.clear();
        std::vector<float> resp;
        if (l.kind == LayerKind::Conv) conv(linear, diff, resp);
        else fc(linear, diff, resp);
        if (l.bias.empty()) l.bias.assign(l.out.c, 0.0f);
        const std::size_t positions = std::size_t(l.out.h) * l.out.w;
        for (std::uint32_t c = 0; c < l.out.c; ++c) {
            double s = 0;
            for (std::size_t p = 0; p < positions; ++p) s += resp[p * l.out.c + c];
            l.bias[c] += float(s / double(positions));
        }
        ++corrected;
    }
    return corrected;
}

std::vector<float> formal_eval(const Network& net, std::span<const float> pixels) {
    auto acts = formal_eval_layers(net, pixels);
    return std::move(acts.at(std::size_t(net.output)));
}

std::vector<std::vector<float>> formal_eval_batch(const Network& net, std::span<const float> images, int threads) {
    const std::size_t px = net.input.size();
    if (px == 0 || images.size() % px != 0)
        throw std::invalid_argument("formal_eval_batch: " + std::to_string(images.size()) +
                                    " values are not a whole number of images of " + std::to_string(px));
    const std::size_t n = images.size() / px;
    std::vector<std::vector<float>> out(n);
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) { out[i] = formal_eval(net, images.subspan(i * px, px)); });
    });
    return out;
}

}  // namespace n2d2::spike
