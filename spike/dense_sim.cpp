#include "spike/dense_sim.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace n2d2::spike {
namespace {

void check_chain(const std::vector<DenseLayer>& net, std::uint32_t input_count) {
    std::uint32_t n = input_count;
    for (std::size_t l = 0; l < net.size(); ++l) {
        if (net[l].inputs != n || net[l].weights.size() != std::size_t(net[l].inputs) * net[l].outputs)
            throw std::invalid_argument("spike layer " + std::to_string(l) + ": expects " +
                                        std::to_string(net[l].inputs) + " inputs, gets " +
                                        std::to_string(n) + " (or weight count mismatch)");
        n = net[l].outputs;
    }
}

DenseResult make_result(const std::vector<DenseLayer>& net) {
    DenseResult r;
    r.trains.resize(net.size());
    for (const auto& layer : net) r.counts.emplace_back(layer.outputs, 0);
    return r;
}

struct Event {
    std::uint32_t source;
    int sign;
};

}  // namespace

DenseResult simulate_events(const std::vector<DenseLayer>& net, std::uint32_t input_count,
                            const std::vector<InputSpike>& input, Time duration,
                            std::uint64_t terminate_delta) {
    check_chain(net, input_count);
    DenseResult r = make_result(net);
    r.end_time = duration;
    // Source-major weights so one event's fan-out is one contiguous row.
    std::vector<std::vector<float>> rows(net.size());
    std::vector<std::vector<IfNeuron>> neurons(net.size());
    std::vector<std::vector<double>> pot(net.size());
    std::vector<char> fast(net.size());
    for (std::size_t l = 0; l < net.size(); ++l) {
        const auto& L = net[l];
        rows[l].resize(L.weights.size());
        for (std::uint32_t o = 0; o < L.outputs; ++o)
            for (std::uint32_t i = 0; i < L.inputs; ++i) rows[l][std::size_t(i) * L.outputs + o] = L.weight(o, i);
        neurons[l].assign(L.outputs, IfNeuron(L.neuron));
        fast[l] = L.neuron.leak_tau == 0 && L.neuron.refractory == 0;
        pot[l].assign(L.outputs, L.neuron.initial_potential);
    }
    std::vector<Event> queue, next, emitted;
    for (std::size_t k = 0; k < input.size();) {
        const Time t = input[k].time;
        if (t > duration) break;
        queue.clear();
        for (; k < input.size() && input[k].time == t; ++k) queue.push_back({input[k].source, 1});
        for (std::size_t l = 0; l < net.size() && !queue.empty(); ++l) {
            std::stable_sort(queue.begin(), queue.end(),
                             [](const Event& a, const Event& b) { return a.source < b.source; });
            const std::uint32_t outs = net[l].outputs;
            auto& cells = neurons[l];
            // Per neuron, events in queue order; a neuron's emissions are in event order.
            emitted.clear();
            const NeuronConfig& nc = net[l].neuron;
            if (fast[l]) {
                // No leak, no refractory: the same arithmetic as IfNeuron::integrate on a plain
                // potential array, an accumulate pass the compiler vectorizes, then a threshold scan.
                double* v = pot[l].data();
                const double th = nc.threshold;
                for (const Event& e : queue) {
                    const float* row = rows[l].data() + std::size_t(e.source) * outs;
                    const double sg = e.sign;
                    for (std::uint32_t o = 0; o < outs; ++o) v[o] += sg * double(row[o]);
                    for (std::uint32_t o = 0; o < outs; ++o) {
                        if (v[o] >= th) {
                            v[o] -= th;
                            emitted.push_back({o, 1});
                        } else if (nc.bipolar && v[o] <= -th) {
                            v[o] += th;
                            emitted.push_back({o, -1});
                        }
                    }
                    r.synaptic_events += outs;
                }
            } else {
                for (const Event& e : queue) {
                    const float* row = rows[l].data() + std::size_t(e.source) * outs;
                    for (std::uint32_t o = 0; o < outs; ++o) {
                        int s = cells[o].integrate(t, e.sign * double(row[o]));
                        if (s != 0) emitted.push_back({o, s});
                    }
                    r.synaptic_events += outs;
                }
            }
            // By neuron; a neuron's own emissions stay in event order (stable sort).
            std::stable_sort(emitted.begin(), emitted.end(),
                             [](const Event& a, const Event& b) { return a.source < b.source; });
            next.clear();
            for (const Event& e : emitted) {
                next.push_back(e);
                r.trains[l].push_back({t, e.source, e.sign});
                ++r.counts[l][e.source];
            }
            queue.swap(next);
        }
        if (terminate_delta > 0 && !net.empty()) {
            std::uint64_t first = 0, second = 0;
            for (std::uint64_t c : r.counts.back()) {
                if (c > first) { second = first; first = c; }
                else if (c > second) second = c;
            }
            if (first - second >= terminate_delta) {
                r.end_time = t;
                r.terminated = true;
                break;
            }
        }
    }
    if (!net.empty()) {
        if (fast.back()) r.output_potential = pot.back();
        else
            for (const IfNeuron& n : neurons.back()) r.output_potential.push_back(n.potential());
    }
    return r;
}

DenseResult simulate_clock(const std::vector<DenseLayer>& net, std::uint32_t input_count,
                           const std::vector<InputSpike>& input, Time duration, Time dt) {
    check_chain(net, input_count);
    if (dt == 0) throw std::invalid_argument("clock simulator: dt must be > 0");
    DenseResult r = make_result(net);
    std::vector<std::vector<IfNeuron>> neurons(net.size());
    for (std::size_t l = 0; l < net.size(); ++l) neurons[l].assign(net[l].outputs, IfNeuron(net[l].neuron));
    std::size_t k = 0;
    for (Time t = 0; t <= duration; t += dt) {
        // signs[src]: the spikes source src emitted at this step, in emission order.
        std::vector<std::vector<int>> signs(input_count);
        for (; k < input.size() && input[k].time <= t; ++k)
            if (input[k].time == t) signs[input[k].source].push_back(1);
        for (std::size_t l = 0; l < net.size(); ++l) {
            const DenseLayer& L = net[l];
            std::vector<std::vector<int>> out(L.outputs);
            for (std::uint32_t o = 0; o < L.outputs; ++o)
                for (std::uint32_t i = 0; i < L.inputs; ++i)
                    for (int s : signs[i]) {
                        int e = neurons[l][o].integrate(t, s * double(L.weight(o, i)));
                        ++r.synaptic_events;
                        if (e != 0) {
                            out[o].push_back(e);
                            r.trains[l].push_back({t, o, e});
                            ++r.counts[l][o];
                        }
                    }
            signs.swap(out);
        }
    }
    if (!net.empty())
        for (const IfNeuron& n : neurons.back()) r.output_potential.push_back(n.potential());
    // Emission order within a time step: by neuron, as the event simulator records it.
    for (auto& train : r.trains)
        std::stable_sort(train.begin(), train.end(),
                         [](const SpikeEvent& a, const SpikeEvent& b) { return a.time < b.time; });
    return r;
}

}  // namespace n2d2::spike
