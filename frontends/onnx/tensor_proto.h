// TensorProto -> n2d2::Tensor, in every storage form.
#pragma once

#include <cstddef>
#include <string>

#include "graph/tensor.h"
#include "onnx/onnx_pb.h"

namespace n2d2::onnx {

// Converts a TensorProto in any storage form: typed fields, raw_data, or external data
// (a relative location inside `base_dir`). `what` names the tensor in errors.
Tensor tensor_from_proto(const ::onnx::TensorProto& p, const std::string& base_dir, std::size_t max_bytes,
                         const std::string& what);

}  // namespace n2d2::onnx
