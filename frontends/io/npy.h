// NumPy .npy files: read (format versions 1.0-3.0, little-endian numeric and bool, C order) and
// atomic write (temporary file + rename).
#pragma once

#include <string>

#include "graph/tensor.h"

namespace n2d2::io {

Tensor read_npy(const std::string& path);
Tensor parse_npy(const std::string& bytes, const std::string& display_name);
std::string npy_bytes(const Tensor& t);
void write_npy_atomic(const std::string& path, const Tensor& t);

// Writes `bytes` to `path` through `path.tmp.<pid>` and a rename; throws naming the path.
void write_file_atomic(const std::string& path, const std::string& bytes);
// Reads a whole file; throws naming the path when missing, a directory or unreadable.
std::string read_file(const std::string& path);

}  // namespace n2d2::io
