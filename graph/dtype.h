// Element types of tensors. Values follow no external numbering: frontends map their own codes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace n2d2 {

enum class DType : uint8_t {
  Undefined,
  F32,
  F64,
  F16,
  BF16,
  I8,
  U8,
  I16,
  U16,
  I32,
  U32,
  I64,
  U64,
  Bool,
};

std::size_t dtype_size(DType t);
const char* dtype_name(DType t);  // "float32", "int64", ...
DType dtype_from_name(const std::string& name);  // inverse of dtype_name; Undefined if unknown
// ONNX TensorProto.DataType codes (used by the Cast op's `to` attribute and by the ONNX reader):
// 1 float, 2 uint8, 3 int8, 4 uint16, 5 int16, 6 int32, 7 int64, 9 bool, 10 float16, 11 double,
// 12 uint32, 13 uint64, 16 bfloat16. Undefined for other codes (string, complex, ...).
DType dtype_from_onnx_code(int64_t code);
bool dtype_is_float(DType t);
bool dtype_is_integer(DType t);  // signed or unsigned, excluding Bool
bool dtype_is_signed(DType t);

// Maps a C++ element type to its DType.
template <class T> struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::F32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::F64; };
template <> struct DTypeOf<int8_t> { static constexpr DType value = DType::I8; };
template <> struct DTypeOf<uint8_t> { static constexpr DType value = DType::U8; };
template <> struct DTypeOf<int16_t> { static constexpr DType value = DType::I16; };
template <> struct DTypeOf<uint16_t> { static constexpr DType value = DType::U16; };
template <> struct DTypeOf<int32_t> { static constexpr DType value = DType::I32; };
template <> struct DTypeOf<uint32_t> { static constexpr DType value = DType::U32; };
template <> struct DTypeOf<int64_t> { static constexpr DType value = DType::I64; };
template <> struct DTypeOf<uint64_t> { static constexpr DType value = DType::U64; };
template <> struct DTypeOf<bool> { static constexpr DType value = DType::Bool; };

// Calls f(T{}) with T the C++ type of `t` (numeric types and bool; F16/BF16 are not computable).
// Returns false when `t` has no C++ type here.
template <class F>
bool visit_dtype(DType t, F&& f) {
  switch (t) {
    case DType::F32: f(float{}); return true;
    case DType::F64: f(double{}); return true;
    case DType::I8: f(int8_t{}); return true;
    case DType::U8: f(uint8_t{}); return true;
    case DType::I16: f(int16_t{}); return true;
    case DType::U16: f(uint16_t{}); return true;
    case DType::I32: f(int32_t{}); return true;
    case DType::U32: f(uint32_t{}); return true;
    case DType::I64: f(int64_t{}); return true;
    case DType::U64: f(uint64_t{}); return true;
    case DType::Bool: f(bool{}); return true;
    default: return false;
  }
}

}  // namespace n2d2
