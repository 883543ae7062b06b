// The ONNX frontend: ModelProto -> graph IR. Every node is bound to its schema in the op
// registry; unsupported nodes are all listed in one UnsupportedError, never half-run.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "graph/graph.h"

namespace n2d2::onnx {

struct LoadOptions {
  std::map<std::string, Shape> input_shapes;  // --shape: fixes the shape of a graph input
  int64_t batch = 0;                          // --batch: dim 0 of inputs whose dim 0 is not fixed...
  bool force_batch = false;                   // ...or of every input of rank >= 1
  std::size_t max_tensor_bytes = std::size_t{4} << 30;  // larger declared/stored tensors are refused
  // Keep nodes without a schema (marked since_version 0, outputs of unknown type) instead of
  // refusing the model: for `info`, which lists them.
  bool allow_unsupported = false;
};

graph::Graph load_model(const std::string& path, const LoadOptions& opts = {});
graph::Graph load_model_from_bytes(const std::string& bytes, const std::string& base_dir,
                                   const std::string& display_name, const LoadOptions& opts = {});

// An ONNX TensorProto file (.pb), as in the backend test data. `name` receives its name field.
Tensor load_tensor_pb(const std::string& path, std::string* name = nullptr);

// Nodes of a graph loaded with allow_unsupported that have no schema (since_version 0).
bool is_unbound(const graph::Node& n);

}  // namespace n2d2::onnx
