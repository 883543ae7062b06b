// Register-blocked float micro-kernels of the packed convolution (packed.cpp) and the depthwise
// row kernels (depthwise.cpp), one definition per ISA file (scalar.cpp, avx2.cpp, avx512.cpp).
// Plain declarations only: the ISA files include nothing else of the project's.
#pragma once

#include <cstdint>

namespace n2d2::kernels::detail {

// C[r][j] (r < rows, j < cols, rows ldc apart) = (accumulate ? C[r][j] : 0) + sum_k A[k][r] * B[k][j]
// over k < kc, summed in k order. A is packed [kc][MR] (rows >= `rows` zero-padded); B is
// [kc][ldb], of which only the first `cols` columns are read (cols <= NR): packed patches or, for
// pointwise convolutions, the input itself. (MR, NR) per ISA: scalar (4, 16),
// avx2 (4, 24), avx512 (8, 48).
using ConvMicroF32 = void (*)(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                              int cols, bool accumulate);
void conv_micro_f32_scalar(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                           int cols, bool accumulate);
void conv_micro_f32_avx2(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                         int cols, bool accumulate);
void conv_micro_f32_avx512(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                           int cols, bool accumulate);

// What the AVX2 tile may apply in registers after its last K block: y = act(y + bias[r] +
// residual[r][j]) in that order (the epilogue of epilogue.h); act 0 none, 1 Relu, 2 Clip
// (alpha, beta), 3 LeakyRelu (alpha).
struct MicroEpilogue {
  const float* bias = nullptr;      // the tile's rows' biases, or nullptr
  const float* residual = nullptr;  // row r of the tile at residual + r * ldr, or nullptr
  int64_t ldr = 0;
  int act = 0;
  float alpha = 0.f, beta = 0.f;
};
// conv_micro_f32_avx2 followed by the epilogue e.
void conv_micro_ep_f32_avx2(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                            int cols, bool accumulate, const MicroEpilogue& e);

// The direct convolution's AVX2 tile (direct.cpp): C[j][o] (j < np <= 6 positions, o < 8 nv
// channels, rows kDirectRows floats apart) = (accumulate ? C[j][o] : 0) + sum_k x[j][off[k]] w[k][o]
// over k < kc, summed in k order; w packed [kc][kDirectRows] (pack_conv_weights with mr 16).
constexpr int kDirectRows = 16;
void direct_tile_f32_avx2(int64_t kc, const float* w, const int64_t* off, const float* const* x, float* c, int np,
                          int nv, bool accumulate);
// y[o ldy + j] = e(C[j][o]) for o < rows (<= 16), j < n: the tile sums of n positions (rows
// kDirectRows floats apart) transposed into output rows; e.bias / e.residual point at channel 0 of
// the rows (residual rows e.ldr apart), e.act as MicroEpilogue's.
void direct_store_f32_avx2(const float* c, int64_t n, float* y, int64_t ldy, int rows, const MicroEpilogue& e);

// One run of a packed patch row: columns [j0, j0 + len) read src[i * step] (src relative to the
// input plane of the row's channel); columns in no run are padding.
struct PatchRun {
  int32_t j0, len, src, step;
};

// Writes one patch row of `nr` columns (nr <= the ISA's NR) into dst: zeros, then the runs
// (in column order, not overlapping) read from the plane x.
using PackRowF32 = void (*)(const float* x, const PatchRun* runs, int nruns, float* dst, int nr);
void pack_row_f32_scalar(const float* x, const PatchRun* runs, int nruns, float* dst, int nr);
void pack_row_f32_avx2(const float* x, const PatchRun* runs, int nruns, float* dst, int nr);
void pack_row_f32_avx512(const float* x, const PatchRun* runs, int nruns, float* dst, int nr);

// One depthwise output plane of `rows` rows of n outputs, stored n apart in y:
// y[r n + i] = bias + sum_t w[t] x[r row_step + i + tap_off[t]], the taps summed in order after the
// bias. x is a zero-padded input plane split by column phase (depthwise.cpp): every tap reads
// consecutive floats, and x stays readable 16 floats past its last row.
using DepthwisePlaneF32 = void (*)(const float* x, int64_t row_step, const int64_t* tap_off, const float* w, int taps,
                                   float* y, int64_t rows, int64_t n, float bias);
void depthwise_plane_f32_scalar(const float* x, int64_t row_step, const int64_t* tap_off, const float* w, int taps,
                                float* y, int64_t rows, int64_t n, float bias);
void depthwise_plane_f32_avx512(const float* x, int64_t row_step, const int64_t* tap_off, const float* w, int taps,
                                float* y, int64_t rows, int64_t n, float bias);
// The AVX2 plane with e applied before each store (e.bias: one float, added to every output;
// e.residual: the plane's residual, rows n apart). A row's last vector may be stored whole over the start of the next
// row, which is written after it.
void depthwise_plane_ep_f32_avx2(const float* x, int64_t row_step, const int64_t* tap_off, const float* w, int taps,
                                 float* y, int64_t rows, int64_t n, float bias, const MicroEpilogue& e);

// even[i] = src[2 i], odd[i] = src[2 i + 1] for the n floats of src (the stride-2 phase split of
// depthwise.cpp's input planes).
void deinterleave2_f32_avx2(const float* src, int64_t n, float* even, float* odd);

}  // namespace n2d2::kernels::detail
