// The event-driven simulator over spike::Network on LeNet-shaped random networks
// (1x28x28 -> conv C1 5x5 -> maxpool 2 -> conv C2 5x5 -> maxpool 2 -> fc 100 -> fc 10):
// synaptic events (accumulations) per second per core as counters for a conv layer alone,
// the fc layer alone, and the whole network (also patterns/s). Weights are random, scaled so
// that layers fire at about the rates of a converted LeNet; the fan-out variant is the one
// CPUID / N2D2_MAX_ISA allows (printed as the label).
#include "spike/event_sim.h"
#include "spike/fanout.h"

#include <benchmark/benchmark.h>

using namespace n2d2::spike;

namespace {

std::vector<float> weights(Rng& rng, std::size_t n, double lo, double hi) {
    std::vector<float> w(n);
    for (auto& x : w) x = static_cast<float>(lo + (hi - lo) * rng.uniform01());
    return w;
}

Layer conv(const std::string& name, int input, Shape3 in, std::uint32_t oc, Rng& rng, double scale) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::Conv;
    l.inputs = {input};
    l.in = in;
    l.out = {oc, in.h - 4, in.w - 4};
    l.kernel_h = l.kernel_w = 5;
    l.weights = weights(rng, std::size_t(oc) * in.c * 25, -0.5 * scale, scale);
    return l;
}

Layer pool(const std::string& name, int input, Shape3 in) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::MaxPool;
    l.inputs = {input};
    l.in = in;
    l.out = {in.c, in.h / 2, in.w / 2};
    l.kernel_h = l.kernel_w = l.stride_h = l.stride_w = 2;
    return l;
}

Layer fc(const std::string& name, int input, Shape3 in, std::uint32_t outs, Rng& rng, double scale) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::Fc;
    l.inputs = {input};
    l.in = in;
    l.out = {outs, 1, 1};
    l.weights = weights(rng, outs * in.size(), -0.5 * scale, scale);
    return l;
}

Network lenet(std::uint32_t c1, std::uint32_t c2) {
    Rng rng(1);
    Network net;
    net.input = {1, 28, 28};
    Layer a = conv("conv1", -1, net.input, c1, rng, 0.11);
    Layer b = pool("pool1", 0, a.out);
    Layer c = conv("conv2", 1, b.out, c2, rng, 0.012 * 6 / c1);
    Layer d = pool("pool2", 2, c.out);
    Layer e = fc("fc1", 3, d.out, 100, rng, 0.016 * 16 / c2);
    Layer f = fc("fc2", 4, e.out, 10, rng, 0.06);
    net.layers = {a, b, c, d, e, f};
    net.output = 5;
    return net;
}

// One layer as a network of its own, fed Poissonian spikes on its input map; its spikes go to
// a global max pool (a spike counter per neuron, no accumulation) as the output, so neither the
// output-layer bookkeeping of a wide layer nor a second layer's fan-out is measured. The
// counters count the layer's own events; the time includes the pool's counting.
Network alone(const Layer& l) {
    Network net;
    net.input = l.in;
    Layer x = l;
    x.inputs = {-1};
    Layer sink;
    sink.name = "sink";
    sink.kind = LayerKind::MaxPool;
    sink.inputs = {0};
    sink.in = x.out;
    sink.out = {x.out.c, 1, 1};
    sink.kernel_h = x.out.h;
    sink.kernel_w = x.out.w;
    net.layers = {x, sink};
    net.output = 1;
    return net;
}

CoderConfig coder() {
    CoderConfig c;
    c.type = StimulusType::Poissonian;
    c.period_min = 1'000'000;
    c.period_mean_min = 10'000'000;       // one rate period: intensity 1 -> 1 spike / 10 ns
    c.period_mean_max = 100'000'000;        // PeriodMeanMax (intensity -> 0)
    c.duration = 200'000'000;             // 20 rate periods
    return c;
}

std::vector<float> image(std::size_t n, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<float> px(n);
    for (auto& v : px) v = rng.uniform01() < 0.5 ? 0.0f : static_cast<float>(rng.uniform01());
    return px;
}

constexpr std::size_t kAllLayers = ~std::size_t{0};

// events/s counts the events into layer `counted` (kAllLayers: the whole network's).
void run(benchmark::State& state, const Network& net, std::size_t counted) {
    EventSimulator sim(net);
    const CoderConfig c = coder();
    std::vector<std::vector<InputSpike>> inputs;
    for (std::uint64_t p = 0; p < 8; ++p) inputs.push_back(encode(c, image(net.input.size(), p), p));
    SimOptions opt;
    opt.duration = c.duration;
    std::uint64_t events = 0, layer_events = 0, patterns = 0, spikes = 0;
    std::vector<std::uint64_t> per_layer(net.layers.size(), 0);
    for (auto _ : state) {
        const SimResult r = sim.run(inputs[patterns % inputs.size()], opt);
        for (std::size_t l = 0; l < r.events.size(); ++l) {
            events += r.events[l];
            per_layer[l] += r.spikes[l];
        }
        layer_events += counted == kAllLayers ? 0 : r.events[counted];
        for (auto s : r.spikes) spikes += s;
        if (counted == kAllLayers)
            for (auto e : r.events) layer_events += e;
        ++patterns;
        benchmark::DoNotOptimize(r.output_counts.data());
    }
    state.counters["events/s"] = benchmark::Counter(double(layer_events), benchmark::Counter::kIsRate);
    state.counters["patterns/s"] = benchmark::Counter(double(patterns), benchmark::Counter::kIsRate);
    state.counters["events/pattern"] = double(layer_events) / double(patterns);
    // Spikes per neuron per rate period of the layers (a converted LeNet: about 0.1-0.2).
    for (std::size_t l = 0; l < net.layers.size(); ++l)
        if (net.layers[l].kind != LayerKind::MaxPool && net.layers[l].spiking)
            state.counters["rate_" + net.layers[l].name] =
                double(per_layer[l]) / double(patterns) / double(net.layers[l].out.size()) / 20.0;
    state.SetLabel(n2d2::spike::detail::fanout_kernels().name);
}

}  // namespace

static void BM_Conv1Alone(benchmark::State& state) {
    const Network net = lenet(std::uint32_t(state.range(0)), std::uint32_t(state.range(1)));
    run(state, alone(net.layers[0]), 0);
}
static void BM_Conv2Alone(benchmark::State& state) {
    const Network net = lenet(std::uint32_t(state.range(0)), std::uint32_t(state.range(1)));
    run(state, alone(net.layers[2]), 0);
}
static void BM_Fc1Alone(benchmark::State& state) {
    const Network net = lenet(std::uint32_t(state.range(0)), std::uint32_t(state.range(1)));
    run(state, alone(net.layers[4]), 0);
}
static void BM_LeNet(benchmark::State& state) {
    run(state, lenet(std::uint32_t(state.range(0)), std::uint32_t(state.range(1))), kAllLayers);
}
BENCHMARK(BM_Conv1Alone)->Args({6, 16})->Args({16, 32})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Conv2Alone)->Args({6, 16})->Args({16, 32})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Fc1Alone)->Args({6, 16})->Args({16, 32})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LeNet)->Args({6, 16})->Args({16, 32})->Unit(benchmark::kMicrosecond);
