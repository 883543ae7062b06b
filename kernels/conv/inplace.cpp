// The in-place float convolution (AVX2): 1-D / 2-D convolutions without patch packing. The
// input is copied once per run into zero-padded planes (Hp x Wp, the padded extents), split by
// stride phase (sh x sw phases of Hq x Wq, Hq = ceil(Hp / sh), Wq = ceil(Wp / sw): padded (h, w)
// goes to phase (h % sh, w % sw), place (h / sh, w / sw); one phase for stride 1), and outputs are
// computed over the phase width: output q = oh * Wq + ow reads, for input channel c and tap
// (kh, kw), phase (kh dh % sh, kw dw % sw) at q + (kh dh / sh) Wq + kw dw / sw, so that B row
// k = (c, tap) of a micro-kernel tile is a contiguous run of the copy, read in place
// (conv_micro_rows_f32_avx2). The Wq - OW columns past each output row are computed into a
// scratch matrix and dropped by the final copy; the epilogue (bias, residual, activation) runs in
// the last K block's tile stores, or with a residual or a Sigmoid / HardSwish in that copy. Tasks, K blocks and summation order are those of the packed driver (packed.cpp):
// results do not depend on the thread count, and equal the packed kernel's.
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/buffer_lease.h"
#include "kernels/conv/micro.h"
#include "kernels/conv/packed.h"
#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

namespace {

constexpr int kMr = 4, kNr = 24;  // the AVX2 tile
constexpr int64_t kKc = kConvKc;

struct InplaceBuffers {
  std::vector<float> xq, yv;
};

}  // namespace

bool inplace_conv_applies(const Spatial3& s, Isa isa) {
  // Pointwise convolutions read the input itself already (packed.cpp).
  return isa == Isa::Avx2 && s.in[0] == 1 && s.k[0] == 1 && s.out[0] == 1 && !is_pointwise(s);
}

Status run_inplace_conv(const float* x, float* y, const Spatial3& s, int64_t N, int64_t C, int64_t M, int64_t G,
                        const PackedConvWeights& pw, const ConvEpilogue& ep) {
  const int64_t cin_g = C / G, cout_g = M / G, ksz = s.k_size(), K = cin_g * ksz;
  const int64_t H = s.in[1], W = s.in[2], OH = s.out[1], OW = s.out[2];
  const int64_t sh = s.s[1], sw = s.s[2];
  const int64_t Hq = (s.padded_extent(1) + sh - 1) / sh, Wq = (s.padded_extent(2) + sw - 1) / sw;
  const int64_t phase = Hq * Wq, plane = sh * sw * phase, Pk = OH * Wq;
  BufferLease<InplaceBuffers> lease;
  std::vector<float>&xq = lease.get().xq, &yv = lease.get().yv;
  // Padded, phase-split planes, then kNr floats of slack: the last tile of a row reads full vectors.
  xq.assign(static_cast<std::size_t>(N * C * plane + kNr + 8), 0.f);
  parallel_for(N * C, 4, [&](int64_t b, int64_t e) {
    for (int64_t nc = b; nc < e; ++nc)
      for (int64_t ih = 0; ih < H; ++ih) {
        const float* src = x + (nc * H + ih) * W;
        const int64_t h = ih + s.pb[1];
        float* dst = xq.data() + nc * plane + (h % sh) * sw * phase + (h / sh) * Wq;
        if (sw == 1) {
          std::memcpy(dst + s.pb[2], src, static_cast<std::size_t>(W) * sizeof(float));
          continue;
        }
        // padded column w = iw + pb goes to phase w % sw, place w / sw (counters, no division)
        for (int64_t iw = 0, ph = s.pb[2] % sw, q = s.pb[2] / sw; iw < W; ++iw) {
          dst[ph * phase + q] = src[iw];
          if (++ph == sw) ph = 0, ++q;
        }
      }
  });
  yv.resize(static_cast<std::size_t>(N * M * Pk));
  std::vector<int64_t> tap_off(static_cast<std::size_t>(ksz));
  for (int64_t kh = 0, t = 0; kh < s.k[1]; ++kh)
    for (int64_t kw = 0; kw < s.k[2]; ++kw, ++t) {
      const int64_t th = kh * s.d[1], tw = kw * s.d[2];
      tap_off[t] = ((th % sh) * sw + tw % sw) * phase + (th / sh) * Wq + tw / sw;
    }

  // Without a residual (whose rows are OW, not Wq, apart) the epilogue runs in the last K block's
  // tile stores; else in the final copy.
  const int act = micro_act(ep.act);
  const bool in_tile = !ep.residual && act >= 0 && (ep.bias || act > 0);
  const ConvTasks split(N, G, cout_g, Pk, kMr, kNr);
  parallel_for(split.count(), 1, [&](int64_t begin, int64_t end) {
    const float* brow[kKc];
    for (int64_t t = begin; t < end; ++t) {
      const auto [n, g, m0, m1, p0, pcount] = split.task(t);
      const float* xg = xq.data() + (n * C + g * cin_g) * plane;
      float* yg = yv.data() + (n * M + g * cout_g) * Pk;
      for (int64_t k0 = 0; k0 < K; k0 += kKc) {
        int64_t kc = std::min(kKc, K - k0);
        // Row k = (channel k / ksz, tap k % ksz), by counters (no division per row).
        const float* chan = xg + (k0 / ksz) * plane;
        for (int64_t kk = 0, tap = k0 % ksz; kk < kc; ++kk) {
          brow[kk] = chan + tap_off[static_cast<std::size_t>(tap)];
          if (++tap == ksz) tap = 0, chan += plane;
        }
        for (int64_t q0 = p0; q0 < p0 + pcount; q0 += kNr) {
          int cols = static_cast<int>(std::min<int64_t>(kNr, p0 + pcount - q0));
          for (int64_t m = m0; m < m1; m += kMr) {
            int rows = static_cast<int>(std::min<int64_t>(kMr, m1 - m));
            const float* a = pw.a.data() + ((g * pw.panels + m / kMr) * K + k0) * kMr;
            if (in_tile && k0 + kc == K) {
              MicroEpilogue me{ep.bias ? ep.bias + g * cout_g + m : nullptr, nullptr, 0, act, ep.alpha, ep.beta};
              conv_micro_rows_ep_f32_avx2(kc, a, brow, q0, yg + m * Pk + q0, Pk, rows, cols, k0 > 0, me);
            } else {
              conv_micro_rows_f32_avx2(kc, a, brow, q0, yg + m * Pk + q0, Pk, rows, cols, k0 > 0);
            }
          }
        }
      }
    }
  });
  // Drop the padded columns; bias, residual and activation on the way.
  const bool epilogue = !in_tile && (ep.bias || ep.residual || ep.act != Activation::None);
  parallel_for(N * M, 4, [&](int64_t b, int64_t e) {
    for (int64_t nm = b; nm < e; ++nm) {
      const float bias = ep.bias ? ep.bias[nm % M] : 0.f;
      for (int64_t oh = 0; oh < OH; ++oh) {
        float* out = y + (nm * OH + oh) * OW;
        std::memcpy(out, yv.data() + nm * Pk + oh * Wq, static_cast<std::size_t>(OW) * sizeof(float));
        if (epilogue) apply_epilogue(out, ep.residual ? ep.residual + (nm * OH + oh) * OW : nullptr, OW, bias, ep);
      }
    }
  });
  return Status::ok();
}

}  // namespace n2d2::kernels::detail
