// The prepacked GEMM driver (prepacked.h): fixed tasks of kRowBlock rows x kPanelsPerTask panels
// of Y, each running the ISA core (prepacked_cores.h) on A in place and the prepacked panels of B,
// then finishing its own outputs (alpha, beta * C, activation) while they are in cache. Tasks
// depend only on the shapes and each element is summed in one accumulator in k order:
// bit-identical results for any number of threads.
#include "kernels/gemm/prepacked.h"

#include <algorithm>

#include "kernels/gemm/packed_cores.h"  // the panel widths
#include "kernels/gemm/prepacked_cores.h"
#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

namespace {

constexpr int64_t kRowBlock = 48;      // rows per task (8 chunks of the cores' 6)
constexpr int64_t kPanelsPerTask = 4;  // 64 (AVX2) or 128 (AVX-512) columns per task

using RowsCore = void (*)(int64_t, const float*, int64_t, int64_t, int64_t, const float*, int64_t, float*, int64_t);

struct Cores {
  RowsCore rows;
  int64_t nr;
};

Cores cores_of(Isa isa) {
  if (isa == Isa::Avx512) return {prepacked_rows_f32_avx512, kPackedNrAvx512};
  return {prepacked_rows_f32_avx2, kPackedNrAvx2};
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
  const int64_t row_blocks = (M + kRowBlock - 1) / kRowBlock, col_groups = (np + kPanelsPerTask - 1) / kPanelsPerTask;
  parallel_for(row_blocks * col_groups, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t i0 = (t / col_groups) * kRowBlock, i1 = std::min(M, i0 + kRowBlock);
      const int64_t q0 = (t % col_groups) * kPanelsPerTask, j0 = q0 * co.nr, j1 = std::min(N, j0 + kPanelsPerTask * co.nr);
      co.rows(K, A + i0 * a_rs, a_rs, a_cs, i1 - i0, bp + q0 * K * co.nr, j1 - j0, Y + i0 * N + j0, N);
      for (int64_t i = i0; i < i1; ++i) finish(Y, N, i, j0, j1, e);
    }
  });
}

}  // namespace n2d2::kernels::detail
