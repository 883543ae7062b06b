// .npy reading (numpy-written bytes, format versions 1.0-3.0), bit-exact round trips and atomic writes.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "frontends/io/npy.h"

using namespace n2d2;

namespace {
std::string npy_v1(const std::string& dict, const std::string& data) {
  std::string header = dict;
  std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}
}  // namespace

TEST(Npy, RoundTripEveryDtypeBitExact) {
  for (DType t : {DType::F32, DType::F64, DType::I8, DType::U8, DType::I16, DType::U16, DType::I32, DType::U32, DType::I64,
                  DType::U64, DType::Bool}) {
    Tensor a(t, {2, 3, 1});
    auto* b = static_cast<unsigned char*>(a.raw_mut());
    for (std::size_t i = 0; i < a.nbytes(); ++i) b[i] = t == DType::Bool ? (i % 2) : static_cast<unsigned char>(i * 37 + 1);
    Tensor r = io::parse_npy(io::npy_bytes(a), "x.npy");
    ASSERT_EQ(r.dtype(), t) << dtype_name(t);
    ASSERT_EQ(r.shape(), a.shape());
    EXPECT_EQ(0, std::memcmp(r.raw(), a.raw(), a.nbytes())) << dtype_name(t);
  }
  Tensor s = Tensor::scalar<float>(2.5f);
  EXPECT_EQ(io::parse_npy(io::npy_bytes(s), "s.npy").shape(), Shape{});
  Tensor v = Tensor::from_vector<int64_t>({3}, {1, 2, 3});
  EXPECT_EQ(io::parse_npy(io::npy_bytes(v), "v.npy").to_vector<int64_t>(), (std::vector<int64_t>{1, 2, 3}));
}

TEST(Npy, ReadsNumpyWrittenHeaders) {
  // What numpy 1.24 writes (np.save) for np.arange(3, dtype='<f4') and a (2,2) int32 array:
  // a 118-byte header padded with spaces to a 128-byte prefix. npy_bytes writes the same bytes.
  float f[3] = {0, 1, 2};
  std::string numpy_f4 =
      npy_v1("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", std::string(reinterpret_cast<char*>(f), 12));
  ASSERT_EQ(numpy_f4[8], 118);
  EXPECT_EQ(io::npy_bytes(Tensor::from_vector<float>({3}, {0, 1, 2})), numpy_f4);
  Tensor a = io::parse_npy(numpy_f4, "a.npy");
  EXPECT_EQ(a.to_vector<float>(), (std::vector<float>{0, 1, 2}));
  int32_t i[4] = {1, -2, 3, -4};
  Tensor b = io::parse_npy(npy_v1("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }",
                                  std::string(reinterpret_cast<char*>(i), 16)),
                           "b.npy");
  EXPECT_EQ(b.shape(), (Shape{2, 2}));
  EXPECT_EQ(b.to_vector<int32_t>(), (std::vector<int32_t>{1, -2, 3, -4}));
  // Format 2.0 (4-byte header length), as np.lib.format.write_array(..., version=(2, 0)) writes
  // np.arange(2, dtype='<i2'); 3.0 differs only in the version byte.
  std::string header = "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }";
  header.append(116 - header.size() - 1, ' ');
  header += '\n';
  for (char version : {'\x02', '\x03'}) {
    std::string v2 = std::string("\x93NUMPY", 6) + version + std::string("\x00\x74\x00\x00\x00", 5) + header +
                     std::string("\x00\x00\x01\x00", 4);
    EXPECT_EQ(io::parse_npy(v2, "v2.npy").to_vector<int16_t>(), (std::vector<int16_t>{0, 1}));
  }
}

TEST(Npy, BadFilesAreNamed) {
  auto msg = [](const std::string& bytes) {
    try {
      io::parse_npy(bytes, "bad.npy");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(msg("not numpy").find("bad.npy: not a .npy file"), std::string::npos);
  EXPECT_NE(msg(npy_v1("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "abcd")).find("'>f4'"), std::string::npos);
  EXPECT_NE(msg(npy_v1("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", "abcd")).find("Fortran"), std::string::npos);
  EXPECT_NE(msg(npy_v1("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", "abcd")).find("truncated"), std::string::npos);
  EXPECT_NE(msg(npy_v1("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "abcdefgh")).find("'|O'"), std::string::npos);
  // A shape whose byte count overflows is reported as truncated, not allocated.
  EXPECT_NE(msg(npy_v1("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", "abcd"))
                .find("bad.npy: truncated"),
            std::string::npos);
  EXPECT_NE(msg(std::string("\x93NUMPY\x09\x00\x00\x00", 10)).find("version 9"), std::string::npos);
}

TEST(Npy, AtomicWriteLeavesNoTemporaryAndReportsFailures) {
  auto dir = std::filesystem::temp_directory_path() / ("n2d2_npy_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "t.npy").string();
  io::write_npy_atomic(path, Tensor::from_vector<float>({2}, {1, 2}));
  io::write_npy_atomic(path, Tensor::from_vector<float>({2}, {3, 4}));  // replaces
  EXPECT_EQ(io::read_npy(path).to_vector<float>(), (std::vector<float>{3, 4}));
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  EXPECT_THROW(io::write_npy_atomic((dir / "no" / "such" / "dir.npy").string(), Tensor::scalar<float>(1)), Error);
  std::filesystem::remove_all(dir);
  EXPECT_THROW(io::read_npy((dir / "gone.npy").string()), Error);
}
