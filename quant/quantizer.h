// Post-training quantization of a float graph (N2D2's three steps): BatchNormalization folded
// into the preceding Conv, weights normalized per layer or per output channel, activations
// calibrated (histograms, clipping) and the graph rewritten into ai.n2d2 integer ops
// (graph/ops/quant_ops.h) with the chosen rescaling. Multi-branch graphs: a residual Add brings
// both branches to a common accumulator scale with integer multipliers (QAdd) before one
// Requantize; a Concat requantizes every input to the output's scale.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "quant/histogram.h"
#include "quant/rescaling.h"

namespace n2d2::quant {

// Folds every BatchNormalization whose input is a Conv output read by nothing else into that
// Conv's weights and bias. Returns the number folded.
int fold_batchnorm(graph::Graph& g);

// Histograms of every float value computed by a node (and of the graph input), by value name.
struct Calibration {
  std::map<std::string, Histogram> values;
  int64_t images = 0;
  // Text form for --calib-reload: one line per value "name range max min bins c0 c1 ...".
  std::string save() const;
  static Calibration load(const std::string& text, const std::string& source);  // throws naming source:line
};

// Runs the float graph (after fold_batchnorm) on each batch that `next` yields (false: no more)
// and accumulates the histograms. Throws n2d2::Error when no batch came.
Calibration calibrate(const graph::Graph& g, const std::function<bool(Tensor& batch)>& next, int bins = 2048,
                      int threads = 1);

struct QuantOptions {
  int nbbits = 8;
  int wt_nbbits = 0;  // weights' bits, 0: nbbits (e.g. 7 with 8-bit activations: the pair sums of
                      // uint8 x int7 products fit int16, the AVX2 vpmaddubsw kernels run)
  int weight_bits() const { return wt_nbbits != 0 ? wt_nbbits : nbbits; }
  Clipping act_clipping = Clipping::MSE;
  double quantile = 0.9999;
  RescalingMode rescaling = RescalingMode::FloatingPoint;
  bool per_channel = false;  // weights normalized (and activations rescaled) per output channel
  Clipping wt_clipping = Clipping::Max;
};

struct LayerReport {
  std::string node, op;
  double in_scale = 0;          // real value of one input step
  double weight_max = 0;        // largest |w| (per layer) or largest channel max
  double act_max = 0;           // largest |x| of the output during calibration
  double clip = 0;              // chosen threshold
  bool out_signed = false;
  double out_scale = 0;
  double alpha = 0;             // the (first / worst) channel's scaling factor
  double approx = 0;            // what the integers apply
  double rel_error = 0;         // worst relative error over channels
  std::string rescaling;        // mode used (fallback shown as "Fixed-point16 (fallback)")
  int fallbacks = 0;            // channels that fell back
};

struct QuantizedModel {
  graph::Graph graph;
  std::vector<LayerReport> layers;
};

// Rewrites `g` (float, BN folded, calibrated) into an integer graph whose float outputs are
// Dequantize nodes (a final Softmax stays float after them). Throws n2d2::Error naming the node
// for an op it cannot quantize, nbbits outside [2, 16], or a value without calibration data.
QuantizedModel quantize(const graph::Graph& g, const Calibration& calib, const QuantOptions& opts);

}  // namespace n2d2::quant
