// ONNX int8 export of a quantized (ai.n2d2) graph as standard ONNX (opset 13) that ONNX Runtime
// runs: a QDQ graph computing in "integer units" (float tensors holding the integer values):
//   Quantize      -> QuantizeLinear(scale) + DequantizeLinear(1)
//   QConv / QGemm -> Conv / Gemm with the integer weights and bias as float constants
//   Requantize    -> Mul(applied factor per channel) [+ Clip below 8 bits] + QuantizeLinear(1) + DequantizeLinear(1)
//   QAdd          -> Add of the two branches times their multipliers
//   QGlobalSumPool-> GlobalAveragePool x H*W; Dequantize -> Mul(scale)
// and, with integer_ops, ConvInteger / MatMulInteger on the (u)int8 tensors + int32 bias + Cast +
// the same rescaling (N2D2's ImplicitCasting=0). Rounding differs from n2d2's only at exact
// halves (ONNX rounds half to even) and int8 saturation reaches -128: outputs agree within one
// quantization step. 8-bit graphs only.
#pragma once

#include "graph/graph.h"

namespace n2d2::exporters {

// Throws n2d2::Error naming the node for an op or bit width it cannot express.
graph::Graph onnx_int8_graph(const graph::Graph& q, bool integer_ops);

}  // namespace n2d2::exporters
