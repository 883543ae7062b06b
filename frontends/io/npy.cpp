#include "frontends/io/npy.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace n2d2::io {

namespace {

const char kMagic[] = "\x93NUMPY";

struct DescrMap {
  const char* descr;
  DType dtype;
};
constexpr DescrMap kDescrs[] = {
    {"<f4", DType::F32}, {"<f8", DType::F64}, {"<f2", DType::F16}, {"|i1", DType::I8},  {"<i1", DType::I8},
    {"|u1", DType::U8},  {"<u1", DType::U8},  {"<i2", DType::I16}, {"<u2", DType::U16}, {"<i4", DType::I32},
    {"<u4", DType::U32}, {"<i8", DType::I64}, {"<u8", DType::U64}, {"|b1", DType::Bool},
};

const char* descr_of(DType t) {
  switch (t) {
    case DType::I8: return "|i1";
    case DType::U8: return "|u1";
    case DType::Bool: return "|b1";
    default:
      for (const auto& d : kDescrs)
        if (d.dtype == t) return d.descr;
  }
  return nullptr;
}

// Value of `key` in the header dict: the text after "'key':" up to the matching end.
std::string dict_value(const std::string& header, const std::string& key, const std::string& name) {
  auto k = header.find("'" + key + "'");
  if (k == std::string::npos) fail(name, ": .npy header has no '", key, "'");
  auto colon = header.find(':', k);
  auto start = header.find_first_not_of(' ', colon + 1);
  if (colon == std::string::npos || start == std::string::npos) fail(name, ": malformed .npy header");
  if (header[start] == '(') {
    auto end = header.find(')', start);
    if (end == std::string::npos) fail(name, ": malformed .npy header");
    return header.substr(start, end - start + 1);
  }
  auto end = header.find_first_of(",}", start);
  return header.substr(start, end - start);
}

}  // namespace

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, ": no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, ": is a directory, not a file");
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(path, ": cannot open for reading");
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) fail(path, ": read error");
  return bytes;
}

Tensor parse_npy(const std::string& b, const std::string& name) {
  if (b.size() < 10 || std::memcmp(b.data(), kMagic, 6) != 0) fail(name, ": not a .npy file (bad magic)");
  int major = static_cast<unsigned char>(b[6]);
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) fail(name, ": truncated .npy header");
    header_len = 0;
    for (int i = 0; i < 4; ++i) header_len |= static_cast<std::size_t>(static_cast<unsigned char>(b[8 + i])) << (8 * i);
    offset = 12;
  } else {
    fail(name, ": unsupported .npy format version ", major);
  }
  if (offset + header_len > b.size()) fail(name, ": truncated .npy header");
  std::string header = b.substr(offset, header_len);
  std::string descr = dict_value(header, "descr", name);
  std::string fortran = dict_value(header, "fortran_order", name);
  std::string shape_s = dict_value(header, "shape", name);
  if (descr.size() < 2 || (descr.front() != '\'' && descr.front() != '"')) fail(name, ": malformed dtype ", descr);
  descr = descr.substr(1, descr.size() - 2);
  DType dt = DType::Undefined;
  for (const auto& d : kDescrs)
    if (descr == d.descr) dt = d.dtype;
  if (dt == DType::Undefined) fail(name, ": unsupported .npy dtype '", descr, "' (little-endian numbers and bool only)");
  if (fortran.find("True") != std::string::npos) fail(name, ": Fortran-order arrays are not supported");
  Shape shape;
  std::string inner = shape_s.substr(1, shape_s.size() - 2);
  std::size_t pos = 0;
  while (pos < inner.size()) {
    auto end = inner.find(',', pos);
    if (end == std::string::npos) end = inner.size();
    std::string tok = inner.substr(pos, end - pos);
    tok.erase(0, tok.find_first_not_of(' '));
    if (!tok.empty()) {
      try {
        std::size_t used = 0;
        long long v = std::stoll(tok, &used);
        if (v < 0) throw std::invalid_argument("negative");
        shape.push_back(v);
      } catch (const std::exception&) {
        fail(name, ": malformed shape ", shape_s);
      }
    }
    pos = end + 1;
  }
  std::size_t data_off = offset + header_len;
  std::size_t avail = b.size() - data_off;
  // Bytes needed, checked against what the file holds at each step so that no product overflows.
  std::size_t need = dtype_size(dt);
  bool empty = false, fits = true;
  for (int64_t d : shape) empty = empty || d == 0;
  for (int64_t d : shape) {
    if (empty || !fits) break;
    fits = need <= avail / static_cast<std::size_t>(d);
    need *= static_cast<std::size_t>(d);
  }
  if (empty) need = 0;
  if (!fits || need > avail)
    fail(name, ": truncated .npy data (", avail, " bytes for shape [", shape_str(shape), "] of ", dtype_name(dt), ")");
  Tensor t(dt, shape);
  if (need) std::memcpy(t.raw_mut(), b.data() + data_off, need);
  if (dt == DType::Bool) {  // any nonzero byte is true; the engine expects 0/1
    auto* p = static_cast<uint8_t*>(t.raw_mut());
    for (std::size_t i = 0; i < need; ++i) p[i] = p[i] != 0;
  }
  return t;
}

Tensor read_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::string npy_bytes(const Tensor& t) {
  const char* descr = descr_of(t.dtype());
  if (!descr) fail("cannot write a ", dtype_name(t.dtype()), " tensor as .npy");
  std::string shape = "(";
  for (std::size_t i = 0; i < t.rank(); ++i) shape += (i ? ", " : "") + std::to_string(t.shape()[i]);
  shape += t.rank() == 1 ? ",)" : ")";
  std::string header = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  out.append(static_cast<const char*>(t.raw()), t.nbytes());
  return out;
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) fail(path, ": cannot create ", tmp);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    f.flush();
    if (!f) {
      f.close();
      std::filesystem::remove(tmp);
      fail(path, ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    fail(path, ": cannot rename the temporary file: ", ec.message());
  }
}

void write_npy_atomic(const std::string& path, const Tensor& t) { write_file_atomic(path, npy_bytes(t)); }

}  // namespace n2d2::io
