// IDX reading: hand-built files (every element type, big-endian), gzip, MNIST folders, bad input.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>

#include "frontends/data/idx.h"
#include "frontends/io/npy.h"

using namespace n2d2;
namespace fs = std::filesystem;

namespace {
std::string idx_header(unsigned char type, std::vector<uint32_t> dims) {
  std::string h{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) h += static_cast<char>((d >> s) & 0xff);
  return h;
}
std::string gzip(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = in.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = out.size();
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}
struct TempDir {
  fs::path p = fs::temp_directory_path() / ("idx_test_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(p); }
  ~TempDir() { fs::remove_all(p); }
};
}  // namespace

TEST(Idx, Uint8ImagesKeepShapeAndBytes) {
  std::string f = idx_header(0x08, {2, 2, 3}) + std::string("\x00\x01\x02\x03\x04\x05\xfa\xfb\xfc\xfd\xfe\xff", 12);
  Tensor t = data::parse_idx(f, "a.idx");
  ASSERT_EQ(t.dtype(), DType::U8);
  EXPECT_EQ(t.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(t.data<uint8_t>()[1], 1);
  EXPECT_EQ(t.data<uint8_t>()[11], 255);
}

TEST(Idx, BigEndianWideTypes) {
  Tensor i32 = data::parse_idx(idx_header(0x0C, {2}) + std::string("\x00\x00\x01\x02\xff\xff\xff\xfe", 8), "i.idx");
  EXPECT_EQ(i32.to_vector<int32_t>(), (std::vector<int32_t>{258, -2}));
  Tensor i16 = data::parse_idx(idx_header(0x0B, {1}) + std::string("\x80\x01", 2), "s.idx");
  EXPECT_EQ(i16.to_vector<int16_t>(), (std::vector<int16_t>{-32767}));
  // 1.5f = 0x3FC00000
  Tensor f32 = data::parse_idx(idx_header(0x0D, {1}) + std::string("\x3f\xc0\x00\x00", 4), "f.idx");
  EXPECT_EQ(f32.to_vector<float>(), (std::vector<float>{1.5f}));
  // -2.0 = 0xC000000000000000
  Tensor f64 = data::parse_idx(idx_header(0x0E, {1}) + std::string("\xc0\x00\x00\x00\x00\x00\x00\x00", 8), "d.idx");
  EXPECT_EQ(f64.to_vector<double>(), (std::vector<double>{-2.0}));
}

TEST(Idx, GzipIsDetected) {
  std::string f = idx_header(0x08, {3}) + std::string("\x07\x08\x09", 3);
  Tensor t = data::parse_idx(gzip(f), "a.idx.gz");
  EXPECT_EQ(t.to_vector<uint8_t>(), (std::vector<uint8_t>{7, 8, 9}));
}

TEST(Idx, BadInputNamesTheFile) {
  auto msg = [](const std::string& bytes) {
    try {
      data::parse_idx(bytes, "bad.idx");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(msg("\x01\x02\x08\x01").find("bad.idx: not an IDX file"), std::string::npos);
  EXPECT_NE(msg(idx_header(0x07, {1}) + "x").find("element type"), std::string::npos);
  EXPECT_NE(msg(idx_header(0x08, {4}) + "xy").find("truncated IDX data"), std::string::npos);
  EXPECT_NE(msg(idx_header(0x08, {1}) + "xy").find("trailing"), std::string::npos);
  EXPECT_NE(msg(idx_header(0x08, {1, 2}).substr(0, 7)).find("truncated IDX header"), std::string::npos);
  std::string gz = gzip(idx_header(0x08, {64}) + std::string(64, 'a'));
  EXPECT_NE(msg(gz.substr(0, gz.size() / 2)).find("gzip"), std::string::npos);
  EXPECT_THROW(data::read_idx("/nonexistent/x-idx3-ubyte"), Error);
}

TEST(Idx, MnistFolderAndFloatImages) {
  TempDir d;
  std::string pixels;
  for (int i = 0; i < 3 * 2 * 2; ++i) pixels += static_cast<char>(i * 20);
  io::write_file_atomic((d.p / "t10k-images-idx3-ubyte.gz").string(), gzip(idx_header(0x08, {3, 2, 2}) + pixels));
  io::write_file_atomic((d.p / "t10k-labels-idx1-ubyte").string(), idx_header(0x08, {3}) + std::string("\x02\x00\x09", 3));
  auto s = data::read_mnist(data::resolve_mnist_dir(d.p.string()), data::Split::Test);
  EXPECT_EQ(s.size(), 3);
  EXPECT_EQ(s.classes(), 10);
  EXPECT_EQ(s.labels, (std::vector<int32_t>{2, 0, 9}));
  Tensor f = data::images_to_float(s, 1, 2);
  EXPECT_EQ(f.shape(), (Shape{2, 1, 2, 2}));
  EXPECT_FLOAT_EQ(f.data<float>()[0], 80.0f / 255.0f);
  EXPECT_EQ(data::read_mnist(d.p.string(), data::Split::Test, 2).size(), 2);
  // Train split missing; label count mismatch.
  EXPECT_THROW(data::read_mnist(d.p.string(), data::Split::Train), Error);
  io::write_file_atomic((d.p / "t10k-labels-idx1-ubyte").string(), idx_header(0x08, {2}) + std::string("\x02\x00", 2));
  try {
    data::read_mnist(d.p.string(), data::Split::Test);
    FAIL() << "count mismatch accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("3 images but"), std::string::npos) << e.what();
  }
  EXPECT_THROW(data::resolve_mnist_dir((d.p / "none").string()), Error);
}

TEST(Idx, RealFashionMnistWhenInstalled) {
  std::string dir;
  try {
    dir = data::resolve_mnist_dir("fashion-mnist");
  } catch (const Error& e) {
    GTEST_SKIP() << e.what();
  }
  auto s = data::read_mnist(dir, data::Split::Test);
  EXPECT_EQ(s.size(), 10000);
  EXPECT_EQ(s.rows(), 28);
  EXPECT_EQ(s.classes(), 10);
  EXPECT_EQ(s.labels[0], 9);  // the first Fashion-MNIST test image is an ankle boot
}
