// The standard pass pipeline between loading and compiling a graph.
#pragma once

#include <string>

#include "graph/graph.h"

namespace n2d2::sched {

struct PassReport {
  int identities_removed = 0;
  int constants_folded = 0;
  int dead_removed = 0;
  int batchnorms_folded = 0;
  int convs_fused = 0;
  int gemms_fused = 0;  // Gemm -> activation into ai.n2d2 FusedGemm
  int requantizes_fused = 0;  // QConv/QAdd -> Requantize (graph/passes/fuse_requantize.h)
  std::string str() const;  // "folded 12 constant nodes, removed 3 identities, 0 dead nodes"
};

struct PassOptions {
  // BatchNormalization folding and Conv/Gemm epilogue fusion into ai.n2d2 FusedConv/FusedGemm: for
  // graphs the CPU kernels run (off for exporters, quantization and the CUDA backend, which expect
  // ONNX ops).
  bool cpu_fusion = false;
};

// Identity/Dropout removal, constant folding (kernels evaluate the constant nodes), shape
// inference, [BatchNormalization folding, Conv and Gemm epilogue fusion,] dead-node removal, in that order.
PassReport optimize_graph(graph::Graph& g, const PassOptions& opts = {});

}  // namespace n2d2::sched
