// N2D2's native INI layer sections (manual, "Network Layers") built into the graph IR: each
// section becomes the nodes of its layer, bound to the op registry (opset 13) and shape-inferred
// as it is added, so a bad size is an error naming the section's file:line. Layers are built in
// dependency order (Input= may name a later section; a cycle is an error naming the chain).
//
//   Conv       -> [Concat] Conv [BatchNormalization] [activation]  (Mapping -> groups or masked weights)
//   Pool       -> [Concat] MaxPool | AveragePool | GlobalMaxPool | GlobalAveragePool [activation]
//   Fc         -> [Concat] [Flatten] Gemm(transB=1) [activation]
//   BatchNorm  -> BatchNormalization [activation]
//   ElemWise   -> Add | Sum | Mul | Max, with Mul/Add for Weights/Shifts [activation]
//   Softmax    -> Softmax(axis=1)          Dropout -> Identity (inference)
//   Padding    -> Pad                      Resize  -> Resize (sizes)
//   Reshape    -> Reshape                  Transpose -> Transpose
//   Scaling    -> Mul                      Activation -> the activation alone
// The last value of a section is named after the section (targets and -w files use that name).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "frontends/ini/ini_document.h"
#include "graph/graph.h"

namespace n2d2::ini {

// A layer with free parameters, as N2D2's text weights describe it (ini_weights.h).
struct ParamLayer {
  enum class Kind { Conv, Fc, BatchNorm } kind = Kind::Conv;
  std::string name;  // the section (file base name in -w DIR)
  Location where;
  std::string node;  // the Conv / Gemm / BatchNormalization node
  graph::ValueId weights = graph::kNoValue, bias = graph::kNoValue;       // Conv, Fc (bias absent with NoBias)
  graph::ValueId scale = graph::kNoValue, mean = graph::kNoValue, variance = graph::kNoValue;  // BatchNorm (+ bias)
  int64_t outputs = 0;   // NbOutputs
  int64_t channels = 0;  // input channels (Fc: inputs per output)
  int64_t kernel = 1;    // kernel elements (kh * kw), 1 for Fc
  int64_t groups = 1;
  // Conv with a mapping that is not a group pattern: [outputs x channels], 1 = connected. Weights
  // are then [outputs, channels, kh, kw] with zeros where not connected. Empty: all connected
  // within each group.
  std::vector<uint8_t> mask;
  bool connected(int64_t o, int64_t c) const { return mask.empty() || mask[static_cast<std::size_t>(o * channels + c)] != 0; }
};

struct NativeOptions {
  uint64_t seed = 1;                       // -seed: fillers
  bool insert_batch_norm = false;          // InsertBatchNormalization=1
};

// Builds `layers` (native sections, any order) on top of `g`. `outputs` maps section names to
// values and must hold the stimuli provider (its section name -> the graph input) and any
// Type=ONNX section already loaded; it receives every built layer. Free parameters come from the
// sections' fillers; `params` receives one entry per Conv/Fc/BatchNorm (built order).
void build_native_layers(const std::vector<const Section*>& layers, graph::Graph& g,
                         std::map<std::string, graph::ValueId>& outputs, std::vector<ParamLayer>& params,
                         const NativeOptions& opts);

// The N2D2 layer types this builder knows (for "did you mean" on an unknown Type=).
const std::vector<std::string>& native_layer_types();
// N2D2 layer types n2d2-flow does not build (refused as unsupported with file:line).
bool is_unsupported_layer_type(const std::string& type);

}  // namespace n2d2::ini
