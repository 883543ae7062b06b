#include "quant/quantizer.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "graph/op_registry.h"
#include "graph/ops/quant_ops.h"
#include "graph/passes/passes.h"
#include "scheduler/executor.h"
#include "scheduler/plan.h"

namespace n2d2::quant {

using namespace graph;

namespace {

const Tensor* constant_f32(const Graph& g, const Node& n, std::size_t i) {
  if (!n.has_input(i)) return nullptr;
  const Value& v = g.value(n.inputs[i]);
  if (!v.is_constant()) return nullptr;
  return v.initializer->dtype() == DType::F32 ? &*v.initializer : nullptr;
}

}  // namespace

int fold_batchnorm(Graph& g) {
  auto cons = g.consumers();
  int folded = 0;
  for (NodeId id = 0; id < static_cast<NodeId>(g.num_nodes()); ++id) {
    if (g.is_removed(id)) continue;
    const Node& bn = g.node(id);
    if (bn.op_type != "BatchNormalization" || !bn.domain.empty()) continue;
    bool extra_outputs = false;
    for (std::size_t i = 1; i < bn.outputs.size(); ++i) extra_outputs = extra_outputs || bn.has_output(i);
    ValueId x = bn.inputs[0];
    NodeId pid = g.value(x).producer;
    if (extra_outputs || pid == kNoNode || cons[x].size() != 1) continue;
    const Node& conv = g.node(pid);
    if (conv.op_type != "Conv" || !conv.domain.empty()) continue;
    const Tensor* w = constant_f32(g, conv, 1);
    const Tensor* b = constant_f32(g, conv, 2);
    const Tensor *sc = constant_f32(g, bn, 1), *be = constant_f32(g, bn, 2), *mu = constant_f32(g, bn, 3),
                 *var = constant_f32(g, bn, 4);
    if (!w || !sc || !be || !mu || !var || (conv.has_input(2) && !b)) continue;
    int64_t M = w->dim(0), per = w->numel() / M;
    if (sc->numel() != M || be->numel() != M || mu->numel() != M || var->numel() != M) continue;
    double eps = bn.attrs.f("epsilon");
    Tensor nw = w->clone(), nb(DType::F32, {M});
    float* wp = nw.data_mut<float>();
    float* bp = nb.data_mut<float>();
    for (int64_t c = 0; c < M; ++c) {
      double k = sc->data<float>()[c] / std::sqrt(static_cast<double>(var->data<float>()[c]) + eps);
      for (int64_t i = 0; i < per; ++i) wp[c * per + i] = static_cast<float>(wp[c * per + i] * k);
      double b0 = b ? b->data<float>()[c] : 0.0;
      bp[c] = static_cast<float>((b0 - mu->data<float>()[c]) * k + be->data<float>()[c]);
    }
    std::string base = conv.name;
    ValueId bn_out = bn.outputs[0];
    ValueId wid = g.add_initializer(base + "_W_bnfold", nw), bid = g.add_initializer(base + "_B_bnfold", nb);
    Node& cv = g.node(pid);
    cv.inputs[1] = wid;
    if (cv.inputs.size() < 3) cv.inputs.resize(3, kNoValue);
    cv.inputs[2] = bid;
    g.remove_node(id);
    g.replace_uses(bn_out, x);
    ++folded;
  }
  if (folded) g.compact();
  return folded;
}

// --- calibration

std::string Calibration::save() const {
  std::ostringstream s;
  s.precision(17);
  s << "n2d2-flow calibration 1 images " << images << "\n";
  for (const auto& [name, h] : values) {
    s << name << "\t" << h.range() << "\t" << h.max_abs() << "\t" << h.min_value() << "\t" << h.bins();
    for (uint64_t c : h.counts()) s << " " << c;
    s << "\n";
  }
  return s.str();
}

Calibration Calibration::load(const std::string& text, const std::string& source) {
  Calibration c;
  std::istringstream in(text);
  std::string line;
  int no = 0;
  auto bad = [&](const std::string& why) { fail(source, ":", no, ": ", why); };
  while (std::getline(in, line)) {
    ++no;
    if (no == 1) {
      std::istringstream h(line);
      std::string a, b, img;
      int version = 0;
      if (!(h >> a >> b >> version >> img >> c.images) || a != "n2d2-flow" || b != "calibration" || version != 1)
        bad("not an n2d2-flow calibration file (expected 'n2d2-flow calibration 1 images N')");
      continue;
    }
    if (line.empty()) continue;
    std::size_t t1 = line.find('\t');
    if (t1 == std::string::npos || t1 == 0) bad("expected 'name<TAB>range<TAB>max<TAB>min<TAB>bins counts...'");
    std::string name = line.substr(0, t1);
    std::istringstream f(line.substr(t1 + 1));
    double range, mx, mn;
    int64_t bins;
    if (!(f >> range >> mx >> mn >> bins) || bins <= 0 || bins > (1 << 20)) bad("bad histogram header for '" + name + "'");
    std::vector<uint64_t> counts(static_cast<std::size_t>(bins));
    for (auto& v : counts)
      if (!(f >> v)) bad("histogram of '" + name + "' has fewer than " + std::to_string(bins) + " counts");
    try {
      c.values.emplace(name, Histogram::restore(range, mx, mn, std::move(counts)));
    } catch (const Error& e) {
      bad(e.what());
    }
  }
  if (no == 0) fail(source, ": empty calibration file");
  return c;
}

Calibration calibrate(const Graph& g0, const std::function<bool(Tensor&)>& next, int bins, int threads) {
  if (g0.inputs().size() != 1) fail("calibration: the model must have one input, it has ", g0.inputs().size());
  Graph g = g0;
  std::vector<ValueId> outs;
  std::vector<std::string> names;
  std::set<ValueId> seen;
  for (const Node& n : g.nodes())
    for (ValueId v : n.outputs)
      if (v != kNoValue && g.value(v).type.dtype == DType::F32 && seen.insert(v).second) {
        outs.push_back(v);
        names.push_back(g.value(v).name);
      }
  std::string in_name = g.value(g.inputs()[0]).name;
  g.set_outputs(outs);
  sched::Plan plan = sched::Plan::compile(std::move(g));
  auto ex = sched::make_executor(plan, sched::Engine::Sequential, threads);
  Calibration c;
  c.values.try_emplace(in_name, bins);
  for (const auto& n : names) c.values.try_emplace(n, bins);
  Tensor batch;
  while (next(batch)) {
    if (batch.empty() || batch.numel() == 0) break;
    std::vector<Tensor> r = ex->run({batch});
    c.values.at(in_name).add(batch.span<float>());
    for (std::size_t i = 0; i < r.size(); ++i) c.values.at(names[i]).add(r[i].span<float>());
    c.images += batch.dim(0);
  }
  if (c.images == 0) fail("calibration: the calibration set is empty");
  return c;
}

// --- quantization

namespace {

struct QVal {
  ValueId id = kNoValue;
  double scale = 1;
  bool is_signed = false;
};

std::string op_mode_name(Rescaling m) {
  switch (m) {
    case Rescaling::FloatingPoint: return "Floating-point";
    case Rescaling::FixedPoint: return "Fixed-point";
    case Rescaling::SingleShift: return "Single-shift";
    case Rescaling::DoubleShift: return "Double-shift";
  }
  return "?";
}

class Builder {
 public:
  Builder(const Graph& f, const Calibration& cal, const QuantOptions& o)
      : f_(f), cal_(cal), o_(o), cons_(f.consumers()) {}

  QuantizedModel run() {
    if (o_.nbbits < kMinBits || o_.nbbits > kMaxBits)
      fail("--nbbits must be in [", kMinBits, ", ", kMaxBits, "], got ", o_.nbbits);
    if (o_.wt_nbbits != 0 && (o_.wt_nbbits < kMinBits || o_.wt_nbbits > kMaxBits))
      fail("--wt-nbbits must be in [", kMinBits, ", ", kMaxBits, "], got ", o_.wt_nbbits);
    q_.name = f_.name;
    q_.opset_imports = f_.opset_imports;
    q_.opset_imports[kN2D2Domain] = 1;
    if (f_.inputs().size() != 1) fail("quantize: the model must have one input, it has ", f_.inputs().size());
    for (ValueId in : f_.inputs()) quantize_input(in);
    for (NodeId id : f_.topo_order()) {
      if (done_.count(id)) continue;
      node(f_.node(id));
    }
    std::vector<ValueId> outs;
    for (ValueId o : f_.outputs()) {
      const std::string& name = f_.value(o).name;
      if (auto it = float_.find(o); it != float_.end()) {
        outs.push_back(it->second);
      } else if (auto q = map_.find(o); q != map_.end()) {
        Attributes a;
        a.set("scale", static_cast<float>(q->second.scale));
        outs.push_back(add(kN2D2Domain, "Dequantize", name + "_dequantize", {q->second.id}, name, a));
      } else {
        fail("quantize: graph output '", name, "' is not computed by a quantizable path");
      }
    }
    q_.set_outputs(outs);
    infer_shapes(q_);
    return {std::move(q_), std::move(layers_)};
  }

 private:
  int64_t levels(bool s) const { return max_value(o_.nbbits, s); }
  int64_t wlevels() const { return max_value(o_.weight_bits(), true); }

  ValueId add(const std::string& domain, const std::string& op, const std::string& name, std::vector<ValueId> ins,
              const std::string& out_name, Attributes attrs = {}) {
    Node n;
    n.name = name;
    n.op_type = op;
    n.domain = domain;
    n.inputs = std::move(ins);
    n.attrs = std::move(attrs);
    n.outputs = {q_.add_value(out_name)};
    OpRegistry::builtin().bind(n, q_.opset(domain));
    ValueId out = n.outputs[0];
    q_.add_node(std::move(n));
    return out;
  }

  const Histogram& hist(ValueId v, const Node& n) const {
    auto it = cal_.values.find(f_.value(v).name);
    if (it == cal_.values.end() || it->second.total() == 0)
      fail("node ", n.label(), ": no calibration data for value '", f_.value(v).name, "'");
    return it->second;
  }

  // The output scale of value v from its calibration histogram; signedness from the data unless forced unsigned.
  std::pair<double, bool> out_scale(ValueId v, const Node& n, bool force_unsigned, LayerReport* r) const {
    const Histogram& h = hist(v, n);
    bool sg = !force_unsigned && h.min_value() < 0;
    double t = clip_threshold(h, o_.act_clipping, levels(sg), o_.quantile);
    if (!(t > 0)) t = 1;  // an all-zero activation: any scale
    if (r) {
      r->act_max = h.max_abs();
      r->clip = t;
      r->out_signed = sg;
      r->out_scale = t / static_cast<double>(levels(sg));
    }
    return {t / static_cast<double>(levels(sg)), sg};
  }

  QVal get(ValueId v, const Node& n) const {
    auto it = map_.find(v);
    if (it == map_.end())
      fail("node ", n.label(), ": input '", f_.value(v).name, "' is not an integer activation (constant or float input)");
    return it->second;
  }

  ValueId copy_const(ValueId v) {
    if (auto it = consts_.find(v); it != consts_.end()) return it->second;
    ValueId id = q_.add_initializer(f_.value(v).name, *f_.value(v).initializer);
    consts_[v] = id;
    return id;
  }

  // The Relu reading only `v` (v not a graph output), which the producing layer absorbs.
  const Node* absorbed_relu(ValueId v) {
    for (ValueId o : f_.outputs())
      if (o == v) return nullptr;
    if (cons_[v].size() != 1) return nullptr;
    const Node& c = f_.node(cons_[v][0]);
    if (c.op_type != "Relu" || !c.domain.empty()) return nullptr;
    done_.insert(cons_[v][0]);
    return &c;
  }

  void quantize_input(ValueId in) {
    const Value& v = f_.value(in);
    if (v.type.dtype != DType::F32) fail("quantize: input '", v.name, "' is ", dtype_name(v.type.dtype), ", not float32");
    ValueId qin = q_.add_value(v.name, v.type);
    q_.add_input(qin);
    Node dummy;
    dummy.name = v.name;
    dummy.op_type = "input";
    LayerReport r;
    r.node = v.name;
    r.op = "Quantize";
    auto [s, sg] = out_scale(in, dummy, false, &r);
    Attributes a;
    a.set("scale", static_cast<float>(s));
    a.set("nbbits", int64_t{o_.nbbits});
    a.set("signed", int64_t{sg});
    ValueId qv = add(kN2D2Domain, "Quantize", v.name + "_quantize", {qin}, v.name + "_q", a);
    // The kernels quantize with the float32 scale: keep exactly that value.
    map_[in] = {qv, static_cast<double>(static_cast<float>(s)), sg};
    r.in_scale = 1;
    r.rescaling = "-";
    layers_.push_back(r);
  }

  // Requantize `acc` (real = acc * acc_scale[c]) to out_scale: one parameter set per channel.
  QVal requantize(ValueId acc, const std::vector<double>& acc_scale, double s_out, bool sg, const std::string& name,
                  LayerReport& r) {
    std::vector<ScaleApprox> ap;
    bool fallback = false;
    for (double s : acc_scale) {
      ap.push_back(approximate_scale(s / s_out, o_.rescaling));
      fallback = fallback || ap.back().fallback;
    }
    if (fallback)  // one mode per layer: the whole layer falls back (N2D2 does so per layer)
      for (std::size_t i = 0; i < ap.size(); ++i) {
        ap[i] = approximate_scale(acc_scale[i] / s_out, RescalingMode::FixedPoint16);
        ap[i].fallback = true;
      }
    // Identical channels collapse into one parameter set.
    bool same = true;
    for (const auto& a : ap)
      same = same && a.params.scale == ap[0].params.scale && a.params.multiplier == ap[0].params.multiplier &&
             a.params.shift == ap[0].params.shift && a.params.left == ap[0].params.left;
    if (same) ap.resize(1);
    Attributes at;
    Rescaling m = ap[0].op_mode;
    at.set("mode", op_mode_name(m));
    at.set("nbbits", int64_t{o_.nbbits});
    at.set("signed", int64_t{sg});
    std::vector<float> scale;
    std::vector<int64_t> mult, shift, left;
    for (const auto& a : ap) {
      scale.push_back(a.params.scale);
      mult.push_back(a.params.multiplier);
      shift.push_back(a.params.shift);
      left.push_back(a.params.left);
      if (a.rel_error >= r.rel_error) {
        r.rel_error = a.rel_error;
        r.alpha = acc_scale[&a - ap.data()] / s_out;
        r.approx = a.value;
      }
    }
    if (m == Rescaling::FloatingPoint) at.set("scale", scale);
    if (m == Rescaling::FixedPoint) at.set("multiplier", mult);
    if (m != Rescaling::FloatingPoint) at.set("shift", shift);
    if (m == Rescaling::DoubleShift) at.set("left_shift", left);
    r.rescaling = std::string(rescaling_mode_name(ap[0].mode)) + (fallback ? " (fallback)" : "");
    r.fallbacks = fallback ? static_cast<int>(acc_scale.size()) : 0;
    r.out_scale = s_out;
    ValueId out = add(kN2D2Domain, "Requantize", name + "_requantize", {acc}, name + "_q", at);
    // The scale the integers really have: with one factor, the approximation error is carried to
    // the next layers (which compensate it) instead of being ignored; per channel it cannot be.
    double effective = ap.size() == 1 && acc_scale.size() == 1 ? acc_scale[0] / ap[0].value
                       : ap.size() == 1 && same_scales(acc_scale) ? acc_scale[0] / ap[0].value
                                                                   : s_out;
    r.out_scale = effective;
    return {out, effective, sg};
  }

  static bool same_scales(const std::vector<double>& v) {
    for (double x : v)
      if (x != v[0]) return false;
    return true;
  }

  // Conv / Gemm / MatMul: weights [M x K] (float), optional bias.
  void weighted(const Node& n) {
    bool conv = n.op_type == "Conv";
    QVal qx = get(n.inputs[0], n);
    const Tensor* w = constant_f32(f_, n, 1);
    if (!w) fail("node ", n.label(), ": weights must be a float32 constant to be quantized");
    Tensor wt = *w;  // as M x K rows
    if (n.op_type == "Gemm") {
      if (n.attrs.i("transA") != 0 || n.attrs.f("alpha") != 1.f || (n.has_input(2) && n.attrs.f("beta") != 1.f))
        fail("node ", n.label(), ": only Gemm with transA=0, alpha=1, beta=1 is quantized");
      if (n.attrs.i("transB") == 0) wt = transpose2(*w);
    } else if (n.op_type == "MatMul") {
      if (w->rank() != 2) fail("node ", n.label(), ": MatMul weights must be 2-D");
      wt = transpose2(*w);
    }
    int64_t M = wt.dim(0), K = wt.numel() / M;
    const float* wp = wt.data<float>();
    std::vector<double> wmax(static_cast<std::size_t>(M), 0.0);
    double lmax = 0;
    for (int64_t c = 0; c < M; ++c)
      for (int64_t k = 0; k < K; ++k) wmax[c] = std::max(wmax[c], std::fabs(static_cast<double>(wp[c * K + k])));
    for (double v : wmax) lmax = std::max(lmax, v);
    if (o_.wt_clipping != Clipping::Max) {  // weights clipping on the layer's |w| histogram
      Histogram h;
      h.add(wt.span<float>());
      double t = clip_threshold(h, o_.wt_clipping, wlevels(), o_.quantile);
      for (double& v : wmax) v = std::min(v, t);
      lmax = std::min(lmax, t);
    }
    if (!o_.per_channel) std::fill(wmax.begin(), wmax.end(), lmax);
    std::vector<double> sw(static_cast<std::size_t>(M));
    for (int64_t c = 0; c < M; ++c) sw[c] = wmax[c] > 0 ? wmax[c] / static_cast<double>(wlevels()) : 1.0;
    ValueId y = n.outputs[0];
    const Node* relu = absorbed_relu(y);
    ValueId out = relu ? relu->outputs[0] : y;
    LayerReport r;
    r.node = n.name;
    r.op = n.op_type + (relu ? "+Relu" : "");
    r.in_scale = qx.scale;
    r.weight_max = lmax;
    auto [s_out, sg] = out_scale(out, n, relu != nullptr, &r);
    // Per channel, shift modes cannot carry an approximation error to the next layer: each
    // channel's weight step grows (by < 2x) until its factor is exactly representable.
    if (o_.per_channel && (o_.rescaling == RescalingMode::SingleShift || o_.rescaling == RescalingMode::DoubleShift))
      for (int64_t c = 0; c < M; ++c) {
        double alpha = qx.scale * sw[c] / s_out;
        double v = shift_ceiling(alpha, o_.rescaling);
        if (v != alpha && v < 1.0) sw[c] *= v / alpha;
      }
    Shape wshape = conv ? w->shape() : Shape{M, K};
    Tensor wq(quant_storage_dtype(o_.weight_bits(), true), wshape);
    for (int64_t c = 0; c < M; ++c)
      for (int64_t k = 0; k < K; ++k) {
        int64_t v = quantize(wp[c * K + k], static_cast<float>(sw[c]), o_.weight_bits(), true);
        if (wq.dtype() == DType::I8) wq.data_mut<int8_t>()[c * K + k] = static_cast<int8_t>(v);
        else wq.data_mut<int16_t>()[c * K + k] = static_cast<int16_t>(v);
      }
    // The integer weights are round(w / float(sw)): their real step is float(sw).
    std::vector<double> acc_scale(static_cast<std::size_t>(M));
    for (int64_t c = 0; c < M; ++c) acc_scale[c] = qx.scale * static_cast<double>(static_cast<float>(sw[c]));
    std::vector<ValueId> ins = {qx.id, q_.add_initializer(n.name + "_Wq", wq)};
    const Tensor* b = n.op_type == "MatMul" ? nullptr : constant_f32(f_, n, 2);
    if (n.op_type != "MatMul" && n.has_input(2) && !b) fail("node ", n.label(), ": bias must be a float32 constant");
    if (b) {
      if (b->numel() != M) fail("node ", n.label(), ": bias of ", b->numel(), " values for ", M, " outputs");
      Tensor bq(DType::I32, {M});
      for (int64_t c = 0; c < M; ++c)
        bq.data_mut<int32_t>()[c] = saturate_i32(round_half_away(static_cast<double>(b->data<float>()[c]) / acc_scale[c]));
      ins.push_back(q_.add_initializer(n.name + "_Bq", bq));
    }
    Attributes a;
    if (conv) a = n.attrs;
    ValueId acc = add(kN2D2Domain, conv ? "QConv" : "QGemm", n.name, ins, f_.value(y).name + "_acc", a);
    map_[out] = requantize(acc, acc_scale, s_out, sg, f_.value(out).name, r);
    layers_.push_back(r);
  }

  static Tensor transpose2(const Tensor& w) {
    int64_t R = w.dim(0), C = w.dim(1);
    Tensor t(DType::F32, {C, R});
    for (int64_t i = 0; i < R; ++i)
      for (int64_t j = 0; j < C; ++j) t.data_mut<float>()[j * R + i] = w.data<float>()[i * C + j];
    return t;
  }

  void residual_add(const Node& n) {
    QVal a = get(n.inputs[0], n), b = get(n.inputs[1], n);
    double sc = std::min(a.scale, b.scale), ratio = std::max(a.scale, b.scale) / sc;
    int f = std::max(0, 14 - static_cast<int>(std::ceil(std::log2(ratio))));
    int64_t ma = static_cast<int64_t>(std::llround(std::ldexp(a.scale / sc, f)));
    int64_t mb = static_cast<int64_t>(std::llround(std::ldexp(b.scale / sc, f)));
    double s_acc = std::ldexp(sc, -f);
    Attributes at;
    at.set("a_multiplier", ma);
    at.set("b_multiplier", mb);
    ValueId y = n.outputs[0];
    ValueId acc = add(kN2D2Domain, "QAdd", n.name, {a.id, b.id}, f_.value(y).name + "_acc", at);
    const Node* relu = absorbed_relu(y);
    ValueId out = relu ? relu->outputs[0] : y;
    LayerReport r;
    r.node = n.name;
    r.op = std::string("Add") + (relu ? "+Relu" : "") + " (x" + std::to_string(ma) + ", x" + std::to_string(mb) + ")";
    r.in_scale = sc;
    auto [s_out, sg] = out_scale(out, n, relu != nullptr, &r);
    map_[out] = requantize(acc, {s_acc}, s_out, sg, f_.value(out).name, r);
    layers_.push_back(r);
  }

  void concat(const Node& n) {
    LayerReport r;
    r.node = n.name;
    r.op = "Concat";
    bool any_signed = false;
    for (ValueId v : n.inputs) any_signed = any_signed || get(v, n).is_signed;
    ValueId y = n.outputs[0];
    auto [s_out, sg] = out_scale(y, n, !any_signed, &r);
    std::vector<ValueId> ins;
    for (ValueId v : n.inputs) {
      QVal qv = get(v, n);
      if (qv.scale == s_out && qv.is_signed == sg) {
        ins.push_back(qv.id);
        continue;
      }
      LayerReport ri;
      ri.node = n.name + "/" + f_.value(v).name;
      ri.op = "Concat input";
      ri.in_scale = qv.scale;
      QVal rq = requantize(qv.id, {qv.scale}, s_out, sg, f_.value(v).name + "_to_" + n.name, ri);
      layers_.push_back(ri);
      ins.push_back(rq.id);
    }
    ValueId out = add("", "Concat", n.name, ins, f_.value(y).name + "_q", n.attrs);
    map_[y] = {out, s_out, sg};
    layers_.push_back(r);
  }

  void global_avg(const Node& n) {
    QVal qx = get(n.inputs[0], n);
    const TensorType& t = f_.value(n.inputs[0]).type;
    int64_t hw = 1;
    for (std::size_t i = 2; i < t.rank(); ++i) hw = t.dims[i] < 0 ? -1 : hw * t.dims[i];
    if (!t.rank_known || t.rank() < 3 || hw <= 0)
      fail("node ", n.label(), ": GlobalAveragePool needs known spatial dimensions, input is ", t.str());
    ValueId y = n.outputs[0];
    ValueId acc = add(kN2D2Domain, "QGlobalSumPool", n.name, {qx.id}, f_.value(y).name + "_acc");
    const Node* relu = absorbed_relu(y);
    ValueId out = relu ? relu->outputs[0] : y;
    LayerReport r;
    r.node = n.name;
    r.op = "GlobalAveragePool";
    r.in_scale = qx.scale;
    auto [s_out, sg] = out_scale(out, n, relu != nullptr || !qx.is_signed, &r);
    map_[out] = requantize(acc, {qx.scale / static_cast<double>(hw)}, s_out, sg, f_.value(out).name, r);
    layers_.push_back(r);
  }

  void node(const Node& n) {
    const std::string& op = n.op_type;
    if (!n.domain.empty()) fail("node ", n.label(), ": op of domain '", n.domain, "' cannot be quantized");
    if (op == "Conv" || op == "Gemm" || op == "MatMul") return weighted(n);
    if (op == "Add") return residual_add(n);
    if (op == "Concat") return concat(n);
    if (op == "GlobalAveragePool") return global_avg(n);
    if (op == "Relu") {
      QVal qx = get(n.inputs[0], n);
      if (!qx.is_signed) {
        map_[n.outputs[0]] = qx;
        return;
      }
      LayerReport r;
      r.node = n.name;
      r.op = "Relu";
      r.in_scale = qx.scale;
      Attributes at;  // exact: shift 0, unsigned saturation
      at.set("mode", std::string("Single-shift"));
      at.set("shift", std::vector<int64_t>{0});
      at.set("nbbits", int64_t{o_.nbbits});
      at.set("signed", int64_t{0});
      ValueId out = add(kN2D2Domain, "Requantize", n.name, {qx.id}, f_.value(n.outputs[0]).name + "_q", at);
      map_[n.outputs[0]] = {out, qx.scale, false};
      r.rescaling = "exact";
      r.out_scale = qx.scale;
      layers_.push_back(r);
      return;
    }
    if (op == "MaxPool" || op == "Flatten" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze") {
      QVal qx = get(n.inputs[0], n);
      if (op == "MaxPool" && o_.nbbits > 8) fail("node ", n.label(), ": integer MaxPool needs --nbbits <= 8");
      if (op == "MaxPool" && n.outputs.size() > 1 && n.has_output(1))
        fail("node ", n.label(), ": MaxPool indices output cannot be quantized");
      std::vector<ValueId> ins = {qx.id};
      for (std::size_t i = 1; i < n.inputs.size(); ++i) {
        if (!n.has_input(i)) { ins.push_back(kNoValue); continue; }
        if (!f_.value(n.inputs[i]).is_constant()) fail("node ", n.label(), ": input ", i, " must be constant");
        ins.push_back(copy_const(n.inputs[i]));
      }
      Node c;
      c.name = n.name;
      c.op_type = op;
      c.inputs = ins;
      c.attrs = n.attrs;
      c.outputs = {q_.add_value(f_.value(n.outputs[0]).name + "_q")};
      OpRegistry::builtin().bind(c, q_.opset(""));
      map_[n.outputs[0]] = {c.outputs[0], qx.scale, qx.is_signed};
      q_.add_node(std::move(c));
      return;
    }
    if (op == "Softmax" || op == "LogSoftmax") {  // stays float after a Dequantize
      QVal qx = get(n.inputs[0], n);
      Attributes a;
      a.set("scale", static_cast<float>(qx.scale));
      ValueId d = add(kN2D2Domain, "Dequantize", n.name + "_dequantize", {qx.id}, f_.value(n.inputs[0]).name, a);
      float_[n.outputs[0]] = add("", op, n.name, {d}, f_.value(n.outputs[0]).name, n.attrs);
      return;
    }
    fail("node ", n.label(), ": op ", op,
         " is not supported for quantization (supported: Conv, Gemm, MatMul, BatchNormalization after Conv, Relu, MaxPool, "
         "Add, Concat, GlobalAveragePool, Flatten, Reshape, Squeeze, Unsqueeze, final Softmax)");
  }

  const Graph& f_;
  const Calibration& cal_;
  const QuantOptions& o_;
  std::vector<std::vector<NodeId>> cons_;
  Graph q_;
  std::map<ValueId, QVal> map_;
  std::map<ValueId, ValueId> float_, consts_;
  std::set<NodeId> done_;
  std::vector<LayerReport> layers_;
};

}  // namespace

QuantizedModel quantize(const Graph& g, const Calibration& calib, const QuantOptions& opts) {
  return Builder(g, calib, opts).run();
}

}  // namespace n2d2::quant
