#pragma once
// The event-driven simulator of a spike::Network (spike/network.h), and the semantics it
// shares with the clock-driven reference (spike/clock_sim.h): both follow one canonical order,
// so they agree spike for spike (tests/spike/clock_sim_test.cpp).
//
// Times. The simulated times are the input spike times, the bias ticks k * rate_period
// (k = 1, 2, ..., only when some layer has a bias) and the arrival times of delayed spikes
// (IncomingDelay, below), merged, up to SimOptions::duration. Without IncomingDelay a spike
// emitted at t reaches the next layers at t.
//
// Order at one time t. Layers in topological order (Network::layers order). In one layer:
//  1. bias tick (if t is one and the layer has a bias): every neuron integrates bias[ch] as
//     one event, neurons in index order;
//  2. then the events reaching the layer at t, in ascending source index. The source index of
//     a multi-input layer (Add) is (input slot, neuron): all of inputs[0]'s events first. A
//     source that fired k times at t delivers k events, in its emission order.
// A neuron integrates its events one by one and fires at most once per event. The spikes a
// layer emits at t are ordered by neuron index (a neuron's own spikes in emission order);
// that order is the source order of the next layers.
//
// Neuron (Conv, Fc, Add; NeuronConfig): potentials are float (single precision), threshold
// is float(threshold). Per event of weight w at time t:
//   leak (leak_tau > 0): v = v * float(exp(-(t - last_update) / leak_tau)); last_update = t
//   refractory: if the neuron fired before and t - last_spike < refractory, the event is
//     ignored (but counted as a synaptic event)
//   v = v + w  (a negative, bipolar spike delivers -w)
//   if v >= th: v = v - th, spike +1; else if bipolar and v <= -th: v = v + th, spike -1
//   (spiking = false: never fires; the layer is a membrane-potential readout)
// Initial potential: float(initial_potential).
// IncomingDelay (NeuronConfig::incoming_delay = d, any layer kind): the spikes reaching the
// layer are those its inputs emitted at t - d (so a time t + d is simulated too); at their
// arrival time they are taken in the same order as zero-delay ones (bias first, then slot,
// source). Arrivals after the duration never happen.
//
// Layers:
//  - Conv: weights [out_c][in_c/groups][kh][kw]; an input spike at (y, x, ci) reaches every
//    output position whose window covers (y, x) (stride, padding, dilation), all output
//    channels of ci's group. Fc: every output.
//  - MaxPool: a spike counter per input neuron (+1 per positive spike, -1 per negative one);
//    a pooled unit emits one (positive) spike each time the maximum of its window's counters
//    rises above every value it had before (counters start at 0). Out-of-map window cells are
//    ignored. Pooled units covering a neuron are checked in index order.
//  - Add: identity connectivity, an event from inputs[i] weighs input_scale[i].
//  - Concat: events pass through with their input's channel offset; no neurons, no spikes of
//    its own (SimResult::spikes = 0, no train).
// TerminateDelta: after each simulated time t, if the output layer's top positive-spike count
// leads the second by >= terminate_delta, the pattern stops; end_time = t.
// Final output potentials: leak applied up to end_time.
// Time-to-first-spike networks (NeuronConfig::ttfs_levels > 0, spike/ttfs.h): the simulated
// times are the input times (on the TtfsStep grid), the layers' window ends and fire steps; no
// bias ticks; TTFS layers integrate scaled arrivals, take their bias at their window end and
// fire once (ttfs.h).
//
// The event-driven simulator visits only the times above; each layer's emitted spikes are a
// flat vector reused across times; a convolution event walks the kernel window of its (y, x)
// and adds the pre-transposed weight vector [kh][kw][in_c][out_c/groups] over the contiguous
// output channels (AVX-512 / AVX2 / scalar, chosen at run time from CPUID and N2D2_MAX_ISA,
// spike/fanout.h), then checks the threshold of the touched neurons only. Layers with leak or
// refractory period take a scalar per-neuron path with the same arithmetic.
#include "spike/network.h"
#include "spike/sim_result.h"

#include <memory>
#include <span>

namespace n2d2::spike {

// One pattern. Validates the network (std::invalid_argument naming the layer), the input
// sources (< input size) and the options; input need not be sorted.
SimResult simulate_events(const Network& net, std::span<const InputSpike> input,
                          const SimOptions& options);

namespace detail {
struct EventPlan;
struct EventState;
}  // namespace detail

// The same simulator with its plan (validated network, transposed weights, window tables)
// made once and its state buffers reused across patterns: a copy shares the plan and owns
// its state, so one copy per thread runs patterns in parallel.
class EventSimulator {
public:
    explicit EventSimulator(const Network& net);
    EventSimulator(const EventSimulator& other);
    EventSimulator& operator=(const EventSimulator&) = delete;
    ~EventSimulator();
    SimResult run(std::span<const InputSpike> input, const SimOptions& options);
private:
    std::shared_ptr<const detail::EventPlan> plan_;
    std::unique_ptr<detail::EventState> state_;
};

}  // namespace n2d2::spike
