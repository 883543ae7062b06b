#include "spike/network.h"

#include <stdexcept>

namespace n2d2::spike {

const char* layer_kind_name(LayerKind kind) {
    switch (kind) {
    case LayerKind::Conv: return "Conv";
    case LayerKind::Fc: return "Fc";
    case LayerKind::MaxPool: return "MaxPool";
    case LayerKind::Add: return "Add";
    case LayerKind::Concat: return "Concat";
    }
    return "?";
}

namespace {

std::string str(const Shape3& s) {
    return std::to_string(s.c) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w);
}

[[noreturn]] void fail(const Layer& l, std::size_t index, const std::string& what) {
    throw std::invalid_argument("spike layer " + std::to_string(index) + " '" + l.name + "' (" +
                                layer_kind_name(l.kind) + "): " + what);
}

std::uint32_t window_out(std::uint32_t in, std::uint32_t pad, std::uint32_t kernel,
                         std::uint32_t stride, std::uint32_t dilation) {
    const std::int64_t span = std::int64_t(dilation) * (kernel - 1) + 1;
    const std::int64_t n = std::int64_t(in) + 2 * std::int64_t(pad) - span;
    return n < 0 ? 0 : std::uint32_t(n / stride + 1);
}

}  // namespace

void validate(const Network& net) {
    if (net.input.size() == 0) throw std::invalid_argument("spike network: empty input shape");
    if (net.layers.empty()) throw std::invalid_argument("spike network: no layers");
    if (net.output < 0 || std::size_t(net.output) >= net.layers.size())
        throw std::invalid_argument("spike network: output layer index out of range");
    if (net.rate_period == 0) throw std::invalid_argument("spike network: rate_period is 0");
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        if (l.inputs.empty()) fail(l, i, "no input");
        std::vector<Shape3> ins;
        for (int src : l.inputs) {
            if (src < -1 || src >= int(i)) fail(l, i, "input " + std::to_string(src) + " does not precede it");
            ins.push_back(src == -1 ? net.input : net.layers[std::size_t(src)].out);
        }
        if (!(ins[0] == l.in)) fail(l, i, "declared input " + str(l.in) + " but gets " + str(ins[0]));
        if (l.out.size() == 0) fail(l, i, "empty output shape");
        if (l.stride_h == 0 || l.stride_w == 0 || l.dilation_h == 0 || l.dilation_w == 0 ||
            l.kernel_h == 0 || l.kernel_w == 0 || l.groups == 0)
            fail(l, i, "zero kernel, stride, dilation or groups");
        if (!l.bias.empty() && l.bias.size() != l.out.c)
            fail(l, i, "bias has " + std::to_string(l.bias.size()) + " values for " + std::to_string(l.out.c) + " channels");
        switch (l.kind) {
        case LayerKind::Conv:
        case LayerKind::MaxPool: {
            if (l.inputs.size() != 1) fail(l, i, "takes one input");
            const std::uint32_t oh = window_out(l.in.h, l.pad_top, l.kernel_h, l.stride_h, l.dilation_h);
            const std::uint32_t ow = window_out(l.in.w, l.pad_left, l.kernel_w, l.stride_w, l.dilation_w);
            if (l.out.h > oh || l.out.w > ow)
                fail(l, i, "output " + str(l.out) + " larger than the window allows (" + std::to_string(oh) + "x" + std::to_string(ow) + ")");
            if (l.kind == LayerKind::MaxPool) {
                if (l.out.c != l.in.c) fail(l, i, "changes the channel count");
                if (!l.weights.empty()) fail(l, i, "has weights");
                break;
            }
            if (l.in.c % l.groups != 0 || l.out.c % l.groups != 0) fail(l, i, "channels not divisible by groups");
            const std::uint64_t expect = std::uint64_t(l.out.c) * (l.in.c / l.groups) * l.kernel_h * l.kernel_w;
            if (l.weights.size() != expect)
                fail(l, i, std::to_string(l.weights.size()) + " weights, expected " + std::to_string(expect));
            break;
        }
        case LayerKind::Fc:
            if (l.inputs.size() != 1) fail(l, i, "takes one input");
            if (l.out.h != 1 || l.out.w != 1) fail(l, i, "output must be c x 1 x 1");
            if (l.weights.size() != l.out.c * l.in.size())
                fail(l, i, std::to_string(l.weights.size()) + " weights, expected " + std::to_string(l.out.c * l.in.size()));
            break;
        case LayerKind::Add:
            if (l.input_scale.size() != l.inputs.size()) fail(l, i, "needs one input_scale per input");
            for (const Shape3& s : ins)
                if (!(s == l.out)) fail(l, i, "input " + str(s) + " differs from output " + str(l.out));
            break;
        case LayerKind::Concat: {
            std::uint32_t c = 0;
            for (const Shape3& s : ins) {
                if (s.h != l.out.h || s.w != l.out.w) fail(l, i, "inputs differ in spatial size");
                c += s.c;
            }
            if (c != l.out.c) fail(l, i, "output channels " + std::to_string(l.out.c) + " != sum of inputs " + std::to_string(c));
            break;
        }
        }
    }
}

std::uint64_t formal_macs(const Layer& l) {
    switch (l.kind) {
    case LayerKind::Conv:
        return l.out.size() * (l.in.c / l.groups) * l.kernel_h * l.kernel_w;
    case LayerKind::Fc: return l.out.c * l.in.size();
    case LayerKind::Add: return l.out.size() * l.inputs.size();
    case LayerKind::MaxPool:
    case LayerKind::Concat: return 0;
    }
    return 0;
}

std::uint64_t formal_macs(const Network& net) {
    std::uint64_t total = 0;
    for (const Layer& l : net.layers) total += formal_macs(l);
    return total;
}

}  // namespace n2d2::spike
