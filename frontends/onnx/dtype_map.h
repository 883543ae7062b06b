// ONNX TensorProto.DataType codes <-> n2d2::DType.
#pragma once

#include <cstdint>

#include "graph/dtype.h"

namespace n2d2::onnx {

// DType of an ONNX element type; Undefined for string, complex and unknown codes.
DType dtype_from_onnx(int32_t elem_type);
// ONNX element type of a DType; 0 (UNDEFINED) for DType::Undefined.
int32_t dtype_to_onnx(DType t);
// "FLOAT", "INT64", ... or "invalid" for a code outside the enum (for error messages).
const char* onnx_type_name(int32_t elem_type);

}  // namespace n2d2::onnx
