// N2D2's text weights (`-w DIR`), one set of files per layer with free parameters, as N2D2's
// ConvCell/FcCell/BatchNormCell import/exportFreeParameters write them (format OCHW):
//   Conv, Fc:  DIR/<layer>_weights.syntxt  one line per output: for each input channel connected
//              to that output (Mapping), its kernel values row by row (Fc: one value per input)
//              DIR/<layer>_biases.syntxt   one value per line (absent with NoBias=1)
//              or DIR/<layer>.syntxt: per output its weights then its bias, in one file
//   BatchNorm: DIR/<layer>_scales|_biases|_means|_variances.syntxt  one value per line
//              or DIR/<layer>.syntxt: per output "scale bias mean variance"
// Values are whitespace-separated numbers. Reading checks the count: a missing file, a token that
// is not a number, too few or too many values are errors naming the file and line.
#pragma once

#include <string>
#include <vector>

#include "frontends/ini_model/ini_layers.h"
#include "graph/graph.h"

namespace n2d2::ini {

// Replaces the parameters of `layers` in `g` by those read from `dir`.
void import_weights(const std::string& dir, const std::vector<ParamLayer>& layers, graph::Graph& g);

// Writes the parameters of `layers` in `g` to `dir` (created if needed; each file written
// atomically). Values are printed with 9 significant digits, so a float reads back exactly.
void export_weights(const std::string& dir, const std::vector<ParamLayer>& layers, const graph::Graph& g);

// Copies the parameters of `layers` from `src`, a graph with the same sequence of Conv, Gemm and
// BatchNormalization nodes (the k-th Conv of `src`, in node order, gives the k-th Conv layer's
// weights, ...), e.g. the ONNX export of the same network. Shapes must match; a masked Conv
// (Mapping) needs zeros at unconnected weights. Errors name `src_name` and the node.
void copy_weights(const graph::Graph& src, const std::string& src_name, const std::vector<ParamLayer>& layers, graph::Graph& g);

}  // namespace n2d2::ini
