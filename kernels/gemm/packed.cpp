// The packed float GEMM (Goto-style): A is packed once per call into MR-row panels per K block,
// each fixed (MC x NC) tile of C packs its block of B into NR-column panels and runs the ISA's
// micro-kernel (packed_cores.h). Tiles and K blocks do not depend on the thread count and every
// element adds its K blocks in order: bit-identical results for any --threads.
#include <algorithm>
#include <vector>

#include "kernels/gemm/gemm.h"
#include "kernels/gemm/packed_cores.h"
#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

namespace {

constexpr int64_t kKc = 256;  // K block: a packed B block (KC x NC) stays in L2

using Micro = void (*)(int64_t, const float*, const float*, float*, int64_t, int64_t, int64_t, bool);

void packed_gemm(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C, int64_t MR, int64_t NR,
                 Micro micro) {
  const int64_t MC = MR * 8, NC = NR * 8;
  const int64_t panels = (M + MR - 1) / MR, kblocks = (K + kKc - 1) / kKc;
  // Ap: per K block kb (length kl), per row panel p: kl groups of MR floats.
  std::vector<float> Ap(static_cast<std::size_t>(panels * MR * K));
  auto a_block = [&](int64_t kb) { return Ap.data() + kb * kKc * panels * MR; };
  parallel_for(panels * kblocks, 4, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      int64_t kb = t / panels, p = t % panels, k0 = kb * kKc, kl = std::min(kKc, K - k0);
      float* dst = a_block(kb) + p * kl * MR;
      for (int64_t k = 0; k < kl; ++k)
        for (int64_t r = 0; r < MR; ++r) {
          int64_t i = p * MR + r;
          dst[k * MR + r] = i < M ? A[i * K + k0 + k] : 0.f;
        }
    }
  });
  const int64_t row_tiles = (M + MC - 1) / MC, col_tiles = (N + NC - 1) / NC;
  parallel_for(row_tiles * col_tiles, 1, [&](int64_t b, int64_t e) {
    std::vector<float> Bp(static_cast<std::size_t>(kKc * NC));
    for (int64_t t = b; t < e; ++t) {
      int64_t i0 = (t / col_tiles) * MC, j0 = (t % col_tiles) * NC;
      int64_t i1 = std::min(M, i0 + MC), j1 = std::min(N, j0 + NC);
      for (int64_t kb = 0; kb < kblocks; ++kb) {
        int64_t k0 = kb * kKc, kl = std::min(kKc, K - k0);
        // Pack B[k0:k0+kl, j0:j1] into NR-column panels, zero-padded.
        for (int64_t j = j0, q = 0; j < j1; j += NR, ++q) {
          float* dst = Bp.data() + q * kl * NR;
          int64_t w = std::min(NR, j1 - j);
          for (int64_t k = 0; k < kl; ++k) {
            const float* src = B + (k0 + k) * N + j;
            float* d = dst + k * NR;
            int64_t c = 0;
            for (; c < w; ++c) d[c] = src[c];
            for (; c < NR; ++c) d[c] = 0.f;
          }
        }
        const float* ablk = a_block(kb);
        for (int64_t i = i0; i < i1; i += MR)
          for (int64_t j = j0, q = 0; j < j1; j += NR, ++q)
            micro(kl, ablk + (i / MR) * kl * MR, Bp.data() + q * kl * NR, C + i * N + j, N, std::min(MR, i1 - i),
                  std::min(NR, j1 - j), kb > 0);
      }
    }
  });
}

}  // namespace

void matmul_f32_packed_avx512(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  packed_gemm(M, N, K, A, B, C, kPackedMrAvx512, kPackedNrAvx512, packed_micro_f32_avx512);
}

void matmul_f32_packed_avx2(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  packed_gemm(M, N, K, A, B, C, kPackedMrAvx2, kPackedNrAvx2, packed_micro_f32_avx2);
}

}  // namespace n2d2::kernels::detail
