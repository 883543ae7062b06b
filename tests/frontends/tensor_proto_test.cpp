// TensorProto storage forms (typed fields, raw_data) and the ONNX <-> DType map.
#include <gtest/gtest.h>

#include <cstring>

#include "frontends/onnx/dtype_map.h"
#include "frontends/onnx/tensor_proto.h"

using namespace n2d2;
namespace nx = n2d2::onnx;
using ::onnx::TensorProto;

namespace {

TensorProto proto(int32_t type, std::vector<int64_t> dims) {
  TensorProto p;
  p.set_data_type(type);
  for (int64_t d : dims) p.add_dims(d);
  return p;
}

Tensor convert(const TensorProto& p) { return nx::tensor_from_proto(p, ".", 1 << 20, "t"); }

std::string error_of(const TensorProto& p) {
  try {
    convert(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(OnnxDtypeMap, RoundTripsEveryDtype) {
  for (int i = 1; i <= static_cast<int>(DType::Bool); ++i) {
    auto t = static_cast<DType>(i);
    EXPECT_EQ(nx::dtype_from_onnx(nx::dtype_to_onnx(t)), t) << dtype_name(t);
  }
  EXPECT_EQ(nx::dtype_to_onnx(DType::F32), TensorProto::FLOAT);
  EXPECT_EQ(nx::dtype_from_onnx(TensorProto::STRING), DType::Undefined);
  EXPECT_EQ(nx::dtype_from_onnx(TensorProto::COMPLEX64), DType::Undefined);
  EXPECT_STREQ(nx::onnx_type_name(TensorProto::INT64), "INT64");
  EXPECT_STREQ(nx::onnx_type_name(999), "invalid");
}

TEST(OnnxTensorProto, TypedFields) {
  TensorProto i64 = proto(TensorProto::INT64, {2});
  i64.add_int64_data(-7);
  i64.add_int64_data(1LL << 40);
  EXPECT_EQ(convert(i64).to_vector<int64_t>(), (std::vector<int64_t>{-7, 1LL << 40}));

  TensorProto f64 = proto(TensorProto::DOUBLE, {1, 2});
  f64.add_double_data(0.1);
  f64.add_double_data(-1e300);
  Tensor d = convert(f64);
  EXPECT_EQ(d.shape(), (Shape{1, 2}));
  EXPECT_EQ(d.to_vector<double>(), (std::vector<double>{0.1, -1e300}));

  // int32_data also carries int8, uint8, int16, uint16, bool and float16 (as bit patterns).
  TensorProto i8 = proto(TensorProto::INT8, {3});
  for (int v : {-128, 0, 127}) i8.add_int32_data(v);
  EXPECT_EQ(convert(i8).to_vector<int8_t>(), (std::vector<int8_t>{-128, 0, 127}));
  TensorProto u8 = proto(TensorProto::UINT8, {2});
  for (int v : {0, 255}) u8.add_int32_data(v);
  EXPECT_EQ(convert(u8).to_vector<uint8_t>(), (std::vector<uint8_t>{0, 255}));
  TensorProto b = proto(TensorProto::BOOL, {3});
  for (int v : {1, 0, 1}) b.add_int32_data(v);
  EXPECT_EQ(convert(b).to_vector<bool>(), (std::vector<bool>{true, false, true}));
  TensorProto h = proto(TensorProto::FLOAT16, {2});
  h.add_int32_data(0x3c00);  // 1.0
  h.add_int32_data(0xc000);  // -2.0
  Tensor ht = convert(h);
  ASSERT_EQ(ht.dtype(), DType::F16);
  uint16_t bits[2];
  std::memcpy(bits, ht.raw(), sizeof bits);
  EXPECT_EQ(bits[0], 0x3c00);
  EXPECT_EQ(bits[1], 0xc000);
  // uint32 and uint64 use uint64_data.
  TensorProto u32 = proto(TensorProto::UINT32, {1});
  u32.add_uint64_data(4000000000u);
  EXPECT_EQ(convert(u32).to_vector<uint32_t>(), (std::vector<uint32_t>{4000000000u}));
  TensorProto u64 = proto(TensorProto::UINT64, {});
  u64.add_uint64_data(~0ULL);
  EXPECT_EQ(convert(u64).to_vector<uint64_t>(), (std::vector<uint64_t>{~0ULL}));
}

TEST(OnnxTensorProto, RawData) {
  TensorProto p = proto(TensorProto::INT16, {2, 2});
  int16_t v[4] = {1, -1, 300, -300};
  p.set_raw_data(std::string(reinterpret_cast<const char*>(v), sizeof v));
  EXPECT_EQ(convert(p).to_vector<int16_t>(), (std::vector<int16_t>{1, -1, 300, -300}));
  TensorProto empty = proto(TensorProto::FLOAT, {0, 3});
  empty.set_raw_data("");
  EXPECT_EQ(convert(empty).numel(), 0);
}

TEST(OnnxTensorProto, BadTensorsAreNamed) {
  TensorProto count = proto(TensorProto::INT64, {2});
  count.add_int64_data(1);
  EXPECT_EQ(error_of(count), "t: int64_data holds 1 values for shape [2]");
  TensorProto raw = proto(TensorProto::FLOAT, {2});
  raw.set_raw_data("abc");
  EXPECT_EQ(error_of(raw), "t: raw_data holds 3 bytes, shape [2] of float32 needs 8");
  TensorProto neg = proto(TensorProto::FLOAT, {-1});
  EXPECT_EQ(error_of(neg), "t: negative dimension -1");
  TensorProto big = proto(TensorProto::FLOAT, {1 << 20});
  EXPECT_NE(error_of(big).find("larger than the limit of 1048576 bytes"), std::string::npos);
  TensorProto str = proto(TensorProto::STRING, {1});
  str.add_string_data("hi");
  EXPECT_THROW(convert(str), UnsupportedError);
  TensorProto ext = proto(TensorProto::FLOAT, {1});
  ext.set_data_location(TensorProto::EXTERNAL);
  auto* kv = ext.add_external_data();
  kv->set_key("location");
  kv->set_value("w.bin");
  kv = ext.add_external_data();
  kv->set_key("offset");
  kv->set_value("-4");
  EXPECT_EQ(error_of(ext), "t: external data offset '-4' is not a byte count");
}
