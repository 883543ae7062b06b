// QConv and QConvRequantize on the panel engine (panel.h) for uint8/int8 activations and int8
// weights, 8-bit outputs for QConvRequantize: weights packed once per Plan (prepare) into panels
// of 8 output channels (32 for the channel-lane kernel of small maps); 1-D and 2-D convolutions
// read their activations in place from a zero-padded, stride-phase-split, 4-channel-interleaved
// copy of the input (panel_input.cpp), 3-D ones gather and pack their patches per block of 48
// output pixels; bias, the int8 offset correction and the Requantize run in the micro-kernels'
// epilogue. Bit-exact with qconv_ref (+ requantize_ref).
// Registered before the reference kernels; declines for other types, K > kCoreMaxK or when the
// CPU (or N2D2_MAX_ISA) lacks the ISA.
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "graph/ops/quant_ops.h"
#include "kernels/buffer_lease.h"
#include "kernels/conv/conv.h"
#include "kernels/cpu/isa.h"
#include "kernels/parallel.h"
#include "kernels/quant/panel.h"
#include "kernels/quant/quant_kernels.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace detail {

void panel_requantize_params(const graph::Node& n, int64_t M, PanelEpilogueData& d) {
  namespace q = n2d2::quant;
  graph::RequantizeAttrs r = graph::requantize_attrs(n);
  d.e.requantize = true;
  d.e.mode = r.mode;
  d.e.nbbits = r.nbbits;
  d.e.is_signed = r.is_signed;
  d.params.resize(M);
  d.scale.resize(M);
  d.multiplier.resize(M);
  d.shift.resize(M);
  for (int64_t m = 0; m < M; ++m) {
    const q::RescaleParams& p = r.channels[r.channels.size() == 1 ? 0 : m];
    d.params[m] = p;
    d.scale[m] = p.scale;
    d.shift[m] = p.shift;
    switch (r.mode) {
      case q::Rescaling::FixedPoint: d.multiplier[m] = static_cast<int32_t>(p.multiplier); break;
      case q::Rescaling::DoubleShift: d.multiplier[m] = (int32_t{1} << p.left) + 1; break;
      default: d.multiplier[m] = 1; break;  // Single-shift (Floating-point does not use it)
    }
  }
  d.e.scale = d.scale.data();
  d.e.multiplier = d.multiplier.data();
  d.e.shift = d.shift.data();
  d.e.params = d.params.data();
}

}  // namespace detail

namespace {

using detail::kBlockPixels;
using detail::kPanelRows;
using detail::PanelEpilogue;
using detail::PanelKernel;
namespace q = n2d2::quant;

// Weights [M][cin_g][T taps] int8 as panels per group: [G][ceil(cout_g / 8)][K4][8][4],
// zero-padded, with K ordered channel-major (k = ic T + t: the gathered blocks) or, tap-major,
// k4 = t C4 + ic / 4, byte ic % 4 (C4 = ceil(cin_g / 4): the channel-interleaved input read in
// place); per-row sums. For the AVX2 kernels (`avx2`), each group of 4 bytes w0 w1 w2 w3 is
// stored as the int16 values w0 w2 w1 w3 (`wide`: the pairs vpmaddwd multiplies, widened once
// here), unless every pair fits vpmaddubsw (pairs(): the bytes kept for panel_kernel_avx2_pairs).
struct PackedPanels {
  int64_t M = 0, K = 0, K4 = 0, G = 0, R = kPanelRows, panels_per_group = 0;  // R rows per panel
  bool tap_major = false, avx2 = false, wide = false;
  bool pairs() const { return avx2 && !wide; }
  std::vector<int8_t> data;
  std::vector<int64_t> sums;
  const int8_t* panel(int64_t g, int64_t p) const {
    return data.data() + ((g * panels_per_group + p) * K4) * R * 4 * (wide ? 2 : 1);
  }
};

void pack_panels(const int8_t* w, int64_t M, int64_t cin_g, int64_t T, int64_t G, bool tap_major, int64_t R, bool avx2,
                 PackedPanels& out) {
  const int64_t cout_g = M / G, K = cin_g * T, C4 = (cin_g + 3) / 4;
  out.R = R;
  out.M = M;
  out.K = K;
  out.K4 = tap_major ? T * C4 : (K + 3) / 4;
  out.G = G;
  out.tap_major = tap_major;
  out.panels_per_group = (cout_g + R - 1) / R;
  out.data.assign(static_cast<std::size_t>(G * out.panels_per_group * out.K4 * R * 4), 0);
  out.sums.assign(static_cast<std::size_t>(M), 0);
  for (int64_t m = 0; m < M; ++m) {
    int64_t g = m / cout_g, r = m % cout_g;
    int8_t* p = out.data.data() + ((g * out.panels_per_group + r / R) * out.K4) * R * 4;
    for (int64_t ic = 0; ic < cin_g; ++ic)
      for (int64_t t = 0; t < T; ++t) {
        int64_t k = ic * T + t, k4 = tap_major ? t * C4 + ic / 4 : k / 4, j = tap_major ? ic % 4 : k % 4;
        p[(k4 * R + r % R) * 4 + j] = w[m * K + k];
        out.sums[m] += w[m * K + k];
      }
  }
  out.avx2 = avx2;
  out.wide = avx2 && !detail::weights_fit_u8_pairs(out.data.data(), out.data.size());
  if (!out.wide) return;
  std::vector<int8_t> bytes(out.data.size() * 2);
  for (std::size_t i = 0; i < out.data.size(); i += 4) {
    const int16_t v[4] = {out.data[i], out.data[i + 2], out.data[i + 1], out.data[i + 3]};
    std::memcpy(bytes.data() + i * 2, v, sizeof v);
  }
  out.data = std::move(bytes);
}

// Tap-major (in-place input) for 1-D and 2-D convolutions, channel-major (gathered) for 3-D.
bool tap_major_for(int64_t weight_rank) { return weight_rank <= 4; }
// The channel-lane kernel (VNNI) for small 1-D / 2-D maps with whole 32-channel panels.
bool chanlane_for(bool vnni, int64_t weight_rank, int64_t cout_g, int64_t P) {
  return vnni && tap_major_for(weight_rank) && cout_g % detail::kChanLaneRows == 0 && P <= detail::kChanLaneMaxPixels;
}

template <bool Vnni>
std::shared_ptr<const void> prepare_panels(const KernelQuery& q, std::span<const Tensor* const> constants) {
  if (constants.size() < 2 || !constants[1] || constants[1]->dtype() != DType::I8 || constants[1]->rank() < 3)
    return nullptr;
  const Tensor& w = *constants[1];
  int64_t G = q.node.attrs.i_or("group", 1);
  if (G <= 0 || w.dim(0) % G != 0) return nullptr;
  auto p = std::make_shared<PackedPanels>();
  int64_t T = w.numel() / (w.dim(0) * w.dim(1)), wr = static_cast<int64_t>(w.rank()), P = -1;
  if (!q.output_types.empty() && q.output_types[0].fully_known()) {
    P = 1;
    for (std::size_t i = 2; i < q.output_types[0].rank(); ++i) P *= q.output_types[0].dims[i];
  }
  bool lanes = P >= 0 && chanlane_for(Vnni, wr, w.dim(0) / G, P);
  pack_panels(w.data<int8_t>(), w.dim(0), w.dim(1), T, G, tap_major_for(wr), lanes ? detail::kChanLaneRows : kPanelRows, !Vnni,
              *p);
  return p;
}

void make_epilogue(const KernelContext& c, const PackedPanels& pw, int64_t offset, bool requant, detail::PanelEpilogueData& d) {
  int64_t M = pw.M;
  const int32_t* bias = c.has_input(2) ? c.in(2).data<int32_t>() : nullptr;
  d.add32.resize(M);
  d.add64.resize(M);
  d.exact.resize(M);
  int64_t acc_lo = -128 * 255 * pw.K, acc_hi = 127 * 255 * pw.K;
  for (int64_t m = 0; m < M; ++m) {
    int64_t add = (bias ? bias[m] : 0) - offset * pw.sums[m];
    d.add64[m] = add;
    d.exact[m] = add + acc_lo >= INT32_MIN && add + acc_hi <= INT32_MAX;
    d.add32[m] = d.exact[m] ? static_cast<int32_t>(add) : 0;
  }
  d.e = PanelEpilogue{};
  if (requant) detail::panel_requantize_params(c.node, M, d);
  d.e.add32 = d.add32.data();
  d.e.add64 = d.add64.data();
  d.e.exact = d.exact.data();
}

// One output-row run of a pixel block: pixels [p, p + len) share od, oh.
struct Segment {
  int64_t off, len, od, oh, ow;
};

const uint8_t* zero_row() {
  alignas(64) static const uint8_t z[kBlockPixels] = {};
  return z;
}

// The conv-wide buffers of one call (padded input copies, uncompacted output), leased per thread.
struct ConvBuffers {
  std::vector<uint8_t> xq, xq4, yv;
};

// Per-thread buffers of the activation packing.
struct Scratch {
  std::vector<uint8_t> rows, block;
  std::vector<const uint8_t*> ptrs, x4;
  std::vector<Segment> segs;
};

template <class X>
Status qconv_panel(const KernelContext& c, PanelKernel kernel, bool requant, bool vnni) {
  const Tensor &x = c.in(0), &w = c.in(1);
  detail::ConvGeometry geo;
  if (!detail::conv_geometry(c, geo)) return Status::error("more than 3 spatial axes");
  const detail::Spatial3& s = geo.s;
  const int64_t N = geo.N, C = geo.C, M = geo.M, G = geo.G, cin_g = geo.cin_g, cout_g = geo.cout_g;
  const int64_t K = cin_g * s.k_size(), P = s.out_size();
  constexpr bool kSigned = std::is_same_v<X, int8_t>;
  const uint8_t xor_mask = kSigned ? 0x80 : 0;
  const bool implicit = tap_major_for(static_cast<int64_t>(w.rank()));
  const bool lanes = chanlane_for(vnni, static_cast<int64_t>(w.rank()), cout_g, P);
  const int64_t R = lanes ? detail::kChanLaneRows : kPanelRows;
  PackedPanels local;
  const auto* pp = static_cast<const PackedPanels*>(c.prepared);
  if (!pp || pp->M != M || pp->K != K || pp->G != G || pp->tap_major != implicit || pp->R != R ||
      pp->avx2 == vnni) {
    pack_panels(w.data<int8_t>(), M, cin_g, s.k_size(), G, implicit, R, !vnni, local);
    pp = &local;
  }
  const PackedPanels& pw = *pp;
  if (pw.pairs()) kernel = detail::panel_kernel_avx2_pairs;
  const int64_t K4 = pw.K4;
  detail::PanelEpilogueData ed;
  make_epilogue(c, pw, kSigned ? 128 : 0, requant, ed);
  const PanelEpilogue& e = ed.e;
  const uint8_t* xb = static_cast<const uint8_t*>(x.raw());
  const std::size_t ybytes = requant ? 1 : 4;
  uint8_t* yb = static_cast<uint8_t*>(c.out(0).raw_mut());

  // 1-D and 2-D convolutions read their patches in place: the input, zero-padded and split into
  // stride phases ([C][sh][sw][Hq][Wq], Hq = ceil(Hp / sh), Wq = ceil(Wp / sw)), then interleaved by
  // 4 channels (x ^ offset): xq4 [N][G][C4][PL][4]. Over the kernel's pixels pv = oh * Wq + ow, K
  // group (tap t = (kh, kw), channels 4 c4..4 c4 + 3) is the kBlockPixels x 4 bytes at xq4 + (c4 PL
  // + phase(kh dh % sh, kw dw % sw) + (kh dh / sh) Wq + (kw dw / sw) + pv) * 4. The Wq - OW columns
  // past each row are computed and dropped by the final copy (none for pointwise stride-1 ones).
  // 3-D convolutions gather their patches per block (output-row segments) and pack them.
  const int64_t C4 = (cin_g + 3) / 4;
  const int64_t sh = s.s[1], sw = s.s[2];
  const int64_t Hp = s.in[1] + s.pb[1] + s.pe[1], Wp = s.in[2] + s.pb[2] + s.pe[2];
  const int64_t Hq = (Hp + sh - 1) / sh, Wq = (Wp + sw - 1) / sw, HWq = Hq * Wq, PL = sh * sw * HWq;
  const int64_t Pk = implicit ? s.out[1] * Wq : P;  // pixels in the kernel's output rows
  const bool compact = implicit && !lanes && Pk != P;
  BufferLease<ConvBuffers> lease;
  std::vector<uint8_t>&xq = lease.get().xq, &xq4 = lease.get().xq4, &yv = lease.get().yv;
  if (implicit && sw == 1 && sh == 1) {
    // Stride 1: interleave the input rows straight into their padded places (one phase).
    xq4.assign(static_cast<std::size_t>((N * G * C4 * PL + PL + 2 * kBlockPixels) * 4), xor_mask);
    const int64_t W = s.in[2], H = s.in[1], in_size = s.in_size();
    parallel_for(N * G * C4, 4, [&, W, H, in_size](int64_t b, int64_t e) {
      for (int64_t q4 = b; q4 < e; ++q4) {
        int64_t n = q4 / (G * C4), g = (q4 / C4) % G, c4 = q4 % C4;
        for (int64_t ih = 0; ih < H; ++ih) {
          const uint8_t* rows[4];
          for (int j = 0; j < 4; ++j) {
            int64_t ic = c4 * 4 + j;
            rows[j] = ic < cin_g ? xb + (n * C + g * cin_g + ic) * in_size + ih * W : nullptr;
          }
          detail::interleave4(rows, W, xor_mask, xq4.data() + (q4 * PL + (ih + s.pb[1]) * Wq + s.pb[2]) * 4);
        }
      }
    });
    if (compact) yv.resize(static_cast<std::size_t>(N * M * Pk) * ybytes);
  } else if (implicit) {
    xq.assign(static_cast<std::size_t>(N * C * PL), 0);
    detail::phase_split(xb, N * C, s, Hq, Wq, xq.data());
    // Interleave by 4 channels (missing channels of the last group of 4: zero), offset applied.
    xq4.resize(static_cast<std::size_t>((N * G * C4 * PL + PL + 2 * kBlockPixels) * 4));
    std::memset(xq4.data() + N * G * C4 * PL * 4, xor_mask, static_cast<std::size_t>((PL + 2 * kBlockPixels) * 4));
    parallel_for(N * G * C4, 4, [&](int64_t b, int64_t e) {
      for (int64_t q4 = b; q4 < e; ++q4) {
        int64_t n = q4 / (G * C4), g = (q4 / C4) % G, c4 = q4 % C4;
        const uint8_t* rows[4];
        for (int j = 0; j < 4; ++j) {
          int64_t ic = c4 * 4 + j;
          rows[j] = ic < cin_g ? xq.data() + (n * C + g * cin_g + ic) * PL : nullptr;
        }
        detail::interleave4(rows, PL, xor_mask, xq4.data() + q4 * PL * 4);
      }
    });
    if (compact) yv.resize(static_cast<std::size_t>(N * M * Pk) * ybytes);
  }
  std::vector<int64_t> taps;  // tap t's offset (pixels) in a group of 4 channels of xq4
  if (implicit)
    for (int64_t kh = 0; kh < s.k[1]; ++kh)
      for (int64_t kw = 0; kw < s.k[2]; ++kw) {
        int64_t th = kh * s.d[1], tw = kw * s.d[2];
        taps.push_back(((th % sh) * sw + tw % sw) * HWq + (th / sh) * Wq + tw / sw);
      }
  if (lanes) {
    // Channel lanes: tasks of (image and group, 12 output pixels, 32 output channels); the
    // pixels' offsets in the padded width, the kernel's [pixels][32] results scattered to NCHW.
    const int64_t ptiles = (P + detail::kChanLaneTile - 1) / detail::kChanLaneTile, panels = cout_g / R;
    // K group k4 = (tap, 4 channels) of image/group ng at base[ng * K4 + k4] (+ 4 bytes per pixel).
    std::vector<const uint8_t*> base(static_cast<std::size_t>(N * G * K4));
    for (int64_t ng = 0, i = 0; ng < N * G; ++ng)
      for (int64_t t4 = 0; t4 < static_cast<int64_t>(taps.size()); ++t4)
        for (int64_t c4 = 0; c4 < C4; ++c4, ++i) base[i] = xq4.data() + (ng * C4 * PL + c4 * PL + taps[t4]) * 4;
    parallel_for(N * G * ptiles * panels, 1, [&](int64_t tb, int64_t te) {
      alignas(64) int32_t out[detail::kChanLaneTile * detail::kChanLaneRows];
      int64_t poff[detail::kChanLaneTile];
      for (int64_t t = tb; t < te; ++t) {
        int64_t pi = t % panels, pt = (t / panels) % ptiles, ng = t / (panels * ptiles), n = ng / G, g = ng % G;
        int64_t p0 = pt * P / ptiles, pc = (pt + 1) * P / ptiles - p0;  // balanced tiles of <= 12 pixels
        for (int64_t j = 0; j < pc; ++j) poff[j] = (p0 + j) / s.out[2] * Wq + (p0 + j) % s.out[2];
        int64_t m0 = g * cout_g + pi * R;
        detail::chanlane_kernel_vnni(K4, pw.panel(g, pi), base.data() + ng * K4, poff, pc, e, m0, out);
        for (int64_t ch = 0; ch < R; ++ch) {
          int64_t row = (n * M + m0 + ch) * P + p0;
          if (requant) {
            const uint8_t* o = reinterpret_cast<const uint8_t*>(out);
            for (int64_t j = 0; j < pc; ++j) yb[row + j] = o[j * R + ch];
          } else {
            int32_t* y32 = reinterpret_cast<int32_t*>(yb);
            for (int64_t j = 0; j < pc; ++j) y32[row + j] = out[j * R + ch];
          }
        }
      }
    });
    return Status::ok();
  }
  uint8_t* ykb = compact ? yv.data() : yb;
  const int64_t pblocks = (Pk + kBlockPixels - 1) / kBlockPixels;
  const int64_t ppg = pw.panels_per_group;
  // Split the panels too when there are few pixel blocks to share between threads.
  int64_t threads = tbb::this_task_arena::max_concurrency();
  int64_t mchunks = threads > 1 && pblocks < 4 * threads ? std::min<int64_t>(ppg, (4 * threads + pblocks - 1) / pblocks) : 1;
  int64_t per_chunk = (ppg + mchunks - 1) / mchunks;
  mchunks = (ppg + per_chunk - 1) / per_chunk;
  const int64_t tasks = N * G * pblocks * mchunks;

  parallel_for(tasks, 1, [&](int64_t tb, int64_t te) {
    thread_local Scratch sc;
    sc.x4.resize(static_cast<std::size_t>(K4));
    if (!implicit) {
      sc.block.resize(static_cast<std::size_t>(K4 * kBlockPixels * 4));
      sc.ptrs.resize(static_cast<std::size_t>(K4 * 4));
    }
    for (int64_t t = tb; t < te; ++t) {
      int64_t chunk = t % mchunks, pb = (t / mchunks) % pblocks, ng = t / (mchunks * pblocks);
      int64_t n = ng / G, g = ng % G;
      int64_t p0 = pb * kBlockPixels, pc = std::min<int64_t>(kBlockPixels, Pk - p0);
      const uint8_t* xg = xb + (n * C + g * cin_g) * s.in_size();
      if (implicit) {
        const uint8_t* xn = xq4.data() + (n * G + g) * C4 * PL * 4;
        for (int64_t t4 = 0, k4 = 0; t4 < static_cast<int64_t>(taps.size()); ++t4)
          for (int64_t c4 = 0; c4 < C4; ++c4, ++k4) sc.x4[k4] = xn + (c4 * PL + taps[t4] + p0) * 4;
      } else {
        sc.rows.resize(static_cast<std::size_t>(K * kBlockPixels));
        sc.segs.clear();
        for (int64_t p = p0; p < p0 + pc;) {
          int64_t od = p / (s.out[1] * s.out[2]), oh = (p / s.out[2]) % s.out[1], ow = p % s.out[2];
          int64_t len = std::min(p0 + pc - p, s.out[2] - ow);
          sc.segs.push_back({p - p0, len, od, oh, ow});
          p += len;
        }
        int64_t k = 0;
        for (int64_t ic = 0; ic < cin_g; ++ic)
          for (int64_t kd = 0; kd < s.k[0]; ++kd)
            for (int64_t kh = 0; kh < s.k[1]; ++kh)
              for (int64_t kw = 0; kw < s.k[2]; ++kw, ++k) {
                uint8_t* row = sc.rows.data() + k * kBlockPixels;
                sc.ptrs[k] = row;
                for (const Segment& sg : sc.segs) {
                  uint8_t* o = row + sg.off;
                  int64_t id = sg.od * s.s[0] + kd * s.d[0] - s.pb[0], ih = sg.oh * s.s[1] + kh * s.d[1] - s.pb[1];
                  if (id < 0 || id >= s.in[0] || ih < 0 || ih >= s.in[1]) {
                    std::memset(o, 0, static_cast<std::size_t>(sg.len));
                    continue;
                  }
                  const uint8_t* src = xg + ic * s.in_size() + (id * s.in[1] + ih) * s.in[2];
                  int64_t iw0 = sg.ow * s.s[2] + kw * s.d[2] - s.pb[2];
                  if (s.s[2] == 1) {
                    int64_t a = std::clamp<int64_t>(-iw0, 0, sg.len), b = std::clamp<int64_t>(s.in[2] - iw0, a, sg.len);
                    if (a > 0) std::memset(o, 0, static_cast<std::size_t>(a));
                    std::memcpy(o + a, src + iw0 + a, static_cast<std::size_t>(b - a));
                    if (b < sg.len) std::memset(o + b, 0, static_cast<std::size_t>(sg.len - b));
                  } else {
                    for (int64_t j = 0, iw = iw0; j < sg.len; ++j, iw += s.s[2]) o[j] = iw >= 0 && iw < s.in[2] ? src[iw] : 0;
                  }
                }
                if (pc < kBlockPixels) std::memset(row + pc, 0, static_cast<std::size_t>(kBlockPixels - pc));
              }
        for (int64_t k = K; k < K4 * 4; ++k) sc.ptrs[k] = zero_row();
        detail::panel_pack(K4, sc.ptrs.data(), xor_mask, sc.block.data());
        for (int64_t k4 = 0; k4 < K4; ++k4) sc.x4[k4] = sc.block.data() + k4 * kBlockPixels * 4;
      }
      uint8_t* yn = ykb + n * M * Pk * ybytes;
      for (int64_t pi = chunk * per_chunk; pi < std::min(ppg, (chunk + 1) * per_chunk); ++pi) {
        int64_t r0 = pi * kPanelRows, rows = std::min<int64_t>(kPanelRows, cout_g - r0);
        kernel(rows, pc, K4, pw.panel(g, pi), sc.x4.data(), e, g * cout_g + r0, yn, Pk, p0);
      }
    }
  });
  if (compact) {
    const std::size_t row = static_cast<std::size_t>(s.out[2]) * ybytes;
    parallel_for(N * M, 16, [&](int64_t b, int64_t e) {
      for (int64_t nm = b; nm < e; ++nm)
        for (int64_t oh = 0; oh < s.out[1]; ++oh)
          std::memcpy(yb + (nm * P + oh * s.out[2]) * ybytes, yv.data() + (nm * Pk + oh * Wq) * ybytes, row);
    });
  }
  return Status::ok();
}

std::string panel_operands(const KernelQuery& q, bool requant) {
  DType xt = q.input_types[0].dtype, wt = q.input_types[1].dtype;
  if (xt != DType::U8 && xt != DType::I8) return std::string("activations are ") + dtype_name(xt) + ", not uint8/int8";
  if (wt != DType::I8) return std::string("weights are ") + dtype_name(wt) + ", not int8";
  const TensorType& w = q.input_types[1];
  if (!w.fully_known()) return "weight shape unknown";
  if (q.input_types[0].rank_known && q.input_types[0].rank() > 5) return "more than 3 spatial axes";
  int64_t k = 1;
  for (std::size_t i = 1; i < w.rank(); ++i) k *= w.dims[i];
  if (k > detail::kCoreMaxK) return "K = " + std::to_string(k) + " could overflow int32 partial sums";
  if (requant && q.output_types[0].dtype != DType::U8 && q.output_types[0].dtype != DType::I8)
    return std::string("output is ") + dtype_name(q.output_types[0].dtype) + ", not 8-bit";
  return "";
}

template <bool Requant>
std::string vnni_supports(const KernelQuery& q) {
  std::string r = detail::require_avx512_vnni();
  return r.empty() ? panel_operands(q, Requant) : r;
}
template <bool Requant>
std::string avx2_supports(const KernelQuery& q) {
  std::string r = require_isa(Isa::Avx2);
  return r.empty() ? panel_operands(q, Requant) : r;
}

template <bool Requant, PanelKernel Kernel>
Status run_panel(const KernelContext& c) {
  // Not constexpr: function addresses do not compare in constant expressions under sanitizers.
  const bool kVnni = Kernel == detail::panel_kernel_vnni;
  return c.in(0).dtype() == DType::I8 ? qconv_panel<int8_t>(c, Kernel, Requant, kVnni)
                                      : qconv_panel<uint8_t>(c, Kernel, Requant, kVnni);
}

}  // namespace

void register_qconv_panel_kernels(KernelRegistry& r) {
  const char* d = graph::kN2D2Domain;
  r.add({"qconv_requantize_vnni", "QConvRequantize", d, vnni_supports<true>, run_panel<true, detail::panel_kernel_vnni>,
         prepare_panels<true>});
  r.add({"qconv_requantize_avx2", "QConvRequantize", d, avx2_supports<true>, run_panel<true, detail::panel_kernel_avx2>,
         prepare_panels<false>});
  r.add({"qconv_u8s8_vnni", "QConv", d, vnni_supports<false>, run_panel<false, detail::panel_kernel_vnni>,
         prepare_panels<true>});
  r.add({"qconv_u8s8_avx2", "QConv", d, avx2_supports<false>, run_panel<false, detail::panel_kernel_avx2>,
         prepare_panels<false>});
}

}  // namespace n2d2::kernels
