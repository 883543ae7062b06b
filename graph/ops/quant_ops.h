// Schemas of the ai.n2d2 integer ops (quant_ops.cpp) and what their kernels and the quantizer
// share about them. The arithmetic itself is defined in graph/ops/quant_semantics.h.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"
#include "graph/ops/quant_semantics.h"

namespace n2d2::graph {

constexpr const char* kN2D2Domain = "ai.n2d2";

// int8/uint8 for nbbits <= 8, int16/uint16 up to 16. Throws n2d2::Error outside 2..16.
DType quant_storage_dtype(int64_t nbbits, bool is_signed);

// "Floating-point", "Fixed-point", "Fixed-point16", "Fixed-point32", "Single-shift",
// "Double-shift"; throws n2d2::Error listing them otherwise.
quant::Rescaling parse_rescaling(const std::string& name);

// A Requantize node's per-channel parameters (one entry, or one per channel along axis 1),
// checked against its mode: throws n2d2::Error naming the node when a list is missing, of
// different lengths, or a shift is out of [0, 62].
struct RequantizeAttrs {
  quant::Rescaling mode;
  int nbbits;
  bool is_signed;
  std::vector<quant::RescaleParams> channels;
};
RequantizeAttrs requantize_attrs(const Node& n);

}  // namespace n2d2::graph
