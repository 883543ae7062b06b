#include "frontends/onnx/tensor_file.h"

#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"

namespace n2d2::onnx {

Tensor read_tensor_file(const std::string& path) {
  auto ends_with = [&](const char* ext) {
    std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends_with(".npy")) return io::read_npy(path);
  if (ends_with(".pb")) return load_tensor_pb(path);
  fail(path, ": unknown tensor file type (expected .npy or .pb)");
}

}  // namespace n2d2::onnx
