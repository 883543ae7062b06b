// Shape inference of the spatial family: Pad with known/unknown pads, Resize/Upsample from
// scales or sizes (known or not, empty inputs), DepthToSpace/SpaceToDepth with unknown dims,
// versions and defaults, and the inputs each rejects.
#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::infer;
using n2d2::test::attrs;
using graph::OpRegistry;

namespace {
constexpr int64_t kU = kUnknownDim;

TensorType f32(Shape s) { return TensorType(DType::F32, std::move(s)); }
TensorType i64(Shape s) { return TensorType(DType::I64, std::move(s)); }
Tensor ints(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
Tensor floats(std::vector<float> v) { return Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, v); }
const TensorType kAbsent;
}  // namespace

TEST(SpatialSchema, PadShapes) {
  Tensor p = ints({1, 0, 1, 2});
  EXPECT_EQ(infer("Pad", {f32({2, kU}), i64({4})}, {}, 13, {nullptr, &p})[0].dims, (Shape{4, kU}));
  // pads not known yet: the rank is
  EXPECT_EQ(infer("Pad", {f32({2, 3}), i64({4})}, {}, 13)[0].dims, (Shape{kU, kU}));
  EXPECT_FALSE(infer("Pad", {TensorType::unknown_shape(DType::F32), i64({kU})}, {}, 13)[0].rank_known);
  // Pad-2: the attribute
  EXPECT_EQ(infer("Pad", {f32({2, 3})}, attrs({{"pads", std::vector<int64_t>{0, -1, 1, 1}}}), 10)[0].dims, (Shape{3, 3}));
}

TEST(SpatialSchema, PadRejects) {
  Tensor p2 = ints({0, 1});
  EXPECT_THROW(infer("Pad", {f32({2, 3}), i64({2})}, {}, 13, {nullptr, &p2}), Error);  // count
  EXPECT_THROW(infer("Pad", {f32({2, 3}), i64({2})}, {}, 13), Error);                  // count, from the shape
  EXPECT_THROW(infer("Pad", {f32({2, 3}), TensorType(DType::I32, {4})}, {}, 13), Error);
  EXPECT_THROW(infer("Pad", {f32({2, 3}), i64({4}), TensorType(DType::F64, {})}, {}, 13), Error);
  EXPECT_THROW(infer("Pad", {f32({2, 3}), i64({4}), f32({2})}, {}, 13), Error);
  Tensor crop = ints({-3, 0, 0, 0});
  EXPECT_THROW(infer("Pad", {f32({2, 3}), i64({4})}, {}, 13, {nullptr, &crop}), Error);
  Tensor grow = ints({1, 0, 0, 0});
  EXPECT_THROW(infer("Pad", {f32({0, 3}), i64({4})}, attrs({{"mode", std::string("edge")}}), 13, {nullptr, &grow}), Error);
  EXPECT_EQ(infer("Pad", {f32({0, 3}), i64({4})}, {}, 13, {nullptr, &grow})[0].dims, (Shape{1, 3}));  // constant
  EXPECT_THROW(infer("Pad", {f32({2}), i64({2})}, attrs({{"mode", std::string("symmetric")}}), 13), Error);
  EXPECT_THROW(test::make_node("Pad", 1, 1, {}, 7), Error);  // Pad-2 requires pads
}

TEST(SpatialSchema, ResizeShapes) {
  Tensor s = floats({1, 1, 0.5f, 2.5f});
  // scales: floor(in * scale); unknown dims stay unknown
  EXPECT_EQ(infer("Resize", {f32({1, 3, 5, kU}), kAbsent, f32({4})}, {}, 13, {nullptr, nullptr, &s})[0].dims,
            (Shape{1, 3, 2, kU}));
  // sizes fix every dim, even unknown ones; the empty scales of Resize-11 mean "not given"
  Tensor sz = ints({1, 3, 8, 8}), empty(DType::F32, {0});
  EXPECT_EQ(infer("Resize", {f32({kU, 3, kU, 4}), f32({0}), f32({0}), i64({4})}, {}, 11, {nullptr, &empty, &empty, &sz})[0].dims,
            (Shape{1, 3, 8, 8}));
  // values not known yet
  EXPECT_EQ(infer("Resize", {f32({1, 3, 5, 5}), kAbsent, f32({4})}, {}, 13)[0].dims, (Shape{kU, kU, kU, kU}));
  EXPECT_EQ(infer("Resize", {f32({1, 2}), kAbsent, f32({kU}), i64({kU})}, {}, 13)[0].dims, (Shape{kU, kU}));
  EXPECT_FALSE(infer("Resize", {TensorType::unknown_shape(DType::F32), kAbsent, f32({4})}, {}, 13)[0].rank_known);
  // Upsample-7 (attribute), Upsample-9 and Resize-10 (input)
  EXPECT_EQ(infer("Upsample", {f32({1, 2, 3})}, attrs({{"scales", std::vector<float>{1, 2, 1.5f}}}), 8)[0].dims,
            (Shape{1, 4, 4}));
  Tensor s2 = floats({2, 0.5f});
  EXPECT_EQ(infer("Resize", {f32({3, 5}), f32({2})}, {}, 10, {nullptr, &s2})[0].dims, (Shape{6, 2}));
  EXPECT_EQ(infer("Resize", {TensorType(DType::U8, {3, 5}), f32({2})}, {}, 10, {nullptr, &s2})[0].dtype, DType::U8);
}

TEST(SpatialSchema, ResizeRejects) {
  Tensor s = floats({1, 2}), sz = ints({1, 4});
  auto mode = [](const char* name, const char* value) { return attrs({{name, std::string(value)}}); };
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, f32({2}), i64({2})}, {}, 13, {nullptr, nullptr, &s, &sz}), Error);
  EXPECT_THROW(infer("Resize", {f32({1, 2})}, {}, 13), Error);
  Tensor bad = floats({1, -2});
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, f32({2})}, {}, 13, {nullptr, nullptr, &bad}), Error);
  Tensor three = floats({1, 2, 2});
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, f32({3})}, {}, 13, {nullptr, nullptr, &three}), Error);
  Tensor negative = ints({1, -4});
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, kAbsent, i64({2})}, {}, 13, {nullptr, nullptr, nullptr, &negative}), Error);
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, TensorType(DType::I64, {2})}, {}, 13), Error);
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, TensorType(DType::F16, {2})}, {}, 13), UnsupportedError);
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, f32({2})}, mode("mode", "area"), 13), Error);
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, f32({2})}, mode("coordinate_transformation_mode", "corners"), 13), Error);
  EXPECT_THROW(infer("Resize", {f32({1, 2}), kAbsent, f32({2})}, mode("coordinate_transformation_mode", "tf_crop_and_resize"), 13),
               Error);
  Tensor roi = floats({0, 1});
  EXPECT_THROW(infer("Resize", {f32({1, 2}), f32({2}), f32({2})}, mode("coordinate_transformation_mode", "tf_crop_and_resize"), 13,
                     {nullptr, &roi, nullptr}),
               Error);  // 2 roi values for rank 2
  EXPECT_THROW(infer("Resize", {TensorType(DType::Bool, {2}), kAbsent, f32({1})}, mode("mode", "linear"), 13), Error);
  EXPECT_THROW(infer("Resize", {f32({1, 2}), f32({2})}, mode("mode", "cubic"), 10), Error);  // no cubic before 11
  EXPECT_THROW(infer("Upsample", {f32({1, 2})}, attrs({{"scales", std::vector<float>{1, 0.5f}}}), 7), Error);
}

TEST(SpatialSchema, DepthSpaceShapes) {
  auto block = [](int64_t b) { return attrs({{"blocksize", b}}); };
  EXPECT_EQ(infer("DepthToSpace", {f32({kU, 8, 2, kU})}, block(2))[0].dims, (Shape{kU, 2, 4, kU}));
  EXPECT_EQ(infer("SpaceToDepth", {f32({1, 2, 4, 6})}, block(2))[0].dims, (Shape{1, 8, 2, 3}));
  EXPECT_EQ(infer("SpaceToDepth", {f32({1, kU, kU, 6})}, block(3))[0].dims, (Shape{1, kU, kU, 2}));
  EXPECT_THROW(infer("DepthToSpace", {f32({1, 6, 2, 2})}, block(2)), Error);
  EXPECT_THROW(infer("SpaceToDepth", {f32({1, 2, 4, 5})}, block(2)), Error);
  EXPECT_THROW(infer("SpaceToDepth", {f32({2, 4, 5})}, block(1)), Error);
  EXPECT_THROW(infer("DepthToSpace", {f32({1, 4, 1, 1})}, block(-2)), Error);
}

TEST(SpatialSchema, VersionsAndDefaults) {
  const OpRegistry& r = OpRegistry::builtin();
  EXPECT_EQ(r.find("Pad", "", 10)->since_version, 2);
  EXPECT_EQ(r.find("Pad", "", 12)->since_version, 11);
  EXPECT_EQ(r.find("Pad", "", 17)->since_version, 13);
  EXPECT_EQ(r.find("Upsample", "", 8)->since_version, 7);
  EXPECT_EQ(r.find("Upsample", "", 9)->since_version, 9);
  EXPECT_EQ(r.find("Resize", "", 9), nullptr);
  EXPECT_EQ(r.find("Resize", "", 12)->since_version, 11);
  EXPECT_EQ(r.find("Resize", "", 17)->since_version, 13);
  EXPECT_EQ(r.find("DepthToSpace", "", 10)->since_version, 1);
  EXPECT_EQ(r.find("DepthToSpace", "", 13)->since_version, 11);
  EXPECT_EQ(r.find("SpaceToDepth", "", 17)->since_version, 1);
  graph::Node resize = test::make_node("Resize", 3, 1, {}, 13);
  EXPECT_EQ(resize.attrs.s("mode"), "nearest");
  EXPECT_EQ(resize.attrs.s("coordinate_transformation_mode"), "half_pixel");
  EXPECT_EQ(resize.attrs.s("nearest_mode"), "round_prefer_floor");
  EXPECT_FLOAT_EQ(resize.attrs.f("cubic_coeff_a"), -0.75f);
  EXPECT_EQ(resize.attrs.i("exclude_outside"), 0);
  EXPECT_FLOAT_EQ(resize.attrs.f("extrapolation_value"), 0.f);
  EXPECT_EQ(test::make_node("Pad", 2, 1, {}, 13).attrs.s("mode"), "constant");
  EXPECT_FLOAT_EQ(test::make_node("Pad", 1, 1, attrs({{"pads", std::vector<int64_t>{0, 0}}}), 7).attrs.f("value"), 0.f);
  EXPECT_EQ(test::make_node("DepthToSpace", 1, 1, attrs({{"blocksize", int64_t{2}}}), 13).attrs.s("mode"), "DCR");
  EXPECT_THROW(test::make_node("DepthToSpace", 1, 1, {}, 13), Error);  // blocksize required
  EXPECT_THROW(test::make_node("Resize", 2, 1, {}, 11), Error);        // roi and scales required
}
