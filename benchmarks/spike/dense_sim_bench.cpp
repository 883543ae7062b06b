// The event-driven core on fully connected IF layers (784-300-10, Poissonian input): synaptic
// events (accumulations) per second as a counter, per pattern. Random weights scaled so the
// hidden layer fires at rates comparable to a converted network.
#include "spike/batch.h"

#include <benchmark/benchmark.h>

using namespace n2d2::spike;

namespace {
std::vector<DenseLayer> make_net() {
    Rng rng(1);
    std::vector<DenseLayer> net(2);
    net[0].inputs = 784; net[0].outputs = 300;
    net[1].inputs = 300; net[1].outputs = 10;
    for (auto& L : net)
        for (std::size_t i = 0; i < std::size_t(L.inputs) * L.outputs; ++i)
            L.weights.push_back(static_cast<float>((rng.uniform01() - 0.45) * 0.2));
    return net;
}

CoderConfig coder() {
    CoderConfig c;
    c.type = StimulusType::Poissonian;
    c.period_min = 1'000'000;
    c.period_mean_min = 10'000'000;
    c.period_mean_max = 1'000'000'000;
    c.duration = 100'000'000;  // about 10 spikes for a white pixel
    return c;
}
}  // namespace

static void BM_DenseEventDriven(benchmark::State& state) {
    auto net = make_net();
    Rng rng(2);
    std::vector<float> px(784);
    for (auto& v : px) v = static_cast<float>(rng.uniform01());
    auto cfg = coder();
    auto input = encode(cfg, px, 0);
    std::uint64_t events = 0;
    for (auto _ : state) {
        auto r = simulate_events(net, 784, input, cfg.duration);
        events += r.synaptic_events;
        benchmark::DoNotOptimize(r.counts.data());
    }
    state.counters["synaptic_events/s"] = benchmark::Counter(double(events), benchmark::Counter::kIsRate);
    state.counters["input_spikes"] = double(input.size());
}
BENCHMARK(BM_DenseEventDriven)->Unit(benchmark::kMillisecond);
