#pragma once
// A spiking network transcoded from the graph IR: layers in topological order over
// channels-last feature maps. This header is the contract between the transcoder
// (spike/transcode.h: graph IR -> Network) and the simulators (spike/event_sim.h, event-driven;
// spike/clock_sim.h, the clock-driven reference); it holds parameters only, no state.
//
// Neuron indexing: a layer's output map has shape (c, h, w); neuron (y, x, ch) has index
// (y * w + x) * c + ch (HWC, channels last), so one event's fan-out over output channels is
// contiguous. The network input (the coder's pixels) uses the same order; the coder's pixel
// index for a one-channel image is y * w + x.
//
// Units: potentials are in the layer's own threshold units (the transcoder normalizes weights
// so that a formal activation of 1.0 corresponds to one spike per `Network::rate_period`).
// Times are femtoseconds (spike::Time).
#include "spike/coders.h"
#include "spike/neuron.h"

#include <cstdint>
#include <string>
#include <vector>

namespace n2d2::spike {

struct Shape3 {
    std::uint32_t c = 0, h = 1, w = 1;
    std::uint64_t size() const { return std::uint64_t(c) * h * w; }
    bool operator==(const Shape3&) const = default;
};

enum class LayerKind {
    Conv,     // IF neurons; weights [out_c][in_c / groups][kh][kw] (the ONNX layout)
    Fc,       // IF neurons; weights [out][in], `in` indexed in the input map's HWC order
              // (the transcoder permutes an ONNX Flatten+Gemm's NCHW order into HWC)
    MaxPool,  // no weights: the pooled unit emits a spike each time the running maximum of
              // its window's input spike counts rises (counts start at 0)
    Add,      // IF neurons, identity connectivity from every input; weight = input_scale[i]
    Concat,   // no neurons: events pass through with a channel offset (inputs in order)
};

const char* layer_kind_name(LayerKind kind);

struct Layer {
    std::string name;          // the graph node name (statistics, [<name>.config] sections)
    LayerKind kind = LayerKind::Conv;
    std::vector<int> inputs;   // producing layers; -1 is the network input (the coder)
    Shape3 in, out;            // in: shape of inputs[0]'s map
    // Conv and MaxPool geometry (Fc: all 1 / 0).
    std::uint32_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
    std::uint32_t pad_top = 0, pad_left = 0, dilation_h = 1, dilation_w = 1, groups = 1;
    std::vector<float> weights;
    // Per output channel, a constant input current: `bias[ch]` is added to every neuron of
    // channel ch at each bias tick t = k * Network::rate_period, k = 1, 2, ... (<= duration).
    // Empty: no bias.
    std::vector<float> bias;
    std::vector<float> input_scale;  // Add: one coefficient per input (else empty)
    NeuronConfig neuron;             // Conv, Fc, Add
    bool spiking = true;  // false: integrates without firing (membrane-potential readout layer)
};

struct Network {
    Shape3 input;               // the coder's map (c, h, w)
    std::vector<Layer> layers;  // topological order: a layer's inputs precede it
    int output = -1;            // the classification layer (usually the last)
    Time rate_period = 10'000'000;  // formal activation 1.0 <-> one spike per this period
};

// Structural checks (shapes chain, weight counts, input indices precede, one output);
// throws std::invalid_argument naming the layer.
void validate(const Network& net);

// The formal network's multiply-accumulates per pattern for one layer (its "virtual
// synapses" in N2D2's sense: connections counted per output position), and in total.
// MaxPool and Concat count 0; Add counts one per input per neuron.
std::uint64_t formal_macs(const Layer& layer);
std::uint64_t formal_macs(const Network& net);

}  // namespace n2d2::spike
