// Scalar (portable) micro-kernels of the packed and depthwise convolutions: 4 x 16 tile.
#include "kernels/conv/micro.h"

namespace n2d2::kernels::detail {

void conv_micro_f32_scalar(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                           int cols, bool accumulate) {
  constexpr int MR = 4, NR = 16;
  float t[MR][NR] = {};
  // Only `cols` columns of B are read: B may be the input itself (pointwise convolutions).
  if (cols == NR) {
    for (int64_t k = 0; k < kc; ++k, a += MR, b += ldb)
      for (int r = 0; r < MR; ++r) {
        float av = a[r];
        for (int j = 0; j < NR; ++j) t[r][j] += av * b[j];
      }
  } else {
    for (int64_t k = 0; k < kc; ++k, a += MR, b += ldb)
      for (int r = 0; r < MR; ++r) {
        float av = a[r];
        for (int j = 0; j < cols; ++j) t[r][j] += av * b[j];
      }
  }
  for (int r = 0; r < rows; ++r) {
    float* cr = c + r * ldc;
    for (int j = 0; j < cols; ++j) cr[j] = accumulate ? cr[j] + t[r][j] : t[r][j];
  }
}

void pack_row_f32_scalar(const float* x, const PatchRun* runs, int nruns, float* dst, int nr) {
  for (int j = 0; j < nr; ++j) dst[j] = 0.f;
  for (int r = 0; r < nruns; ++r) {
    const float* src = x + runs[r].src;
    float* d = dst + runs[r].j0;
    for (int32_t i = 0; i < runs[r].len; ++i) d[i] = src[i * runs[r].step];
  }
}

void depthwise_plane_f32_scalar(const float* x, int64_t row_step, const int64_t* tap_off, const float* w, int taps,
                                float* y, int64_t rows, int64_t n, float bias) {
  for (int64_t r = 0; r < rows; ++r, x += row_step, y += n)
    for (int64_t i = 0; i < n; ++i) {
      float acc = bias;
      for (int t = 0; t < taps; ++t) acc += w[t] * x[i + tap_off[t]];
      y[i] = acc;
    }
}

}  // namespace n2d2::kernels::detail
