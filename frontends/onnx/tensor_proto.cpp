#include "frontends/onnx/tensor_proto.h"

#include <cstring>
#include <filesystem>
#include <fstream>

#include "frontends/onnx/dtype_map.h"

namespace n2d2::onnx {

using ::onnx::TensorProto;

namespace {

// A non-negative decimal external-data value ("offset", "length").
int64_t parse_count(const std::string& s, const char* key, const std::string& what) {
  int64_t v = 0;
  bool ok = !s.empty() && s.size() <= 18;
  for (char c : s) {
    ok = ok && c >= '0' && c <= '9';
    if (ok) v = v * 10 + (c - '0');
  }
  if (!ok) fail(what, ": external data ", key, " '", s, "' is not a byte count");
  return v;
}

// Reads external data: location/offset/length keys, location relative to the model's folder.
std::string read_external(const TensorProto& p, const std::string& base_dir, std::size_t need, const std::string& what) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& kv : p.external_data()) {
    if (kv.key() == "location") location = kv.value();
    else if (kv.key() == "offset") offset = parse_count(kv.value(), "offset", what);
    else if (kv.key() == "length") length = parse_count(kv.value(), "length", what);
  }
  if (location.empty()) fail(what, ": external data without a location");
  std::filesystem::path loc(location);
  if (loc.is_absolute()) fail(what, ": external data location '", location, "' is absolute: only files inside the model's folder are read");
  for (const auto& part : loc)
    if (part == "..") fail(what, ": external data location '", location, "' leaves the model's folder");
  std::filesystem::path full = std::filesystem::path(base_dir) / loc;
  // A symbolic link inside the folder must not lead out of it either.
  std::error_code dir_ec, file_ec;
  auto real_dir = std::filesystem::weakly_canonical(base_dir, dir_ec);
  auto real_file = std::filesystem::weakly_canonical(full, file_ec);
  auto inside = real_file.lexically_relative(real_dir);
  if (!dir_ec && !file_ec && (inside.empty() || *inside.begin() == ".."))
    fail(what, ": external data location '", location, "' resolves to '", real_file.string(), "', outside the model's folder");
  std::ifstream f(full, std::ios::binary);
  if (!f) fail(what, ": external data file '", full.string(), "' cannot be opened");
  f.seekg(0, std::ios::end);
  auto size = static_cast<int64_t>(f.tellg());
  if (length < 0) length = offset <= size ? size - offset : 0;
  if (offset > size || length > size - offset)
    fail(what, ": external data file '", full.string(), "' is ", size, " bytes, the tensor needs bytes ", offset, " to ",
         offset + length);
  if (static_cast<std::size_t>(length) != need)
    fail(what, ": external data holds ", length, " bytes, the tensor needs ", need);
  std::string bytes(static_cast<std::size_t>(length), '\0');
  f.seekg(offset);
  f.read(bytes.data(), length);
  if (!f) fail(what, ": cannot read external data from '", full.string(), "'");
  return bytes;
}

template <class Dst, class Field>
void copy_field(Tensor& t, const Field& field, const std::string& what, const char* field_name) {
  if (static_cast<int64_t>(field.size()) != t.numel())
    fail(what, ": ", field_name, " holds ", field.size(), " values for shape [", shape_str(t.shape()), "]");
  Dst* d = static_cast<Dst*>(t.raw_mut());
  for (int64_t i = 0; i < t.numel(); ++i) d[i] = static_cast<Dst>(field.Get(static_cast<int>(i)));
}

}  // namespace

Tensor tensor_from_proto(const TensorProto& p, const std::string& base_dir, std::size_t max_bytes, const std::string& what) {
  DType dt = dtype_from_onnx(p.data_type());
  if (p.data_type() == TensorProto::STRING) fail_unsupported(what, ": string tensors are not supported");
  if (dt == DType::Undefined) fail_unsupported(what, ": element type ", onnx_type_name(p.data_type()), " is not supported");
  Shape shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape)
    if (d < 0) fail(what, ": negative dimension ", d);
  // Product with overflow check before allocating.
  long double bytes = dtype_size(dt);
  for (int64_t d : shape) bytes *= static_cast<long double>(d);
  if (bytes > static_cast<long double>(max_bytes))
    fail(what, ": tensor of shape [", shape_str(shape), "] (", dtype_name(dt), ") is larger than the limit of ", max_bytes,
         " bytes");
  Tensor t(dt, shape);
  std::size_t need = t.nbytes();
  bool external = p.data_location() == TensorProto::EXTERNAL;
  if (external || p.has_raw_data()) {
    std::string ext;
    const std::string& raw = external ? (ext = read_external(p, base_dir, need, what)) : p.raw_data();
    if (raw.size() != need) fail(what, ": raw_data holds ", raw.size(), " bytes, shape [", shape_str(shape), "] of ", dtype_name(dt), " needs ", need);
    if (need) std::memcpy(t.raw_mut(), raw.data(), need);  // ONNX raw data is little-endian, as this host
    return t;
  }
  switch (dt) {
    case DType::F32: copy_field<float>(t, p.float_data(), what, "float_data"); break;
    case DType::F64: copy_field<double>(t, p.double_data(), what, "double_data"); break;
    case DType::I64: copy_field<int64_t>(t, p.int64_data(), what, "int64_data"); break;
    case DType::U64: copy_field<uint64_t>(t, p.uint64_data(), what, "uint64_data"); break;
    case DType::U32: copy_field<uint32_t>(t, p.uint64_data(), what, "uint64_data"); break;
    case DType::I32: copy_field<int32_t>(t, p.int32_data(), what, "int32_data"); break;
    case DType::I16: copy_field<int16_t>(t, p.int32_data(), what, "int32_data"); break;
    case DType::U16: case DType::F16: case DType::BF16: copy_field<uint16_t>(t, p.int32_data(), what, "int32_data"); break;
    case DType::I8: copy_field<int8_t>(t, p.int32_data(), what, "int32_data"); break;
    case DType::U8: copy_field<uint8_t>(t, p.int32_data(), what, "int32_data"); break;
    case DType::Bool: copy_field<bool>(t, p.int32_data(), what, "int32_data"); break;
    default: fail_unsupported(what, ": element type ", dtype_name(dt), " is not supported");
  }
  return t;
}

}  // namespace n2d2::onnx
