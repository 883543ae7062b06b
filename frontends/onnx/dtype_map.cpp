#include "frontends/onnx/dtype_map.h"

#include "onnx/onnx_pb.h"

namespace n2d2::onnx {

using ::onnx::TensorProto;

// graph/dtype.h owns the code -> DType table (the Cast op reads the same codes).
DType dtype_from_onnx(int32_t elem_type) { return dtype_from_onnx_code(elem_type); }

int32_t dtype_to_onnx(DType t) {
  switch (t) {
    case DType::F32: return TensorProto::FLOAT;
    case DType::F64: return TensorProto::DOUBLE;
    case DType::F16: return TensorProto::FLOAT16;
    case DType::BF16: return TensorProto::BFLOAT16;
    case DType::I8: return TensorProto::INT8;
    case DType::U8: return TensorProto::UINT8;
    case DType::I16: return TensorProto::INT16;
    case DType::U16: return TensorProto::UINT16;
    case DType::I32: return TensorProto::INT32;
    case DType::U32: return TensorProto::UINT32;
    case DType::I64: return TensorProto::INT64;
    case DType::U64: return TensorProto::UINT64;
    case DType::Bool: return TensorProto::BOOL;
    case DType::Undefined: break;
  }
  return TensorProto::UNDEFINED;
}

const char* onnx_type_name(int32_t elem_type) {
  if (!::onnx::TensorProto_DataType_IsValid(elem_type)) return "invalid";
  return ::onnx::TensorProto_DataType_Name(static_cast<::onnx::TensorProto_DataType>(elem_type)).c_str();
}

}  // namespace n2d2::onnx
