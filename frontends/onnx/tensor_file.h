// Tensor files given on the command line: .npy or ONNX TensorProto .pb, chosen by extension.
#pragma once

#include <string>

#include "graph/tensor.h"

namespace n2d2::onnx {

Tensor read_tensor_file(const std::string& path);

}  // namespace n2d2::onnx
