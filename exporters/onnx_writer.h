// Writing a graph as an ONNX model: inputs/outputs with their types, constants as initializers
// (raw data), nodes with their domain and attributes, opset imports (ai.n2d2 included when the
// graph uses it). The loader (frontends/onnx) reads the result back to the same graph.
#pragma once

#include <string>

#include "graph/graph.h"

namespace n2d2::exporters {

// The serialized ModelProto. Throws n2d2::Error naming the node for an attribute it cannot write.
std::string onnx_bytes(const graph::Graph& g);
// Writes onnx_bytes(g) to `path` atomically (temporary file + rename).
void write_onnx(const graph::Graph& g, const std::string& path);

}  // namespace n2d2::exporters
