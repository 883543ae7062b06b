// The packed convolution driver: fixed tasks of (image, group, row block, column block), each
// running K in blocks of kKc: pack the block's input patches (im2col of one column block, zero
// padded; pointwise convolutions read the input in place), then every micro-kernel tile of the
// block. Blocks depend only on the shapes, and each
// output element is summed in one task in k order: results do not depend on the thread count.
#include "kernels/conv/packed.h"

#include <algorithm>

#include "graph/ops/window.h"
#include "kernels/conv/conv.h"
#include "kernels/conv/micro.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels::detail {

namespace {

using ConvMicroEpF32 = void (*)(int64_t, const float*, const float*, int64_t, float*, int64_t, int, int, bool,
                                 const MicroEpilogue&);
struct Core {
  ConvMicroF32 micro;
  PackRowF32 pack_row;
  int mr, nr;
  ConvMicroEpF32 micro_ep = nullptr;  // the micro-kernel with the epilogue in registers, if any
};

Core core_of(Isa isa) {  // nr <= kMaxNr
  switch (isa) {
    case Isa::Avx512: return {conv_micro_f32_avx512, pack_row_f32_avx512, 8, 48};
    case Isa::Avx2: return {conv_micro_f32_avx2, pack_row_f32_avx2, 4, 24, conv_micro_ep_f32_avx2};
    case Isa::Scalar: break;
  }
  return {conv_micro_f32_scalar, pack_row_f32_scalar, 4, 16};
}

constexpr int64_t kKc = kConvKc;
constexpr int64_t kMaxRows = 128;  // output channels per task
constexpr int64_t kMinRows = 64;    // ... split down to this while a conv has fewer than kMinTasks tasks
constexpr int64_t kMinTasks = 8;
constexpr int64_t kChunksPerTask = 4;
constexpr int64_t kMaxNr = 64;  // columns of the widest micro-kernel (patch_runs' buffer)

int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

// The patch row of one tap as runs of evenly spaced input elements (PatchRun, micro.h). Per
// chunk: runs of every tap, in tap order, tap t's runs at [first[t], first[t + 1]).
struct ChunkRuns {
  std::vector<PatchRun> runs;
  std::vector<int32_t> first;
};

// Runs of every tap for pixels [q0, q0 + count): the pixels split into segments of one output
// row each; per tap and segment, the output columns whose input column lies inside the input
// (tap_range) read one evenly spaced run of the input row, when that row exists.
void patch_runs(const Spatial3& s, int64_t q0, int64_t count, ChunkRuns& out) {
  struct Segment {
    int64_t j0, len, od, oh, ow;
  };
  Segment segs[kMaxNr];
  int nseg = 0;
  int64_t ow = q0 % s.out[2], t = q0 / s.out[2], oh = t % s.out[1], od = t / s.out[1];
  for (int64_t j = 0; j < count;) {
    int64_t len = std::min(count - j, s.out[2] - ow);
    segs[nseg++] = {j, len, od, oh, ow};
    j += len;
    ow = 0;
    if (++oh == s.out[1]) {
      oh = 0;
      ++od;
    }
  }
  out.runs.clear();
  out.first.assign(static_cast<std::size_t>(s.k_size() + 1), 0);
  int64_t tap = 0;
  for (int64_t kd = 0; kd < s.k[0]; ++kd)
    for (int64_t kh = 0; kh < s.k[1]; ++kh)
      for (int64_t kw = 0; kw < s.k[2]; ++kw, ++tap) {
        out.first[tap] = static_cast<int32_t>(out.runs.size());
        int64_t off_w = kw * s.d[2] - s.pb[2];
        Range rw = tap_range(off_w, s.s[2], s.in[2], s.out[2]);
        for (int i = 0; i < nseg; ++i) {
          const Segment& g = segs[i];
          int64_t id = g.od * s.s[0] + kd * s.d[0] - s.pb[0], ih = g.oh * s.s[1] + kh * s.d[1] - s.pb[1];
          if (id < 0 || id >= s.in[0] || ih < 0 || ih >= s.in[1]) continue;
          int64_t lo = std::max(rw.lo, g.ow), hi = std::min(rw.hi, g.ow + g.len);
          if (lo >= hi) continue;
          out.runs.push_back({static_cast<int32_t>(g.j0 + lo - g.ow), static_cast<int32_t>(hi - lo),
                              static_cast<int32_t>((id * s.in[1] + ih) * s.in[2] + lo * s.s[2] + off_w),
                              static_cast<int32_t>(s.s[2])});
        }
      }
  out.first[tap] = static_cast<int32_t>(out.runs.size());
}

// Packs patch rows k0 .. k0 + kc of one chunk into dst ([kc][nr]) with the ISA's row packer:
// row k is (input channel k / ksz, tap k % ksz).
void pack_patches(PackRowF32 pack_row, const ChunkRuns& cr, const float* xg, int64_t in_size, int64_t ksz, int64_t k0,
                  int64_t kc, int nr, float* dst) {
  int64_t c = k0 / ksz, tap = k0 % ksz;
  for (int64_t kk = 0; kk < kc; ++kk, dst += nr) {
    pack_row(xg + c * in_size, cr.runs.data() + cr.first[tap], cr.first[tap + 1] - cr.first[tap], dst, nr);
    if (++tap == ksz) {
      tap = 0;
      ++c;
    }
  }
}

}  // namespace

ConvTasks::ConvTasks(int64_t N_, int64_t G_, int64_t cout_g_, int64_t P_, int mr, int nr)
    : N(N_), G(G_), cout_g(cout_g_), P(P_) {
  cols_per_task = std::min((P + nr - 1) / nr, kChunksPerTask) * nr;
  p_blocks = (P + cols_per_task - 1) / cols_per_task;
  rows_per_task = std::min(round_up(cout_g, mr), kMaxRows);
  while (rows_per_task > kMinRows && N * G * p_blocks * ((cout_g + rows_per_task - 1) / rows_per_task) < kMinTasks)
    rows_per_task = round_up(rows_per_task / 2, mr);
  m_blocks = (cout_g + rows_per_task - 1) / rows_per_task;
}

namespace {

// Whether the node is a 1-D / 2-D convolution that is not 1x1, stride 1 and unpadded, from its
// attributes, weight shape and (when known) input dims: where the AVX2 direct driver runs.
bool direct_node(const KernelQuery& q, const Shape& w) {
  if (w.size() < 3 || w.size() > 4) return false;
  std::vector<int64_t> kernel(w.begin() + 2, w.end()), in(kernel.size(), kUnknownDim);
  const TensorType& x = q.input_types.empty() ? TensorType{} : q.input_types[0];
  if (x.rank_known && x.rank() == static_cast<int64_t>(w.size())) in = graph::spatial_dims(x.dims);
  try {
    const graph::Window win = graph::window_forward(q.node, in, kernel, false);
    for (std::size_t a = 0; a < kernel.size(); ++a)
      if (win.kernel[a] != 1 || win.strides[a] != 1 || win.pads_begin[a] != 0 || win.pads_end[a] != 0) return true;
    return false;
  } catch (const Error&) {
    return false;  // the run packs for what it finds
  }
}

}  // namespace

std::shared_ptr<const PackedConvWeights> prepare_conv_weights(Isa isa, const KernelQuery& q, const Tensor& w) {
  const int mr = isa == Isa::Avx2 && direct_node(q, w.shape()) ? kDirectRows : core_of(isa).mr;
  return pack_conv_weights(w, q.node.attrs.i("group"), mr);
}

std::shared_ptr<const PackedConvWeights> pack_conv_weights(const Tensor& w, int64_t groups, int mr) {
  auto p = std::make_shared<PackedConvWeights>();
  p->M = w.shape()[0];
  p->K = p->M == 0 ? 0 : w.numel() / p->M;
  p->groups = groups;
  p->mr = mr;
  int64_t cout_g = p->M / groups;
  p->panels = (cout_g + mr - 1) / mr;
  p->a.assign(static_cast<std::size_t>(groups * p->panels * p->K * mr), 0.f);
  const float* src = w.data<float>();
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t pn = 0; pn < p->panels; ++pn) {
      float* dst = p->a.data() + (g * p->panels + pn) * p->K * mr;
      for (int r = 0; r < mr; ++r) {
        int64_t m = pn * mr + r;
        if (m >= cout_g) break;
        const float* row = src + (g * cout_g + m) * p->K;
        for (int64_t k = 0; k < p->K; ++k) dst[k * mr + r] = row[k];
      }
    }
  return p;
}

std::string packed_conv_supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  if (!r.empty()) return r;
  const TensorType &x = q.input_types[0], &w = q.input_types[1];
  if (!x.rank_known || !w.rank_known) return "unknown input rank";
  if (x.rank() < 3 || x.rank() > 5) return "not 1 to 3 spatial axes";
  for (int64_t d : w.dims)
    if (d < 0) return "unknown weight shape";
  return "";
}

Status run_packed_conv(const KernelContext& c, Isa isa, ConvEpilogue ep) {
  const Tensor &x = c.in(0), &w = c.in(1);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  graph::Window win = graph::window_forward(c.node, graph::spatial_dims(xs), conv_kernel_shape(c), false);
  Spatial3 s;
  if (!to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  const int64_t N = xs[0], C = xs[1], M = y.shape()[1], G = c.attrs().i("group");
  const int64_t cin_g = C / G, cout_g = M / G, K = cin_g * s.k_size(), P = s.out_size();
  if (N == 0 || M == 0 || P == 0) return Status::ok();
  if (K == 0) std::fill(y.data_mut<float>(), y.data_mut<float>() + y.numel(), 0.f);  // no product to store
  const Core core = core_of(isa);
  const bool direct = K > 0 && direct_conv_applies(s, isa);
  const int mr = direct ? kDirectRows : core.mr;
  std::shared_ptr<const PackedConvWeights> local;
  const auto* pw = static_cast<const PackedConvWeights*>(c.prepared);
  if (pw && (pw->M != M || pw->K != K || pw->groups != G))
    return Status::error("packed weights do not match the node's weight shape");
  if (!pw || pw->mr != mr) pw = (local = pack_conv_weights(w, G, mr)).get();  // prepared for other dims
  ep.bias = c.has_input(2) ? c.in(2).data<float>() : nullptr;

  const float* xp = x.data<float>();
  float* yp = y.data_mut<float>();
  if (direct) return run_direct_conv(xp, yp, s, N, C, M, G, *pw, ep);
  const ConvTasks split(N, G, cout_g, P, core.mr, core.nr);
  const int64_t ksz = s.k_size();
  const bool pointwise = is_pointwise(s);
  // The epilogue in the last K block's tile stores where the micro-kernel has it (AVX2).
  const int act = micro_act(ep.act);
  const bool fuse = core.micro_ep && act >= 0 && K > 0 && (ep.bias || ep.residual || act > 0);
  parallel_for(split.count(), 1, [&](int64_t begin, int64_t end) {
    thread_local std::vector<float> patches;
    thread_local std::vector<ChunkRuns> runs;
    patches.resize(static_cast<std::size_t>(kKc * split.cols_per_task));
    for (int64_t t = begin; t < end; ++t) {
      const auto [n, g, m0, m1, p0, pcount] = split.task(t);
      int64_t chunks = (pcount + core.nr - 1) / core.nr;
      const float* xg = xp + (n * C + g * cin_g) * s.in_size();
      float* yg = yp + (n * M + g * cout_g) * P;
      runs.resize(static_cast<std::size_t>(chunks));
      for (int64_t ch = 0; ch < chunks && !pointwise; ++ch) {
        int64_t q0 = p0 + ch * core.nr;
        patch_runs(s, q0, std::min<int64_t>(core.nr, p0 + pcount - q0), runs[ch]);
      }
      for (int64_t k0 = 0; k0 < K; k0 += kKc) {
        int64_t kc = std::min(kKc, K - k0);
        if (!pointwise)
          for (int64_t ch = 0; ch < chunks; ++ch)
            pack_patches(core.pack_row, runs[ch], xg, s.in_size(), ksz, k0, kc, core.nr, patches.data() + ch * kc * core.nr);
        // Chunk outer, row panels inner: the chunk's patches (kc x nr) are reused by every
        // row panel while the weight panels stream from L2.
        for (int64_t ch = 0; ch < chunks; ++ch) {
          int64_t q0 = p0 + ch * core.nr;
          int cols = static_cast<int>(std::min<int64_t>(core.nr, p0 + pcount - q0));
          const float* b = pointwise ? xg + k0 * P + q0 : patches.data() + ch * kc * core.nr;
          int64_t ldb = pointwise ? P : core.nr;
          for (int64_t m = m0; m < m1; m += core.mr) {
            int rows = static_cast<int>(std::min<int64_t>(core.mr, m1 - m));
            const float* a = pw->a.data() + ((g * pw->panels + m / core.mr) * K + k0) * core.mr;
            if (fuse && k0 + kc == K) {
              MicroEpilogue me{ep.bias ? ep.bias + g * cout_g + m : nullptr,
                               ep.residual ? ep.residual + (n * M + g * cout_g + m) * P + q0 : nullptr, P, act, ep.alpha,
                               ep.beta};
              core.micro_ep(kc, a, b, ldb, yg + m * P + q0, P, rows, cols, k0 > 0, me);
            } else {
              core.micro(kc, a, b, ldb, yg + m * P + q0, P, rows, cols, k0 > 0);
            }
          }
        }
      }
      if (!fuse && (ep.bias || ep.residual || ep.act != Activation::None))
        for (int64_t m = m0; m < m1; ++m) {
          int64_t off = m * P + p0;
          apply_epilogue(yg + off, ep.residual ? ep.residual + (n * M + g * cout_g) * P + off : nullptr, pcount,
                         ep.bias ? ep.bias[g * cout_g + m] : 0.f, ep);
        }
    }
  });
  return Status::ok();
}

bool activation_from_name(const std::string& name, Activation& out) {
  static const std::pair<const char*, Activation> kNames[] = {{"Relu", Activation::Relu},
                                                              {"Clip", Activation::Clip},
                                                              {"LeakyRelu", Activation::LeakyRelu},
                                                              {"Sigmoid", Activation::Sigmoid},
                                                              {"HardSwish", Activation::HardSwish}};
  for (const auto& [n, a] : kNames)
    if (name == n) {
      out = a;
      return true;
    }
  return false;
}

}  // namespace n2d2::kernels::detail

namespace n2d2::kernels {

namespace {

template <Isa isa>
std::string supports(const KernelQuery& q) {
  std::string r = detail::packed_conv_supports(q);
  return r.empty() ? require_isa(isa) : r;
}

template <Isa isa>
std::shared_ptr<const void> prepare(const KernelQuery& q, std::span<const Tensor* const> constants) {
  if (constants.size() < 2 || !constants[1]) return nullptr;
  return detail::prepare_conv_weights(isa, q, *constants[1]);
}

template <Isa isa>
Status run(const KernelContext& c) {
  return detail::run_packed_conv(c, isa, {});
}

}  // namespace

void register_packed_conv_kernels(KernelRegistry& r) {
  r.add({"conv_f32_avx512", "Conv", "", supports<Isa::Avx512>, run<Isa::Avx512>, prepare<Isa::Avx512>, true});
  r.add({"conv_f32_avx2", "Conv", "", supports<Isa::Avx2>, run<Isa::Avx2>, prepare<Isa::Avx2>, true});
  r.add({"conv_f32_scalar", "Conv", "", supports<Isa::Scalar>, run<Isa::Scalar>, prepare<Isa::Scalar>, true});
}

}  // namespace n2d2::kernels
