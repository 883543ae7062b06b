// AVX2 and AVX-512 matrix-product cores against the reference core over odd shapes (row and
// column tails of every size), and the same bits for 1 and 2 threads.
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>

#include "kernels/cpu/isa.h"
#include "kernels/gemm/gemm.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;

namespace {

using Core = kernels::detail::MatmulF32;

void check_core(Core core, Isa isa) {
  if (hardware_isa() < isa) GTEST_SKIP() << "CPU lacks " << isa_name(isa);
  const int64_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 65, 257, 300};
  uint64_t seed = 1;
  for (int64_t M : {1, 3, 4, 5, 8, 9, 17})
    for (int64_t N : sizes)
      for (int64_t K : {1, 7, 64}) {
        Tensor a = test::random_tensor({M, K}, seed++), b = test::random_tensor({K, N}, seed++);
        Tensor want(DType::F32, {M, N}), got(DType::F32, {M, N});
        kernels::detail::matmul_rowmajor<float>(M, N, K, a.data<float>(), b.data<float>(), want.data_mut<float>());
        core(M, N, K, a.data<float>(), b.data<float>(), got.data_mut<float>());
        SCOPED_TRACE("M=" + std::to_string(M) + " N=" + std::to_string(N) + " K=" + std::to_string(K));
        test::expect_near(got, want, 1e-5, 1e-5);
        if (::testing::Test::HasFailure()) return;
      }
}

void check_threads(Core core, Isa isa) {
  if (hardware_isa() < isa) GTEST_SKIP() << "CPU lacks " << isa_name(isa);
  Tensor a = test::random_tensor({37, 129}, 5), b = test::random_tensor({129, 601}, 6);
  Tensor c1(DType::F32, {37, 601}), c2(DType::F32, {37, 601});
  tbb::task_arena(1).execute([&] { core(37, 601, 129, a.data<float>(), b.data<float>(), c1.data_mut<float>()); });
  tbb::task_arena(2).execute([&] { core(37, 601, 129, a.data<float>(), b.data<float>(), c2.data_mut<float>()); });
  test::expect_equal(c1, c2);
}

}  // namespace

TEST(GemmIsa, Avx2MatchesReference) { check_core(kernels::detail::matmul_f32_avx2, Isa::Avx2); }
TEST(GemmIsa, Avx512MatchesReference) { check_core(kernels::detail::matmul_f32_avx512, Isa::Avx512); }
TEST(GemmIsa, Avx2IsThreadIndependent) { check_threads(kernels::detail::matmul_f32_avx2, Isa::Avx2); }
TEST(GemmIsa, Avx512IsThreadIndependent) { check_threads(kernels::detail::matmul_f32_avx512, Isa::Avx512); }

void check_packed(Core core, Isa isa) {
  if (hardware_isa() < isa) GTEST_SKIP() << "CPU lacks " << isa_name(isa);
  uint64_t seed = 50;
  // Row/column tails of the micro-tiles (12x32, 6x16), several K blocks (256) with a tail.
  for (int64_t M : {1, 5, 6, 7, 12, 13, 97})
    for (int64_t N : {1, 16, 17, 32, 33, 257, 300})
      for (int64_t K : {1, 17, 256, 600}) {
        Tensor a = test::random_tensor({M, K}, seed++), b = test::random_tensor({K, N}, seed++);
        Tensor want(DType::F32, {M, N}), got(DType::F32, {M, N});
        kernels::detail::matmul_rowmajor<float>(M, N, K, a.data<float>(), b.data<float>(), want.data_mut<float>());
        core(M, N, K, a.data<float>(), b.data<float>(), got.data_mut<float>());
        // Normalized max error (the measure): max |got - want| / max |want| <= 1e-5.
        double err = 0, scale = 0;
        for (int64_t i = 0; i < M * N; ++i) {
          err = std::max(err, std::abs(double(got.data<float>()[i]) - want.data<float>()[i]));
          scale = std::max(scale, std::abs(double(want.data<float>()[i])));
        }
        ASSERT_LE(err, 1e-5 * std::max(1.0, scale)) << "M=" << M << " N=" << N << " K=" << K;
      }
}

TEST(GemmIsa, PackedAvx2MatchesReference) { check_packed(kernels::detail::matmul_f32_packed_avx2, Isa::Avx2); }
TEST(GemmIsa, PackedAvx512MatchesReference) { check_packed(kernels::detail::matmul_f32_packed_avx512, Isa::Avx512); }
TEST(GemmIsa, PackedAvx2IsThreadIndependent) { check_threads(kernels::detail::matmul_f32_packed_avx2, Isa::Avx2); }
TEST(GemmIsa, PackedAvx512IsThreadIndependent) { check_threads(kernels::detail::matmul_f32_packed_avx512, Isa::Avx512); }

TEST(Isa, NamesAndCaps) {
  EXPECT_EQ(isa_from_name("avx2"), Isa::Avx2);
  EXPECT_THROW(isa_from_name("sse9"), Error);
  EXPECT_LE(max_isa(), hardware_isa());
  EXPECT_TRUE(require_isa(Isa::Scalar).empty());
}
