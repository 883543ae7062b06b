// Gemm and MatMul on the x86 float cores (packed.cpp for large products, else the tiles of avx2.cpp, avx512.cpp): the reference kernel bodies over
// a core, registered before the reference. supports() declines, naming why, when the CPU or
// N2D2_MAX_ISA does not allow the core's ISA.
#include <algorithm>
#include <vector>

#include "kernels/cpu/isa.h"
#include "kernels/gemm/gemm_kernels.h"
#include "kernels/nn_family.h"

namespace n2d2::kernels {

namespace {

// Row-major copy of the transpose of a [rows, cols] matrix, in cache-sized blocks.
std::vector<float> transposed(const float* p, int64_t rows, int64_t cols) {
  constexpr int64_t kBlock = 32;
  std::vector<float> t(static_cast<std::size_t>(rows * cols));
  for (int64_t i0 = 0; i0 < rows; i0 += kBlock)
    for (int64_t j0 = 0; j0 < cols; j0 += kBlock)
      for (int64_t i = i0; i < std::min(rows, i0 + kBlock); ++i)
        for (int64_t j = j0; j < std::min(cols, j0 + kBlock); ++j) t[j * rows + i] = p[i * cols + j];
  return t;
}

// Below this many rows of A, copying a transposed B costs more than the product itself (batch-1
// fully connected layers): the reference's dot products over B's rows run instead.
constexpr int64_t kMinRowsToTransposeB = 16;

// detail::Product over a row-major core: transposed operands are copied first.
template <detail::MatmulF32 core>
void core_product(int64_t M, int64_t N, int64_t K, const float* A, bool trans_a, const float* B, bool trans_b, float* C) {
  if (trans_b && M < kMinRowsToTransposeB) {
    detail::matmul<float>(M, N, K, A, trans_a, B, trans_b, C);
    return;
  }
  std::vector<float> at, bt;
  if (trans_a) A = (at = transposed(A, K, M)).data();
  if (trans_b) B = (bt = transposed(B, N, K)).data();
  core(M, N, K, A, B, C);
}

template <detail::MatmulF32 core>
Status gemm_f32(const KernelContext& c) {
  return detail::run_gemm<float>(c, core_product<core>);
}
template <detail::MatmulF32 core>
Status matmul_f32(const KernelContext& c) {
  return detail::run_matmul<float>(c, core_product<core>);
}

template <Isa isa>
std::string supports_f32(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  return r.empty() ? require_isa(isa) : r;
}

}  // namespace

void register_gemm_x86_kernels(KernelRegistry& r) {
  r.add({"gemm_f32_avx512", "Gemm", "", supports_f32<Isa::Avx512>, gemm_f32<detail::matmul_f32_best_avx512>, nullptr, true});
  r.add({"gemm_f32_avx2", "Gemm", "", supports_f32<Isa::Avx2>, gemm_f32<detail::matmul_f32_best_avx2>, nullptr, true});
  r.add({"matmul_f32_avx512", "MatMul", "", supports_f32<Isa::Avx512>, matmul_f32<detail::matmul_f32_best_avx512>, nullptr, true});
  r.add({"matmul_f32_avx2", "MatMul", "", supports_f32<Isa::Avx2>, matmul_f32<detail::matmul_f32_best_avx2>, nullptr, true});
}

}  // namespace n2d2::kernels
