#pragma once
// Graph IR -> spiking Network (spike/network.h), N2D2's "transcode" step.
//
// Accepted graphs (after sched::optimize_graph or straight from the ONNX loader): one float
// input [N, C, H, W] (or [N, H, W]) whose values are the coder's intensities, nodes
//   Conv (+ BatchNormalization, folded) (+ Relu)      -> LayerKind::Conv
//   Gemm, MatMul (+ Add of a constant) (+ Relu)       -> LayerKind::Fc (Flatten/Reshape before it
//                                                        become the NCHW -> HWC weight permutation)
//   AveragePool, GlobalAveragePool                    -> a depthwise Conv with weights 1/k^2
//   MaxPool                                           -> LayerKind::MaxPool
//   Add of two maps                                   -> LayerKind::Add
//   Concat over channels                              -> LayerKind::Concat
//   Pad (constant 0, spatial)                         -> padding of the following Conv/pool
//   Relu after a non-negative value, Dropout, Identity, Constant: dropped
//   Softmax / LogSoftmax producing the graph output   -> dropped (the output layer decides)
// Anything else, or a signed value (a Conv/Gemm without Relu) feeding anything but the output,
// is refused with an n2d2::UnsupportedError naming the node and its op.
//
// Normalization (data-based, Diehl 2015 / Rueckauer 2017): the un-normalized network is replayed
// in float (spike/formal_eval.h) over the calibration images; per layer (or per output channel)
// lambda_l is the max or a percentile of its positive outputs, and W_l' = W_l * lambda_{l-1} /
// lambda_l, b_l' = b_l / lambda_l, so that activations are <= 1 in threshold units (one spike per
// Network::rate_period). The input's lambda is 1 (pixels in [0,1]); MaxPool and Concat carry
// their inputs' lambdas; Add layers and the output layer always use one lambda per layer.
#include "graph/graph.h"
#include "spike/network.h"

#include <span>
#include <string>
#include <vector>

namespace n2d2::spike {

struct TranscodeOptions {
    bool normalize = true;        // false: weights as trained (lambda = 1 everywhere)
    double percentile = 100.0;    // of the positive activations: 100 = max, 99.9, 99.99, ...
    bool per_channel = false;     // one lambda per output channel (Conv/Fc hidden layers)
    bool spiking_output = true;   // false: the output layer integrates without firing
    Time rate_period = 10'000'000;
    NeuronConfig neuron;          // every neuron layer's neuron (threshold 1 = normalized units)
};

struct LayerNormalization {
    std::string name;
    std::vector<double> lambda;  // per output channel (all equal when per layer)
    double max_activation = 0;   // the largest raw activation seen
    std::uint64_t samples = 0;   // positive activations seen
};

struct TranscodeReport {
    std::vector<LayerNormalization> layers;  // one per Network layer
    std::uint64_t calibration_images = 0;
    // The output layer's lambda: formal_eval(net) == graph output / output_lambda.
    double output_lambda = 1.0;
};

// `calibration`: images x pixels, each image the graph input's C*H*W values in NCHW order
// (a one-channel image: y * w + x), values as the graph expects them. Empty: no normalization.
Network transcode(const graph::Graph& g, const TranscodeOptions& opts, std::span<const float> calibration,
                  TranscodeReport* report = nullptr);

// The N2D2-style alias of each layer ("conv1", "pool1", "fc2", "add1", "concat1"), numbered per
// kind in network order, for [<alias>.config] sections and the statistics.
std::vector<std::string> layer_aliases(const Network& net);

// NCHW pixels of one image (c x h x w) -> the network's HWC input order.
std::vector<float> nchw_to_hwc(std::span<const float> nchw, const Shape3& shape);

}  // namespace n2d2::spike
