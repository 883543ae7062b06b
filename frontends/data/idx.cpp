#include "frontends/data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "frontends/io/npy.h"

namespace n2d2::data {

namespace {

std::string gunzip(const std::string& in, const std::string& name) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) fail(name, ": cannot initialise zlib");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      fail(name, ": corrupt or truncated gzip data (zlib: ", zs.msg ? zs.msg : "error", ")");
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      fail(name, ": truncated gzip data");
    }
    if (out.size() > (std::size_t{1} << 32)) {
      inflateEnd(&zs);
      fail(name, ": decompressed IDX data over 4 GiB");
    }
  }
  inflateEnd(&zs);
  return out;
}

uint32_t be32(const unsigned char* p) { return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]; }

std::string first_existing(const std::string& dir, const std::string& stem) {
  for (const char* ext : {"", ".gz"}) {
    std::string p = dir + "/" + stem + ext;
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  fail(dir, ": no ", stem, " or ", stem, ".gz (an MNIST-layout folder holds train-/t10k-images-idx3-ubyte and -labels-idx1-ubyte)");
}

}  // namespace

Tensor parse_idx(const std::string& raw, const std::string& name) {
  const std::string bytes = raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f &&
                                    static_cast<unsigned char>(raw[1]) == 0x8b
                                ? gunzip(raw, name)
                                : raw;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 4 || b[0] != 0 || b[1] != 0) fail(name, ": not an IDX file (bad magic)");
  DType dt;
  std::size_t esize;
  switch (b[2]) {
    case 0x08: dt = DType::U8, esize = 1; break;
    case 0x09: dt = DType::I8, esize = 1; break;
    case 0x0B: dt = DType::I16, esize = 2; break;
    case 0x0C: dt = DType::I32, esize = 4; break;
    case 0x0D: dt = DType::F32, esize = 4; break;
    case 0x0E: dt = DType::F64, esize = 8; break;
    default: fail(name, ": IDX element type 0x", std::hex, int(b[2]), " is not one of 08 09 0B 0C 0D 0E");
  }
  const int rank = b[3];
  if (rank < 1) fail(name, ": IDX rank 0");
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(rank);
  if (bytes.size() < header) fail(name, ": truncated IDX header");
  Shape dims;
  uint64_t numel = 1;
  for (int i = 0; i < rank; ++i) {
    uint32_t d = be32(b + 4 + 4 * i);
    dims.push_back(d);
    numel *= d;
    if (numel > (uint64_t{1} << 32)) fail(name, ": IDX dimensions too large");
  }
  const std::size_t want = header + numel * esize;
  if (bytes.size() < want)
    fail(name, ": truncated IDX data (", bytes.size() - header, " bytes for ", numel, " elements of ", esize, " bytes)");
  if (bytes.size() > want) fail(name, ": ", bytes.size() - want, " trailing bytes after the IDX data");
  Tensor t(dt, dims);
  auto* out = static_cast<unsigned char*>(t.raw_mut());
  const unsigned char* in = b + header;
  if (esize == 1) {
    std::memcpy(out, in, numel);
  } else {
    for (uint64_t i = 0; i < numel; ++i)
      for (std::size_t k = 0; k < esize; ++k) out[i * esize + k] = in[i * esize + (esize - 1 - k)];
  }
  return t;
}

Tensor read_idx(const std::string& path) { return parse_idx(io::read_file(path), path); }

int32_t LabelledImages::classes() const {
  return labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
}

std::string resolve_mnist_dir(const std::string& spec) {
  std::error_code ec;
  std::string name = spec;
  std::replace(name.begin(), name.end(), '_', '-');
  if (name == "fashion-mnist" || name == "mnist") {
    if (const char* env = std::getenv("N2D2_DATA"); env && *env) {
      std::string p = std::string(env) + "/" + name;
      if (std::filesystem::is_directory(p, ec)) return p;
    }
    std::string p = "/usr/share/datasets/" + name;
    if (std::filesystem::is_directory(p, ec)) return p;
    fail("data set '", spec, "' not found: neither $N2D2_DATA/", name, " nor ", p,
         " exists (Debian: apt-get install dataset-", name, ")");
  }
  if (!std::filesystem::is_directory(spec, ec)) fail(spec, ": no such data directory");
  return spec;
}

LabelledImages read_mnist(const std::string& dir, Split split, int64_t limit) {
  const std::string prefix = split == Split::Train ? "train" : "t10k";
  LabelledImages s;
  s.images_path = first_existing(dir, prefix + "-images-idx3-ubyte");
  s.labels_path = first_existing(dir, prefix + "-labels-idx1-ubyte");
  Tensor img = read_idx(s.images_path);
  Tensor lab = read_idx(s.labels_path);
  if (img.dtype() != DType::U8 || img.rank() != 3) fail(s.images_path, ": expected uint8 images [N, rows, cols], got ", img.type().str());
  if (lab.dtype() != DType::U8 || lab.rank() != 1) fail(s.labels_path, ": expected uint8 labels [N], got ", lab.type().str());
  if (img.dim(0) != lab.dim(0))
    fail(s.images_path, ": ", img.dim(0), " images but ", s.labels_path, " has ", lab.dim(0), " labels");
  int64_t n = img.dim(0);
  if (limit > 0 && limit < n) n = limit;
  if (n == 0) fail(s.images_path, ": no images");
  s.images = Tensor(DType::U8, {n, img.dim(1), img.dim(2)});
  std::memcpy(s.images.raw_mut(), img.raw(), s.images.nbytes());
  const uint8_t* l = lab.data<uint8_t>();
  s.labels.assign(l, l + n);
  return s;
}

Tensor images_to_float(const LabelledImages& set, int64_t begin, int64_t count) {
  if (begin < 0 || count < 0 || begin + count > set.size())
    fail("images_to_float: range [", begin, ", ", begin + count, ") outside the ", set.size(), " images");
  const int64_t px = set.rows() * set.cols();
  Tensor t(DType::F32, {count, 1, set.rows(), set.cols()});
  const uint8_t* in = set.images.data<uint8_t>() + begin * px;
  float* out = t.data_mut<float>();
  for (int64_t i = 0; i < count * px; ++i) out[i] = static_cast<float>(in[i]) / 255.0f;
  return t;
}

}  // namespace n2d2::data
