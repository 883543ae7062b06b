// The packed float convolution (packed.cpp): weights packed once per Plan into [group][row
// panel][K][MR] (K = C/group * kernel size, MR the micro-kernel's rows), input patches packed per
// task into [column chunk][k][NR], register-blocked micro-kernels per ISA (micro.h). Used by the
// Conv kernels and by the fused conv of graph pass fuse_conv_epilogue.
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "kernels/conv/epilogue.h"
#include "kernels/cpu/isa.h"
#include "kernels/kernel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels::detail {

struct PackedConvWeights {
  int64_t M = 0, K = 0, groups = 1, panels = 0;  // panels per group
  int mr = 0;
  std::vector<float> a;
};

// Packs W [M, C/group, k...] (float32) for a micro-kernel of `mr` rows.
std::shared_ptr<const PackedConvWeights> pack_conv_weights(const Tensor& w, int64_t groups, int mr);

// Runs Conv (inputs X, W[, B]) on the core of `isa` with the epilogue's residual/activation
// (its bias is taken from input 2). Uses c.prepared as PackedConvWeights when set, else packs.
Status run_packed_conv(const KernelContext& c, Isa isa, ConvEpilogue epilogue);

// The fixed task split of the packed and direct drivers: (image, group, row block, column
// block) over P columns (output positions) in chunks of nr: columns per
// task up to kChunksPerTask chunks, rows per task up to kMaxRows output channels, halved down to
// kMinRows while the conv has fewer than kMinTasks tasks. Shapes alone decide the split.
struct ConvTasks {
  int64_t N, G, cout_g, P;  // images, groups, output channels per group, columns
  int64_t cols_per_task = 0, p_blocks = 0, rows_per_task = 0, m_blocks = 0;
  ConvTasks(int64_t N, int64_t G, int64_t cout_g, int64_t P, int mr, int nr);
  int64_t count() const { return N * G * m_blocks * p_blocks; }
  // The same number of column blocks, evened out: columns per task rounded up to `unit`
  // (P = 196 in blocks of 192 becomes 102 + 94, not 192 + 4).
  void balance_columns(int64_t unit) {
    cols_per_task = ((P + p_blocks - 1) / p_blocks + unit - 1) / unit * unit;
    p_blocks = (P + cols_per_task - 1) / cols_per_task;
  }
  struct Task {
    int64_t n, g, m0, m1, p0, pcount;
  };
  Task task(int64_t t) const {
    int64_t pb = t % p_blocks, rest = t / p_blocks, mb = rest % m_blocks, ng = rest / m_blocks;
    int64_t p0 = pb * cols_per_task, m0 = mb * rows_per_task;
    return {ng / G, ng % G, m0, std::min(cout_g, m0 + rows_per_task), p0, std::min(cols_per_task, P - p0)};
  }
};
constexpr int64_t kConvKc = 256;  // k per block of both drivers

// 1x1, stride 1, no padding: the patch matrix is the input itself, [K][P], read in place.
inline bool is_pointwise(const Spatial3& s) {
  for (int a = 0; a < 3; ++a)
    if (s.k[a] != 1 || s.s[a] != 1 || s.pb[a] != 0 || s.pe[a] != 0) return false;
  return true;
}

// The direct convolution (direct.cpp, AVX2): whether it runs the conv of geometry s (1-D / 2-D,
// any stride, dilation and padding, but the unpadded pointwise stride-1 case, which the packed
// driver reads in place), and the run on weights packed with mr kDirectRows (16): x [N][C] planes,
// y [N][M] output planes, the epilogue's bias, residual and activation.
bool direct_conv_applies(const Spatial3& s, Isa isa);
Status run_direct_conv(const float* x, float* y, const Spatial3& s, int64_t N, int64_t C, int64_t M, int64_t G,
                       const PackedConvWeights& pw, const ConvEpilogue& ep);

// Weights of a Conv / FusedConv node packed once for `isa` (prepare()): for the direct driver's
// 16-channel panels where it will run, else for the micro-kernel's rows.
std::shared_ptr<const PackedConvWeights> prepare_conv_weights(Isa isa, const KernelQuery& q, const Tensor& w);

// supports() of the packed kernels: float32, 1 to 3 spatial axes, known weight shape.
std::string packed_conv_supports(const KernelQuery& q);

}  // namespace n2d2::kernels::detail
