// The prepacked GEMM driver (prepacked.h). Below the micro-kernel's rows, fixed tasks of
// kPanelsPerTask panels each run every row of A over their panels (prepacked_cores.h: A read in
// place, no copy); from there on, A is packed per call into row panels per K block (as in
// packed.cpp) and fixed (MC x NC) tiles run the packed micro-kernels (packed_cores.h) over the
// prepacked panels of B. Each task finishes its own outputs (alpha, beta * C, activation) while
// they are in cache. Tasks depend only on the shapes and each element is summed in one task in
// a fixed order: bit-identical results for any number of threads.
#include "kernels/gemm/prepacked.h"

#include <algorithm>

#include "kernels/gemm/packed_cores.h"
#include "kernels/gemm/prepacked_cores.h"
#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

namespace {

constexpr int64_t kKc = 256;             // K block of the packed path (as packed.cpp)
constexpr int64_t kPanelsPerTask = 4;    // small-M tasks: 64 (AVX2) or 128 (AVX-512) columns
constexpr int64_t kTilePanels = 8;       // packed path: MC = 8 row panels, NC = 8 column panels

using RowsCore = void (*)(int64_t, const float*, int64_t, int64_t, int64_t, const float*, int64_t, float*, int64_t);
using MicroCore = void (*)(int64_t, const float*, const float*, float*, int64_t, int64_t, int64_t, bool);

struct Cores {
  RowsCore rows;
  MicroCore micro;
  int64_t mr, nr;
};

Cores cores_of(Isa isa) {
  if (isa == Isa::Avx512) return {prepacked_rows_f32_avx512, packed_micro_f32_avx512, kPackedMrAvx512, kPackedNrAvx512};
  return {prepacked_rows_f32_avx2, packed_micro_f32_avx2, kPackedMrAvx2, kPackedNrAvx2};
}

// y[j] = act(alpha * y[j] + beta * c[j * c_step]) for j < n (c may be nullptr). One loop per
// activation and bias form, so that the compiler can vectorize each.
template <Activation A>
void finish_as(float* y, int64_t n, const float* c, int64_t c_step, const GemmEpilogue& e) {
  const float alpha = e.alpha, aa = e.act_alpha, ab = e.act_beta;
  if (!c) {
    for (int64_t j = 0; j < n; ++j) y[j] = activate(A, alpha * y[j], aa, ab);
  } else if (c_step == 0) {
    const float add = e.beta * c[0];
    for (int64_t j = 0; j < n; ++j) y[j] = activate(A, alpha * y[j] + add, aa, ab);
  } else {
    const float beta = e.beta;
    for (int64_t j = 0; j < n; ++j) y[j] = activate(A, alpha * y[j] + beta * c[j], aa, ab);
  }
}

// The epilogue of row i, columns [j0, j1) of Y.
void finish(float* Y, int64_t N, int64_t i, int64_t j0, int64_t j1, const GemmEpilogue& e) {
  if (e.alpha == 1.f && !e.c && e.act == Activation::None) return;
  float* y = Y + i * N + j0;
  const float* c = e.c ? e.c + (e.c_rows == 1 ? 0 : i) * e.c_cols + (e.c_cols == 1 ? 0 : j0) : nullptr;
  const int64_t n = j1 - j0, step = e.c_cols == 1 ? 0 : 1;
  switch (e.act) {
    case Activation::None: return finish_as<Activation::None>(y, n, c, step, e);
    case Activation::Relu: return finish_as<Activation::Relu>(y, n, c, step, e);
    case Activation::Clip: return finish_as<Activation::Clip>(y, n, c, step, e);
    case Activation::LeakyRelu: return finish_as<Activation::LeakyRelu>(y, n, c, step, e);
    case Activation::Sigmoid: return finish_as<Activation::Sigmoid>(y, n, c, step, e);
    case Activation::HardSwish: return finish_as<Activation::HardSwish>(y, n, c, step, e);
  }
}

}  // namespace

int prepacked_nr(Isa isa) { return static_cast<int>(cores_of(isa).nr); }

std::shared_ptr<const PrepackedB> prepack_b(const float* B, int64_t K, int64_t N, bool trans_b, int nr) {
  auto p = std::make_shared<PrepackedB>();
  p->K = K;
  p->N = N;
  p->nr = nr;
  const int64_t np = (N + nr - 1) / nr;
  p->panels.assign(static_cast<std::size_t>(np * K * nr), 0.f);
  // B(k, j) = B[j * K + k] (trans_b: one row per output column) or B[k * N + j].
  parallel_for(np, 8, [&](int64_t q0, int64_t q1) {
    for (int64_t q = q0; q < q1; ++q) {
      float* dst = p->panels.data() + q * K * nr;
      const int64_t j0 = q * nr, w = std::min<int64_t>(nr, N - j0);
      if (trans_b) {
        for (int64_t c = 0; c < w; ++c) {
          const float* src = B + (j0 + c) * K;
          for (int64_t k = 0; k < K; ++k) dst[k * nr + c] = src[k];
        }
      } else {
        for (int64_t k = 0; k < K; ++k) std::copy(B + k * N + j0, B + k * N + j0 + w, dst + k * nr);
      }
    }
  });
  return p;
}

void prepacked_gemm(Isa isa, int64_t M, int64_t N, int64_t K, const float* A, bool trans_a, const PrepackedB& b,
                    float* Y, const GemmEpilogue& e) {
  if (M == 0 || N == 0) return;
  const Cores co = cores_of(isa);
  const int64_t a_rs = trans_a ? 1 : K, a_cs = trans_a ? M : 1;  // A(i, k) = A[i * a_rs + k * a_cs]
  const int64_t np = (N + co.nr - 1) / co.nr;
  const float* bp = b.panels.data();
  if (K == 0) {  // an empty sum: Y is the epilogue of zeros
    std::fill(Y, Y + M * N, 0.f);
    for (int64_t i = 0; i < M; ++i) finish(Y, N, i, 0, N, e);
    return;
  }
  if (M < co.mr) {
    parallel_for((np + kPanelsPerTask - 1) / kPanelsPerTask, 1, [&](int64_t t0, int64_t t1) {
      for (int64_t t = t0; t < t1; ++t) {
        const int64_t q0 = t * kPanelsPerTask, j0 = q0 * co.nr, j1 = std::min(N, j0 + kPanelsPerTask * co.nr);
        co.rows(K, A, a_rs, a_cs, M, bp + q0 * K * co.nr, j1 - j0, Y + j0, N);
        for (int64_t i = 0; i < M; ++i) finish(Y, N, i, j0, j1, e);
      }
    });
    return;
  }
  // Ap: per K block kb (length kl), per row panel p: kl groups of mr floats, zero past row M.
  const int64_t mr = co.mr, row_panels = (M + mr - 1) / mr, kblocks = (K + kKc - 1) / kKc;
  std::vector<float> Ap(static_cast<std::size_t>(row_panels * mr * K));
  auto a_block = [&](int64_t kb) { return Ap.data() + kb * kKc * row_panels * mr; };
  parallel_for(row_panels * kblocks, 4, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t kb = t / row_panels, p = t % row_panels, k0 = kb * kKc, kl = std::min(kKc, K - k0);
      float* dst = a_block(kb) + p * kl * mr;
      for (int64_t k = 0; k < kl; ++k)
        for (int64_t r = 0; r < mr; ++r) {
          const int64_t i = p * mr + r;
          dst[k * mr + r] = i < M ? A[i * a_rs + (k0 + k) * a_cs] : 0.f;
        }
    }
  });
  const int64_t MC = mr * kTilePanels, NC = co.nr * kTilePanels;
  const int64_t row_tiles = (M + MC - 1) / MC, col_tiles = (N + NC - 1) / NC;
  parallel_for(row_tiles * col_tiles, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t i0 = (t / col_tiles) * MC, j0 = (t % col_tiles) * NC;
      const int64_t i1 = std::min(M, i0 + MC), j1 = std::min(N, j0 + NC);
      for (int64_t kb = 0; kb < kblocks; ++kb) {
        const int64_t k0 = kb * kKc, kl = std::min(kKc, K - k0);
        const float* ablk = a_block(kb);
        for (int64_t i = i0; i < i1; i += mr)
          for (int64_t j = j0; j < j1; j += co.nr)
            co.micro(kl, ablk + (i / mr) * kl * mr, bp + ((j / co.nr) * K + k0) * co.nr, Y + i * N + j, N,
                     std::min(mr, i1 - i), std::min(co.nr, j1 - j), kb > 0);
      }
      for (int64_t i = i0; i < i1; ++i) finish(Y, N, i, j0, j1, e);
    }
  });
}

}  // namespace n2d2::kernels::detail
