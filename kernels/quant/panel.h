// The register-blocked integer convolution engine of QConv / QConvRequantize (qconv_panel.cpp
// drives it, panel_vnni.cpp holds the AVX-512 VNNI micro-kernel, panel_avx2.cpp the AVX2 one).
//
// Formulation: C[m, p] = sum_k W[m, k] * X'[k, p] with the accumulator lanes along the output
// pixels p, so a tile's results are rows of consecutive pixels of one output channel (NCHW
// stores, no horizontal sums).
//   - weights (int8), packed once per Plan: panels of kPanelRows output channels,
//     [M / kPanelRows][K4][kPanelRows][4] (K4 = K rounded up to 4, / 4; zero rows and K tail);
//     for the AVX2 kernel each group of 4 as the int16 values w0 w2 w1 w3 (8 bytes);
//   - activations (uint8, int8 offset by +128 = x ^ 0x80), packed once per block of kBlockPixels
//     output pixels and reused by every weight panel: [K4][kBlockPixels][4];
//   - VNNI: vpdpbusd adds 4 u8 x s8 products per int32 lane (exact); AVX2: the bytes are widened
//     to int16 and vpmaddwd adds 2 products per lane (exact; no vpmaddubsw, whose int16
//     saturation could differ from the reference), twice per group of 4; where every weight
//     pair of the convolution has |w0| + |w1| <= 128 (e.g. 7-bit weights), vpmaddubsw cannot
//     saturate and its kernel (byte panels, vpmaddubsw + vpmaddwd by ones) runs instead.
// Epilogue, in registers: + (bias - offset * sum_k W[m, k]) in int32 where that cannot leave int32
// (else per channel in int64 with the reference's saturation), then either the int32 store
// (QConv) or the Requantize of graph/ops/quant_semantics.h to 8 bits (QConvRequantize).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "graph/graph.h"
#include "graph/ops/quant_semantics.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels::detail {

constexpr int kPanelRows = 8;      // output channels per weight panel (micro-tile rows)
constexpr int kBlockPixels = 48;   // output pixels per packed activation block (3 x 16 lanes)

// Per output channel (index m of the whole conv, all groups), what the epilogue applies.
struct PanelEpilogue {
  const int32_t* add32 = nullptr;  // bias - offset * wsum, when `exact` says it fits
  const int64_t* add64 = nullptr;  // the same in int64 (slow channels)
  const uint8_t* exact = nullptr;  // 1: acc + add32 cannot leave int32 for any input
  bool requantize = false;         // false: int32 output (QConv); true: 8-bit output
  quant::Rescaling mode = quant::Rescaling::FloatingPoint;
  int nbbits = 8;
  bool is_signed = false;
  const float* scale = nullptr;      // Floating-point, per channel
  const int32_t* multiplier = nullptr;  // integer modes: acc * multiplier (Single 1, Double 2^l + 1)
  const int32_t* shift = nullptr;       // ... then the rounding right shift
  const quant::RescaleParams* params = nullptr;  // for the scalar slow path
};

// The arrays a PanelEpilogue points to.
struct PanelEpilogueData {
  std::vector<int32_t> add32, multiplier, shift;
  std::vector<int64_t> add64;
  std::vector<uint8_t> exact;
  std::vector<float> scale;
  std::vector<quant::RescaleParams> params;
  PanelEpilogue e;
};
// The Requantize part for `channels` channels from node n's Requantize attributes (per tensor
// parameters repeated); sets e.requantize and the parameter pointers (qconv_panel.cpp).
void panel_requantize_params(const graph::Node& n, int64_t channels, PanelEpilogueData& d);

// One weight panel (rows [m0, m0 + rows), rows <= kPanelRows) times one activation block (pixels
// [p0, p0 + pixels), pixels <= kBlockPixels) over K4 groups: group k's kBlockPixels x 4 bytes at
// x4[k] (a packed block, or the channel-interleaved input in place); output row m at
// y + m * ldy (elements of int32, or bytes for 8-bit) + p0.
using PanelKernel = void (*)(int64_t rows, int64_t pixels, int64_t K4, const int8_t* wpanel, const uint8_t* const* x4,
                             const PanelEpilogue& e, int64_t m0, void* y, int64_t ldy, int64_t p0);

// Activation layouts (panel_input.cpp, SSE2):
// Interleaves 4 * K4 rows of kBlockPixels bytes (rows[k], x ^ xor_mask) into [K4][kBlockPixels][4].
void panel_pack(int64_t K4, const uint8_t* const* rows, uint8_t xor_mask, uint8_t* block);
// out[4 i + j] = rows[j][i] ^ xor_mask for i < n, a null row reading zeros.
void interleave4(const uint8_t* const* rows, int64_t n, uint8_t xor_mask, uint8_t* out);
// Each of `planes` input planes (s.in[1] x s.in[2] bytes at xb) into its zero-initialized
// [sh][sw][Hq][Wq] slot of xq: padded position (h, w) goes to phase (h % sh, w % sw), place
// (h / sh, w / sw).
void phase_split(const uint8_t* xb, int64_t planes, const Spatial3& s, int64_t Hq, int64_t Wq, uint8_t* xq);

void panel_kernel_vnni(int64_t rows, int64_t pixels, int64_t K4, const int8_t* wpanel, const uint8_t* const* x4,
                       const PanelEpilogue& e, int64_t m0, void* y, int64_t ldy, int64_t p0);
void panel_kernel_avx2(int64_t rows, int64_t pixels, int64_t K4, const int8_t* wpanel, const uint8_t* const* x4,
                       const PanelEpilogue& e, int64_t m0, void* y, int64_t ldy, int64_t p0);
// The AVX2 kernel for byte panels (the VNNI layout) whose weight pairs (bytes 0 1 and 2 3 of each
// group) all satisfy |a| + |b| <= 128 (weights_fit_u8_pairs): vpmaddubsw, which cannot saturate then.
void panel_kernel_avx2_pairs(int64_t rows, int64_t pixels, int64_t K4, const int8_t* wpanel, const uint8_t* const* x4,
                             const PanelEpilogue& e, int64_t m0, void* y, int64_t ldy, int64_t p0);
// True when every pair (bytes 2 i, 2 i + 1) of `bytes` (n even) has |a| + |b| <= 128: then
// 255 (|a| + |b|) <= 32640 and a uint8 x int8 pair sum always fits int16.
inline bool weights_fit_u8_pairs(const int8_t* bytes, std::size_t n) {
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    int a = bytes[i] < 0 ? -bytes[i] : bytes[i], b = bytes[i + 1] < 0 ? -bytes[i + 1] : bytes[i + 1];
    if (a + b > 128) return false;
  }
  return true;
}

// Channel-lane micro-kernel (chanlane_vnni.cpp) for small maps: 32 output channels (lanes) x
// `pixels` (<= kChanLaneTile) pixels; weights [K4][32][4]; pixel j's 4 bytes of K group k at
// x4[k] + poff[j] * 4; results to out[j * 32 + c] (int32, or bytes when requantizing).
constexpr int kChanLaneRows = 32;
constexpr int kChanLaneTile = 12;
constexpr int64_t kChanLaneMaxPixels = 256;  // used for output maps of at most this many pixels
void chanlane_kernel_vnni(int64_t K4, const int8_t* w, const uint8_t* const* x4, const int64_t* poff, int64_t pixels,
                          const PanelEpilogue& e, int64_t m0, void* out);

// The scalar epilogue of one output value (the slow channels and tests): acc is the exact
// int32 dot product of the packed operands.
inline int64_t panel_epilogue_value(int32_t acc, const PanelEpilogue& e, int64_t m) {
  int64_t v = quant::saturate_i32(int64_t{acc} + e.add64[m]);
  if (!e.requantize) return v;
  return quant::requantize(v, e.mode, e.params[m], e.nbbits, e.is_signed);
}

}  // namespace n2d2::kernels::detail
