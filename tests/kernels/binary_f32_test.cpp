// The vectorized float Add/Sub/Mul/Div (kernels/elementwise/binary_f32.cpp) against the
// broadcasting reference arith_ref: same shapes and a scalar on either side, lengths around the
// vector width and past one parallel chunk, bit for bit, 1 and 2 threads; what they decline.
#include <tbb/task_arena.h>

#include "kernels/cpu/isa.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;

namespace {

struct Impl {
  const char* name;
  Isa isa;
};

void check(const Impl& k) {
  if (std::string why = require_isa(k.isa); !why.empty()) GTEST_SKIP() << why;
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  uint64_t seed = 1;
  for (const char* op : {"Add", "Sub", "Mul", "Div"})
    for (Shape s : {Shape{1}, Shape{7}, Shape{2, 9}, Shape{3, 17, 5}, Shape{1, 64, 33}, Shape{5, 4099}})
      for (int scalar : {0, 1, 2}) {  // 0: same shape, 1: a scalar, 2: b scalar
        Tensor a = test::random_tensor(scalar == 1 ? Shape{1} : s, seed++, 0.5f, 2.f);
        Tensor b = test::random_tensor(scalar == 2 ? Shape{} : s, seed++, 0.5f, 2.f);
        graph::Node n = test::make_node(op, 2, 1, {}, 14);
        std::vector<const Tensor*> in = {&a, &b};
        SCOPED_TRACE(std::string(k.name) + " " + op + " " + shape_str(s) + " scalar " + std::to_string(scalar));
        KernelQuery q{n, {a.type(), b.type()}, {TensorType(DType::F32, s)}, {}};
        ASSERT_EQ(test::kernel_impl(op, k.name).supports(q), "");
        Tensor want = run_node(n, in, test::kernel_impl(op, "arith_ref"), ops)[0];
        Tensor got = run_node(n, in, test::kernel_impl(op, k.name), ops)[0];
        test::expect_equal(got, want);
        std::vector<Tensor> two;
        tbb::task_arena(2).execute([&] { two = run_node(n, in, test::kernel_impl(op, k.name), ops); });
        test::expect_equal(two[0], want);
      }
}

void check_declines(const Impl& k) {
  if (std::string why = require_isa(k.isa); !why.empty()) GTEST_SKIP() << why;
  graph::Node n = test::make_node("Add", 2, 1, {}, 14);
  KernelQuery general{n, {TensorType(DType::F32, {2, 3}), TensorType(DType::F32, {3})}, {TensorType(DType::F32, {2, 3})}, {}};
  EXPECT_EQ(test::kernel_impl("Add", k.name).supports(general), "broadcast other than same shape or a single element");
  KernelQuery ints{n, {TensorType(DType::I32, {4}), TensorType(DType::I32, {4})}, {TensorType(DType::I32, {4})}, {}};
  EXPECT_EQ(test::kernel_impl("Add", k.name).supports(ints), "inputs are not float32");
}

constexpr Impl kAvx2{"binary_f32_avx2", Isa::Avx2}, kAvx512{"binary_f32_avx512", Isa::Avx512};

}  // namespace

TEST(BinaryF32, Avx2MatchesReference) { check(kAvx2); }
TEST(BinaryF32, Avx512MatchesReference) { check(kAvx512); }
TEST(BinaryF32, Avx2Declines) { check_declines(kAvx2); }
TEST(BinaryF32, Avx512Declines) { check_declines(kAvx512); }
