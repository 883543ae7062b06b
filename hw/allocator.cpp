#include "hw/allocator.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "graph/error.h"

namespace n2d2::hw {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The distinct values of ceil(n / p) for p = 1..n, each with the smallest p giving it.
std::vector<std::pair<int64_t, int>> quotients(int n) {
  std::vector<std::pair<int64_t, int>> q;
  for (int p = 1; p <= n;) {
    int64_t v = ceil_div(n, p);
    int smallest = static_cast<int>(ceil_div(n, v));
    q.push_back({v, smallest});
    // next p giving a smaller quotient
    int next = v > 1 ? static_cast<int>(ceil_div(n, v - 1)) : n + 1;
    p = std::max(next, p + 1);
  }
  return q;
}


struct Resolved {
  std::vector<Segmentation> out;              // per layer
  std::vector<std::vector<Segmentation>> in;  // per layer per input
};

Resolved resolve_segments(const Network& net, const std::vector<Parallelism>& par) {
  Resolved r;
  Segmentation input = input_segmentation(net);
  r.out.resize(net.layers.size());
  r.in.resize(net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    for (int p : net.layers[i].inputs) r.in[i].push_back(p == kNetworkInput ? input : r.out[static_cast<std::size_t>(p)]);
    r.out[i] = output_segmentation(net.layers[i], par[i], r.in[i]);
  }
  return r;
}

// The MAC layer whose parallelism sets the segmentation a layer's output carries; -1 when it is
// the network input (or a concat, handled by its inputs).
int source_of(const Network& net, int layer) {
  while (layer != kNetworkInput) {
    const Layer& l = net.layers[static_cast<std::size_t>(layer)];
    if (l.has_mac()) return layer;
    if (l.kind == LayerKind::Concat) return -2 - layer;  // encoded: a concat
    layer = l.inputs[0];
  }
  return kNetworkInput;
}

// Cheapest parallelism of a layer meeting compute cycles <= t; nullopt when none does.
std::optional<Parallelism> cheapest(const Layer& l, int64_t t, const Device& dev, const BlockOptions& bo) {
  const int64_t px = int64_t{l.out.h} * l.out.w;
  if (l.kind == LayerKind::MaxPool) {
    // cycles = px * beats * ceil(taps / pk); beats are set by the producer: take pk = 1 here and
    // let evaluate() report; widen pk when the taps dominate.
    return Parallelism{1, 1, 1};
  }
  if (!l.has_mac()) return Parallelism{};
  const int n_out = l.out.c;
  const int n_in = l.kind == LayerKind::Dense ? static_cast<int>(l.in.size()) : l.cin_per_group();
  const int taps = l.kind == LayerKind::Dense ? 1 : l.taps();
  const int64_t rows = l.kind == LayerKind::Dense ? 1 : px;
  std::optional<Parallelism> best;
  int best_dsp = 0, best_mults = 0;
  for (auto [qo, po] : quotients(n_out)) {
    int64_t r = t / (rows * qo);
    if (r < 1) continue;
    for (auto [qi, pi] : quotients(n_in)) {
      int64_t qk_max = r / qi;
      if (qk_max < 1) continue;
      int pk = static_cast<int>(ceil_div(taps, std::min<int64_t>(qk_max, taps)));
      pk = static_cast<int>(ceil_div(taps, ceil_div(taps, pk)));  // smallest pk with the same quotient
      Parallelism p{po, pi, pk};
      int dsp = mac_dsps(l, p, dev, bo), mults = po * pi * pk;
      if (!best || dsp < best_dsp || (dsp == best_dsp && (mults < best_mults || (mults == best_mults && po > best->po)))) {
        best = p;
        best_dsp = dsp;
        best_mults = mults;
      }
    }
  }
  return best;
}

// Pool parallelism over taps so that its compute meets t given its input beats.
void fit_pool(const Layer& l, Parallelism& p, std::size_t beats, int64_t t) {
  const int64_t px = int64_t{l.out.h} * l.out.w * static_cast<int64_t>(beats);
  for (p.pk = 1; p.pk < l.taps() && px * ceil_div(l.taps(), p.pk) > t; ++p.pk) {
  }
}

// Parallelism meeting t everywhere (compute and input beats), or nullopt.
std::optional<std::vector<Parallelism>> plan_for(const Network& net, int64_t t, const Device& dev, const BlockOptions& bo) {
  std::vector<Parallelism> par(net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    auto p = cheapest(net.layers[i], t, dev, bo);
    if (!p) return std::nullopt;
    par[i] = *p;
  }
  // Widen producers until every layer's input beats fit t and every Add's inputs match.
  for (int iter = 0; iter < 64 * static_cast<int>(net.layers.size()) + 64; ++iter) {
    Resolved r = resolve_segments(net, par);
    bool changed = false;
    for (std::size_t i = 0; i < net.layers.size() && !changed; ++i) {
      const Layer& l = net.layers[i];
      const int64_t in_px = int64_t{l.in.h} * l.in.w;
      if (l.kind == LayerKind::Add && r.in[i][0].size() != r.in[i][1].size()) {
        int a = source_of(net, l.inputs[0]), b = source_of(net, l.inputs[1]);
        if (a < 0 || b < 0) return std::nullopt;
        int po = std::max(par[static_cast<std::size_t>(a)].po, par[static_cast<std::size_t>(b)].po);
        par[static_cast<std::size_t>(a)].po = par[static_cast<std::size_t>(b)].po = po;
        changed = true;
        break;
      }
      int64_t beats = 0;
      std::size_t widest = 0;
      for (std::size_t k = 0; k < r.in[i].size(); ++k) {
        beats += static_cast<int64_t>(r.in[i][k].size());
        if (r.in[i][k].size() > r.in[i][widest].size()) widest = k;
      }
      if (l.kind == LayerKind::Add) beats = static_cast<int64_t>(r.in[i][0].size());
      if (in_px * beats <= t) continue;
      // Raise the source of the input with the most beats per pixel.
      int src = source_of(net, l.inputs[widest]);
      while (src <= -2) {  // a concat: descend into its input with the most beats
        const Layer& c = net.layers[static_cast<std::size_t>(-2 - src)];
        int pick = c.inputs[0];
        std::size_t most = 0;
        for (int q : c.inputs) {
          std::size_t nb = q == kNetworkInput ? 1 : r.out[static_cast<std::size_t>(q)].size();
          if (nb > most) most = nb, pick = q;
        }
        src = source_of(net, pick);
      }
      if (src < 0) return std::nullopt;
      Parallelism& sp = par[static_cast<std::size_t>(src)];
      if (sp.po >= net.layers[static_cast<std::size_t>(src)].out.c) return std::nullopt;
      int64_t nb = static_cast<int64_t>(r.out[static_cast<std::size_t>(src)].size());
      sp.po = static_cast<int>(ceil_div(net.layers[static_cast<std::size_t>(src)].out.c, std::max<int64_t>(1, nb - 1)));
      changed = true;
    }
    if (!changed) {
      for (std::size_t i = 0; i < net.layers.size(); ++i)
        if (net.layers[i].kind == LayerKind::MaxPool) fit_pool(net.layers[i], par[i], r.in[i][0].size(), t);
      return par;
    }
  }
  return std::nullopt;
}

Budget effective(const Budget& b, const Device& d) {
  return {b.dsp > 0 ? b.dsp : d.dsp, b.bram > 0 ? b.bram : d.bram18, b.lut > 0 ? b.lut : d.lut};
}

}  // namespace

double Mapping::mac_per_dsp_cycle() const {
  return dsp > 0 ? static_cast<double>(macs) / (static_cast<double>(dsp) * static_cast<double>(cycles_per_frame)) : 0.0;
}

Segmentation input_segmentation(const Network& net) { return split_channels(net.input.c, net.input.c); }

Mapping evaluate(const Network& net, const Device& dev, const std::vector<Parallelism>& par, const MapOptions& opt) {
  validate(net);
  if (par.size() != net.layers.size()) fail("evaluate: ", par.size(), " parallelism entries for ", net.layers.size(), " layers");
  Mapping m;
  m.device = dev;
  m.options = opt;
  m.macs = net.macs();
  Resolved r = resolve_segments(net, par);
  m.layers.resize(net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    LayerMap& lm = m.layers[i];
    lm.par = par[i];
    lm.in_segs = r.in[i];
    lm.out_seg = r.out[i];
    lm.cost = block_cost(net.layers[i], par[i], r.in[i], dev, opt.block);
    if (lm.cost.cycles > m.cycles_per_frame) m.cycles_per_frame = lm.cost.cycles, m.bottleneck = static_cast<int>(i);
    m.dsp += lm.cost.dsp;
    m.bram += lm.cost.bram;
    m.lut += lm.cost.lut;
    m.ff += lm.cost.ff;
  }
  // First-output times at the steady-state rate (every stream spreads its beats over T), FIFO depths.
  const double t = static_cast<double>(m.cycles_per_frame);
  const int64_t input_beats = int64_t{net.input.h} * net.input.w;
  auto beat_period = [&](int p) {
    int64_t beats = p == kNetworkInput ? input_beats : m.layers[static_cast<std::size_t>(p)].cost.out_beats;
    return t / static_cast<double>(std::max<int64_t>(1, beats));
  };
  auto first_of = [&](int p) { return p == kNetworkInput ? int64_t{0} : m.layers[static_cast<std::size_t>(p)].first_out; };
  constexpr int kPipe = 3;  // read, multiply, accumulate/requantize register stages
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    LayerMap& lm = m.layers[i];
    lm.fifo_depth.assign(l.inputs.size(), 2);
    const int p0 = l.inputs[0];
    const int64_t nb = static_cast<int64_t>(lm.in_segs[0].size());
    switch (l.kind) {
      case LayerKind::Conv:
      case LayerKind::MaxPool: {
        int64_t row = std::clamp(l.kh - 1 - l.pad_t, 0, l.in.h - 1), col = std::clamp(l.kw - 1 - l.pad_l, 0, l.in.w - 1);
        int64_t need = (row * l.in.w + col + 1) * nb;
        int64_t first_group = l.kind == LayerKind::Conv
                                  ? ceil_div(l.cin_per_group(), lm.par.pi) * ceil_div(l.taps(), lm.par.pk)
                                  : ceil_div(l.taps(), lm.par.pk);
        lm.first_out = first_of(p0) + static_cast<int64_t>(std::llround(static_cast<double>(need - 1) * beat_period(p0))) + first_group + kPipe;
        break;
      }
      case LayerKind::Dense: {
        int64_t beats = int64_t{l.in.h} * l.in.w * nb;
        lm.first_out = first_of(p0) + static_cast<int64_t>(std::llround(static_cast<double>(beats - 1) * beat_period(p0))) +
                       ceil_div(l.in.size(), lm.par.pi) + kPipe;
        break;
      }
      case LayerKind::Add:
      case LayerKind::Concat: {
        int64_t late = 0;
        for (int p : l.inputs) late = std::max(late, first_of(p));
        lm.first_out = late + 2;
        for (std::size_t k = 0; k < l.inputs.size(); ++k) {
          double skew = static_cast<double>(late - first_of(l.inputs[k])) / beat_period(l.inputs[k]);
          lm.fifo_depth[k] = static_cast<int>(std::ceil(skew)) + static_cast<int>(lm.in_segs[k].size()) + 2;
        }
        break;
      }
    }
  }
  const LayerMap& out = m.layers[static_cast<std::size_t>(net.output)];
  m.latency_cycles = out.first_out + static_cast<int64_t>(std::llround(static_cast<double>(out.cost.out_beats - 1) * beat_period(net.output))) + 1;
  return m;
}

Mapping allocate(const Network& net, const Device& dev, const MapOptions& opt) {
  validate(net);
  if (opt.block.int8_packing && !dev.supports_int8_packing())
    fail("int8 packing needs a DSP48E2 (UltraScale+) part; ", dev.name, " (", dev.family, ") has none");
  const Budget b = effective(opt.budget, dev);
  auto fits = [&](const Mapping& m) { return m.dsp <= b.dsp && m.bram <= b.bram && m.lut <= b.lut; };
  // Upper bound: the fully serial mapping; lower bound: the input stream (one pixel per cycle).
  std::vector<Parallelism> serial(net.layers.size());
  Mapping slow = evaluate(net, dev, serial, opt);
  int64_t lo = int64_t{net.input.h} * net.input.w, hi = slow.cycles_per_frame;
  if (!fits(slow)) {
    // Even the smallest mapping's memories or logic do not fit.
    fail("budget too small for any mapping of '", net.name, "' on ", dev.name, ": the most serial mapping needs ",
         slow.dsp, " DSP, ", slow.bram, " ", dev.memory_unit(), ", ", slow.lut, " LUT (budget ", b.dsp, " DSP, ", b.bram,
         " ", dev.memory_unit(), ", ", b.lut, " LUT)");
  }
  Mapping best = slow;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    auto par = plan_for(net, mid, dev, opt.block);
    std::optional<Mapping> m;
    if (par) m = evaluate(net, dev, *par, opt);
    if (m && fits(*m) && m->cycles_per_frame <= mid) {
      if (m->cycles_per_frame < best.cycles_per_frame || (m->cycles_per_frame == best.cycles_per_frame && m->dsp < best.dsp)) best = *m;
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return best;
}

}  // namespace n2d2::hw
