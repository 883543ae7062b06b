// Launchers of our own CUDA kernels (compiled by nvcc in *.cu, called from the C++ glue). Plain
// C++17 with POD parameters: nothing here includes the project's C++20 headers.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

namespace n2d2::cuda::launch {

constexpr int kMaxRank = 6;

enum class Unary : int {
  Relu, Sigmoid, Tanh, Exp, Log, Sqrt, Neg, Abs, Reciprocal, Floor, Ceil, Erf,
  Clip,         // alpha = min, beta = max
  LeakyRelu,    // alpha
  Elu,          // alpha
  Selu,         // alpha, beta = gamma
  HardSigmoid,  // alpha, beta
  HardSwish, Softplus, Softsign, Identity,
};
void unary(Unary op, const float* x, float* y, int64_t n, float alpha, float beta, cudaStream_t s);

enum class Binary : int { Add, Sub, Mul, Div, Max, Min, Pow, PRelu, AddScaled /* a + alpha * b */ };

// Output of rank `rank` with `dims`; a_strides/b_strides in elements per output axis (0 where
// the operand is broadcast along it).
struct Broadcast {
  int rank = 0;
  int64_t dims[kMaxRank] = {};
  int64_t a_strides[kMaxRank] = {};
  int64_t b_strides[kMaxRank] = {};
};
void binary(Binary op, const float* a, const float* b, float* y, int64_t n, const Broadcast& bc, float alpha,
            cudaStream_t s);

// y[i] = x[offset(i)] over an output of `rank` dims, reading x with `src_strides` per output
// axis (Transpose; Expand with zero strides). Element size 1, 2, 4 or 8 bytes.
struct Gather {
  int rank = 0;
  int64_t dims[kMaxRank] = {};
  int64_t src_strides[kMaxRank] = {};
};
void gather(const void* x, void* y, int64_t n, int elem_bytes, const Gather& g, cudaStream_t s);

// Concat piece: y[o, offset + j] = x[o, j] for o < outer, j < x_inner; y rows are y_inner long.
void concat_piece(const void* x, void* y, int64_t outer, int64_t x_inner, int64_t y_inner, int64_t offset,
                  int elem_bytes, cudaStream_t s);

// Pad over `rank` axes: mode 0 constant (value), 1 edge, 2 reflect. pads_begin may be negative.
struct PadParams {
  int rank = 0;
  int mode = 0;
  float value = 0;
  int64_t in_dims[kMaxRank] = {};
  int64_t out_dims[kMaxRank] = {};
  int64_t pads_begin[kMaxRank] = {};
};
void pad(const float* x, float* y, int64_t n, const PadParams& p, cudaStream_t s);

// Resize of the last two axes of an [outer, H, W] tensor. coord: 0 half_pixel, 1 asymmetric,
// 2 align_corners, 3 pytorch_half_pixel; nearest: 0 round_prefer_floor, 1 round_prefer_ceil,
// 2 floor, 3 ceil; linear = bilinear (else nearest).
struct ResizeParams {
  int64_t outer = 0, in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  float scale_h = 1, scale_w = 1;
  int coord = 0, nearest = 0;
  bool linear = false;
};
void resize(const float* x, float* y, const ResizeParams& p, cudaStream_t s);

}  // namespace n2d2::cuda::launch
