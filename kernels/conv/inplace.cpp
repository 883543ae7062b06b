// The in-place float convolution (AVX2): stride-1 1-D / 2-D convolutions without patch packing.
// The input is copied once per run into zero-padded planes of Hp x Wp (the padded extents), and
// outputs are computed over the padded width: output position q = oh * Wp + ow reads, for input
// channel c and tap (kh, kw), the padded plane at q + kh dh Wp + kw dw, so that B row k = (c, tap)
// of a micro-kernel tile is a contiguous run of the padded input, read in place
// (conv_micro_rows_f32_avx2). The Wp - OW columns past each output row are computed into a
// scratch matrix and dropped by the final copy, which also applies the epilogue (bias, residual,
// activation). Tasks, K blocks and summation order are those of the packed driver (packed.cpp):
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
  return isa == Isa::Avx2 && s.in[0] == 1 && s.k[0] == 1 && s.out[0] == 1 && s.s[1] == 1 && s.s[2] == 1 &&
         s.k_size() > 1;
}

Status run_inplace_conv(const float* x, float* y, const Spatial3& s, int64_t N, int64_t C, int64_t M, int64_t G,
                        const PackedConvWeights& pw, const ConvEpilogue& ep) {
  const int64_t cin_g = C / G, cout_g = M / G, ksz = s.k_size(), K = cin_g * ksz;
  const int64_t H = s.in[1], W = s.in[2], OH = s.out[1], OW = s.out[2];
  const int64_t Hp = s.padded_extent(1), Wp = s.padded_extent(2), plane = Hp * Wp, Pk = OH * Wp;
  BufferLease<InplaceBuffers> lease;
  std::vector<float>&xq = lease.get().xq, &yv = lease.get().yv;
  // Padded planes, then kNr floats of slack: the last tile of a row reads full vectors.
  xq.assign(static_cast<std::size_t>(N * C * plane + kNr + 8), 0.f);
  parallel_for(N * C, 4, [&](int64_t b, int64_t e) {
    for (int64_t nc = b; nc < e; ++nc)
      for (int64_t ih = 0; ih < H; ++ih)
        std::memcpy(xq.data() + nc * plane + (ih + s.pb[1]) * Wp + s.pb[2], x + (nc * H + ih) * W,
                    static_cast<std::size_t>(W) * sizeof(float));
  });
  yv.resize(static_cast<std::size_t>(N * M * Pk));
  std::vector<int64_t> tap_off(static_cast<std::size_t>(ksz));
  for (int64_t kh = 0, t = 0; kh < s.k[1]; ++kh)
    for (int64_t kw = 0; kw < s.k[2]; ++kw, ++t) tap_off[t] = kh * s.d[1] * Wp + kw * s.d[2];

  const ConvTasks split(N, G, cout_g, Pk, kMr, kNr);
  parallel_for(split.count(N, G), 1, [&](int64_t begin, int64_t end) {
    const float* brow[kKc];
    for (int64_t t = begin; t < end; ++t) {
      const auto [n, g, m0, m1, p0, pcount] = split.task(t, G, cout_g, Pk);
      const float* xg = xq.data() + (n * C + g * cin_g) * plane;
      float* yg = yv.data() + (n * M + g * cout_g) * Pk;
      for (int64_t k0 = 0; k0 < K; k0 += kKc) {
        int64_t kc = std::min(kKc, K - k0);
        for (int64_t kk = 0; kk < kc; ++kk) {
          int64_t k = k0 + kk;
          brow[kk] = xg + (k / ksz) * plane + tap_off[static_cast<std::size_t>(k % ksz)];
        }
        for (int64_t q0 = p0; q0 < p0 + pcount; q0 += kNr) {
          int cols = static_cast<int>(std::min<int64_t>(kNr, p0 + pcount - q0));
          for (int64_t m = m0; m < m1; m += kMr) {
            int rows = static_cast<int>(std::min<int64_t>(kMr, m1 - m));
            const float* a = pw.a.data() + ((g * pw.panels + m / kMr) * K + k0) * kMr;
            conv_micro_rows_f32_avx2(kc, a, brow, q0, yg + m * Pk + q0, Pk, rows, cols, k0 > 0);
          }
        }
      }
    }
  });
  // Drop the padded columns; bias, residual and activation on the way.
  const bool epilogue = ep.bias || ep.residual || ep.act != Activation::None;
  parallel_for(N * M, 4, [&](int64_t b, int64_t e) {
    for (int64_t nm = b; nm < e; ++nm) {
      const float bias = ep.bias ? ep.bias[nm % M] : 0.f;
      for (int64_t oh = 0; oh < OH; ++oh) {
        float* out = y + (nm * OH + oh) * OW;
        std::memcpy(out, yv.data() + nm * Pk + oh * Wp, static_cast<std::size_t>(OW) * sizeof(float));
        if (epilogue) apply_epilogue(out, ep.residual ? ep.residual + (nm * OH + oh) * OW : nullptr, OW, bias, ep);
      }
    }
  });
  return Status::ok();
}

}  // namespace n2d2::kernels::detail
