// The direct float convolution (AVX2): 1-D / 2-D convolutions, any stride, dilation, padding and
// group, without patch packing and without computing outputs that are dropped. Padded inputs are
// copied once per run into zero-padded planes (Hp x Wp); unpadded ones are read as they are. An
// output position p = (oh, ow) reads input channel c, tap (kh, kw) at base(p) + off(k), base(p) =
// oh sh Wp + ow sw, off(k) = c Hp Wp + kh dh Wp + kw dw, k = c ksz + kh KW + kw. The micro-kernel
// (direct_avx2.cpp) broadcasts that element for 6 positions and multiplies it by 16 output
// channels' weights (packed [K][16] per panel): any geometry gives full tiles but in the last
// panel, and a task's positions split into tiles of 5 or 6 where it has more than 5. Per task (the packed driver's ConvTasks: image, group,
// channel block, position block) and 16-channel panel, K runs in blocks of kKc into a scratch of
// [position][16] sums, which the last block's store transposes into the NCHW output with the
// epilogue (bias, residual, Relu / Clip / LeakyRelu in registers; Sigmoid / HardSwish after).
// The summation order is the packed driver's (k order per block, blocks added to the partial
// sum): results do not depend on the thread count, and equal the packed AVX2 kernel's.
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/buffer_lease.h"
#include "kernels/conv/micro.h"
#include "kernels/conv/packed.h"
#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

namespace {

constexpr int kNp = 6;                // positions per tile
constexpr int kChunk = 8 * kNp;       // ConvTasks' column chunk: positions per task are 4 chunks at most
constexpr int64_t kKc = kConvKc;

struct DirectBuffers {
  std::vector<float> xq;
  std::vector<int64_t> off;
};

bool padded(const Spatial3& s) { return s.pb[1] || s.pb[2] || s.padded_extent(1) > s.in[1] || s.padded_extent(2) > s.in[2]; }

}  // namespace

bool direct_conv_applies(const Spatial3& s, Isa isa) {
  // Pointwise convolutions read the input itself already (packed.cpp).
  return isa == Isa::Avx2 && s.in[0] == 1 && s.k[0] == 1 && s.out[0] == 1 && !is_pointwise(s);
}

Status run_direct_conv(const float* x, float* y, const Spatial3& s, int64_t N, int64_t C, int64_t M, int64_t G,
                       const PackedConvWeights& pw, const ConvEpilogue& ep) {
  const int64_t cin_g = C / G, cout_g = M / G, ksz = s.k_size(), K = cin_g * ksz;
  const int64_t H = s.in[1], W = s.in[2], OW = s.out[2], P = s.out_size();
  const bool pad = padded(s);
  const int64_t Hp = pad ? s.padded_extent(1) : H, Wp = pad ? s.padded_extent(2) : W, plane = Hp * Wp;
  BufferLease<DirectBuffers> lease;
  std::vector<float>& xq = lease.get().xq;
  std::vector<int64_t>& off = lease.get().off;
  const float* xin = x;
  if (pad) {
    xq.resize(static_cast<std::size_t>(N * C * plane));
    parallel_for(N * C, 4, [&](int64_t b, int64_t e) {
      for (int64_t nc = b; nc < e; ++nc) {
        float* dst = xq.data() + nc * plane;
        const float* src = x + nc * H * W;
        std::fill(dst, dst + s.pb[1] * Wp, 0.f);
        for (int64_t ih = 0; ih < H && s.pb[1] + ih < Hp; ++ih) {
          float* row = dst + (s.pb[1] + ih) * Wp;
          const int64_t w = std::min(W, Wp - s.pb[2]);
          std::fill(row, row + s.pb[2], 0.f);
          std::memcpy(row + s.pb[2], src + ih * W, static_cast<std::size_t>(w) * sizeof(float));
          std::fill(row + s.pb[2] + w, row + Wp, 0.f);
        }
        const int64_t filled = std::min(Hp, s.pb[1] + H);
        std::fill(dst + filled * Wp, dst + plane, 0.f);
      }
    });
    xin = xq.data();
  }
  off.resize(static_cast<std::size_t>(K));
  for (int64_t c = 0, k = 0; c < cin_g; ++c)
    for (int64_t kh = 0; kh < s.k[1]; ++kh)
      for (int64_t kw = 0; kw < s.k[2]; ++kw, ++k) off[k] = c * plane + kh * s.d[1] * Wp + kw * s.d[2];

  const int act = micro_act(ep.act);
  ConvTasks split(N, G, cout_g, P, kDirectRows, kChunk);
  split.balance_columns(kNp);
  parallel_for(split.count(), 1, [&](int64_t begin, int64_t end) {
    thread_local std::vector<float> sums;
    thread_local std::vector<const float*> base;
    sums.resize(static_cast<std::size_t>(split.cols_per_task * kDirectRows));
    base.resize(static_cast<std::size_t>(split.cols_per_task));
    for (int64_t t = begin; t < end; ++t) {
      const auto [n, g, m0, m1, p0, pcount] = split.task(t);
      const float* xg = xin + (n * C + g * cin_g) * plane;
      for (int64_t i = 0, oh = p0 / OW, ow = p0 % OW; i < pcount; ++i) {
        base[i] = xg + oh * s.s[1] * Wp + ow * s.s[2];
        if (++ow == OW) ow = 0, ++oh;
      }
      for (int64_t m = m0; m < m1; m += kDirectRows) {
        const int rows = static_cast<int>(std::min<int64_t>(kDirectRows, m1 - m));
        const int nv = rows > 8 ? 2 : 1;
        const float* a = pw.a.data() + (g * pw.panels + m / kDirectRows) * K * kDirectRows;
        for (int64_t k0 = 0; k0 < K; k0 += kKc) {
          const int64_t kc = std::min(kKc, K - k0);
          // ceil(pcount / 6) tiles of even sizes (49 = 4 x 6 + 5 x 5, not 8 x 6 + 1)
          const int64_t tiles = (pcount + kNp - 1) / kNp, small = pcount / tiles, big = pcount % tiles;
          for (int64_t i = 0, j = 0; i < tiles; ++i) {
            const int np = static_cast<int>(small + (i < big ? 1 : 0));
            direct_tile_f32_avx2(kc, a + k0 * kDirectRows, off.data() + k0, base.data() + j,
                                 sums.data() + j * kDirectRows, np, nv, k0 > 0);
            j += np;
          }
        }
        const int64_t ch = n * M + g * cout_g + m;  // the panel's first output channel
        float* out = y + ch * P + p0;
        MicroEpilogue me{ep.bias ? ep.bias + g * cout_g + m : nullptr, ep.residual ? ep.residual + ch * P + p0 : nullptr,
                         P, act, ep.alpha, ep.beta};
        if (act < 0) me = MicroEpilogue{};
        direct_store_f32_avx2(sums.data(), pcount, out, P, rows, me);
        if (act < 0)
          for (int r = 0; r < rows; ++r)
            apply_epilogue(out + r * P, ep.residual ? ep.residual + (ch + r) * P + p0 : nullptr, pcount,
                           ep.bias ? ep.bias[g * cout_g + m + r] : 0.f, ep);
      }
    }
  });
  return Status::ok();
}

}  // namespace n2d2::kernels::detail
