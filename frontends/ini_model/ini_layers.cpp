#include "frontends/ini_model/ini_layers.h"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

#include "frontends/ini_model/ini_fillers.h"
#include "graph/error.h"
#include "graph/op_registry.h"

namespace n2d2::ini {

namespace {

using graph::Attributes;
using graph::kNoValue;
using graph::ValueId;

constexpr int64_t kOpset = 13;

const std::vector<std::string> kBuilt = {"Conv", "Pool", "Fc", "BatchNorm", "ElemWise", "Softmax", "Dropout", "Padding",
                                         "Resize", "Reshape", "Transpose", "Scaling", "Activation"};
const std::set<std::string> kUnsupported = {"Deconv", "Unpool", "Rbf", "LRN", "Normalize", "Transformation", "FMP",
                                            "Threshold", "ObjectDet", "Anchor", "ROIPooling", "RP", "LSTM", "Distance"};

// Training-only or bookkeeping properties accepted (and ignored at inference) in any layer.
const std::vector<std::string> kIgnoredPrefixes = {"Solvers.", "WeightsSolver.", "BiasSolver.", "ScaleSolver.",
                                                   "QWeight", "QAct", "Activation.Quantizer"};
const std::vector<std::string> kIgnored = {"Model", "ConfigSection", "BackPropagate", "MovingAverageMomentum",
                                           "WeightsSharing", "BiasesSharing"};

std::vector<std::string> split_list(const std::string& s, bool commas) {
  std::string t = s;
  if (commas) std::replace(t.begin(), t.end(), ',', ' ');
  std::istringstream in(t);
  std::vector<std::string> r;
  for (std::string w; in >> w;) r.push_back(w);
  return r;
}

class LayerBuilder {
 public:
  LayerBuilder(graph::Graph& g, std::map<std::string, ValueId>& outputs, std::vector<ParamLayer>& params,
               const NativeOptions& o)
      : g_(g), outputs_(outputs), params_(params), opts_(o), reg_(graph::OpRegistry::builtin()) {}

  void build_all(const std::vector<const Section*>& layers) {
    for (const Section* s : layers) sections_[s->name] = s;
    for (const Section* s : layers) build(*s);
  }

 private:
  // ----- graph helpers
  [[noreturn]] void bad(const Section& s, const std::string& why) const { fail(s.where.str(), ": [", s.name, "] ", why); }

  ValueId node(const Section& s, const std::string& op, std::vector<ValueId> ins, Attributes a = {}) {
    graph::Node n;
    int k = node_names_[s.name + "/" + op]++;
    n.name = s.name + "/" + op + (k ? "_" + std::to_string(k) : "");
    n.op_type = op;
    n.inputs = std::move(ins);
    n.attrs = std::move(a);
    ValueId out = g_.add_value(n.name);
    n.outputs = {out};
    try {
      reg_.bind(n, kOpset);
      std::vector<TensorType> t = reg_.infer(g_, n);
      g_.value(out).type = t.at(0);
    } catch (const Error& e) {
      bad(s, std::string(op) + ": " + e.what());
    }
    g_.add_node(std::move(n));
    return out;
  }

  ValueId constant(const Section& s, const std::string& what, Tensor t) {
    return g_.add_initializer(s.name + "." + what, std::move(t));
  }
  ValueId scalar(const Section& s, const std::string& what, float v) {
    return constant(s, what + std::to_string(counter_[s.name]++), Tensor::scalar<float>(v));
  }

  const Shape& shape_of(const Section& s, ValueId v) const {
    const TensorType& t = g_.value(v).type;
    if (!t.fully_known()) bad(s, "input " + g_.value(v).name + " has an unknown shape " + t.str());
    return t.dims;
  }
  Shape shape4(const Section& s, ValueId v) const {
    Shape d = shape_of(s, v);
    if (d.size() != 4) bad(s, "needs a 4-D input [N, C, H, W], got " + g_.value(v).type.str() + " from " + g_.value(v).name);
    return d;
  }

  // ----- sections in dependency order
  void build(const Section& s) {
    if (outputs_.count(s.name)) return;
    if (std::find(stack_.begin(), stack_.end(), s.name) != stack_.end()) {
      std::string chain;
      for (const auto& n : stack_) chain += n + " -> ";
      bad(s, "Input cycle: " + chain + s.name);
    }
    stack_.push_back(s.name);
    std::vector<ValueId> ins;
    std::vector<std::string> names;
    const Property* in = s.find("Input");
    if (!in || split_list(in->value, true).empty()) bad(s, "has no Input=");
    for (const std::string& name : split_list(in->value, true)) {
      if (!outputs_.count(name)) {
        auto it = sections_.find(name);
        if (it == sections_.end()) {
          std::vector<std::string> known;
          for (const auto& kv : outputs_) known.push_back(kv.first);
          for (const auto& kv : sections_) known.push_back(kv.first);
          std::string hint = closest(name, known);
          fail(in->where.str(), ": [", s.name, "] Input=", name, ": no such layer", hint.empty() ? "" : " (did you mean " + hint + "?)");
        }
        build(*it->second);
      }
      ins.push_back(outputs_.at(name));
      names.push_back(name);
    }
    stack_.pop_back();
    ValueId out = build_layer(s, ins, names);
    g_.value(out).name = s.name;
    outputs_[s.name] = out;
  }

  ValueId build_layer(const Section& s, const std::vector<ValueId>& ins, const std::vector<std::string>& names) {
    SectionReader r(s);
    r.accept("Input");
    r.accept("Type");
    for (const auto& k : kIgnored) r.accept(k);
    for (const Property& p : s.properties)
      for (const auto& pre : kIgnoredPrefixes)
        if (p.name.rfind(pre, 0) == 0) r.accept(p.name);
    r.get_choice("DataType", "Float32", {"Float32"});
    const std::string type = s.find("Type")->value;
    ValueId out;
    if (type == "Conv") out = conv(s, r, ins, names);
    else if (type == "Pool") out = pool(s, r, ins, names);
    else if (type == "Fc") out = fc(s, r, ins);
    else if (type == "BatchNorm") out = batchnorm(s, r, concat(s, ins), "Tanh", true);
    else if (type == "ElemWise") out = elemwise(s, r, ins);
    else if (type == "Softmax") out = softmax(s, r, concat(s, ins));
    else if (type == "Dropout") {
      r.get_int("NbOutputs", 0);
      r.get_double("Dropout", 0.5);
      out = activation(s, r, node(s, "Identity", {concat(s, ins)}), "");
    } else if (type == "Padding") out = padding(s, r, concat(s, ins));
    else if (type == "Resize") out = resize(s, r, concat(s, ins));
    else if (type == "Reshape") out = reshape(s, r, concat(s, ins));
    else if (type == "Transpose") out = transpose(s, r, concat(s, ins));
    else if (type == "Scaling") {
      r.get_int("NbOutputs", 0);
      double f = r.get_double("Factor", 1.0);
      if (!r.has("Factor")) bad(s, "needs a Factor= property");
      out = activation(s, r, node(s, "Mul", {concat(s, ins), scalar(s, "factor", static_cast<float>(f))}), "");
    } else if (type == "Activation") {
      r.get_int("NbOutputs", 0);
      out = activation(s, r, concat(s, ins), "Linear");
    } else {
      bad(s, "Type=" + type + " is not a layer n2d2-flow builds");
    }
    r.finish(known_names(type));
    return out;
  }

  // Every property a layer type knows, for the suggestion on an unknown one.
  static std::vector<std::string> known_names(const std::string& type) {
    std::vector<std::string> r = {"NbOutputs", "ActivationFunction", "ActivationFunction.LeakSlope", "ActivationFunction.Clipping",
                                  "ActivationFunction.Alpha", "ActivationFunction.Threshold", "DataType"};
    auto dims = [&](const std::string& base, const std::string& x, const std::string& y) {
      for (const std::string& suffix : {std::string("Dims"), std::string(""), std::string("Size"), x, y}) r.push_back(base + suffix);
    };
    if (type == "Conv" || type == "Pool") {
      dims(type == "Conv" ? "Kernel" : "Pool", "Width", "Height");
      dims("Stride", "X", "Y");
      dims("Padding", "X", "Y");
      for (const char* m : {"Mapping.NbGroups", "Mapping.ChannelsPerGroup", "Mapping.Size", "Mapping.SizeX", "Mapping.SizeY",
                            "Mapping.Stride", "Mapping.StrideX", "Mapping.StrideY", "Mapping.Offset", "Mapping.OffsetX",
                            "Mapping.OffsetY", "Mapping.NbIterations"})
        r.push_back(m);
    }
    if (type == "Conv") {
      dims("Dilation", "X", "Y");
      dims("SubSample", "X", "Y");
    }
    if (type == "Pool") r.push_back("Pooling");
    if (type == "Conv" || type == "Fc") {
      for (const char* f : {"NoBias", "WeightsFiller", "BiasFiller", "WeightsExportFormat", "WeightsExportFlip", "DropConnect"})
        r.push_back(f);
      for (const char* f : {"WeightsFiller", "BiasFiller"})
        for (const char* o : {".Value", ".Mean", ".StdDev", ".Min", ".Max", ".VarianceNorm", ".Distribution", ".Scaling"})
          r.push_back(std::string(f) + o);
    }
    if (type == "BatchNorm") r.push_back("Epsilon");
    if (type == "ElemWise") r.insert(r.end(), {"Operation", "Weights", "Shifts"});
    if (type == "Softmax") r.insert(r.end(), {"WithLoss", "GroupSize"});
    if (type == "Padding") r.insert(r.end(), {"TopPadding", "BottomPadding", "LeftPadding", "RightPadding"});
    if (type == "Resize") r.insert(r.end(), {"OutputWidth", "OutputHeight", "Mode", "AlignCorners"});
    if (type == "Reshape") r.push_back("Dims");
    if (type == "Transpose") r.push_back("Perm");
    if (type == "Scaling") r.push_back("Factor");
    if (type == "Dropout") r.push_back("Dropout");
    return r;
  }

  // Several inputs: concatenated along the channels, as N2D2 does.
  ValueId concat(const Section& s, const std::vector<ValueId>& ins) {
    if (ins.size() == 1) return ins[0];
    Attributes a;
    a.set("axis", int64_t{1});
    return node(s, "Concat", ins, a);
  }

  // ----- N2D2's dimension properties: <X>Dims (list, width first), <X>Size/<X> (square),
  // <X>Width|X / <X>Height|Y. Returns {h, w}.
  std::vector<int64_t> dims2(const Section& s, SectionReader& r, const std::string& dims, const std::string& square,
                             const std::string& x, const std::string& y, const std::string& z, int64_t def, bool required) {
    int64_t w = def, h = def;
    if (r.has(dims)) {
      std::vector<std::string> v = split_list(r.get_string(dims, ""), true);
      if (v.size() != 2)
        bad(s, dims + "=" + s.find(dims)->value + ": n2d2-flow builds 2-D layers (two values, width first)");
      auto a = parse_int(v[0]), b = parse_int(v[1]);
      if (!a || !b) bad(s, dims + "=" + s.find(dims)->value + ": not integers");
      w = *a;
      h = *b;
    } else if (r.has(square)) {
      w = h = r.get_int(square, def);
    } else {
      if (required && (!r.has(x) || !r.has(y))) bad(s, "needs " + dims + "=, " + square + "= or " + x + "= and " + y + "=");
      w = r.get_int(x, def);
      h = r.get_int(y, def);
    }
    if (!z.empty() && r.has(z)) bad(s, z + ": 3-D layers are not supported by n2d2-flow");
    return {h, w};
  }

  // ----- activations (ActivationFunction=..., default `def`, "" = none)
  ValueId activation(const Section& s, SectionReader& r, ValueId x, const std::string& def) {
    std::string kind = r.get_choice("ActivationFunction", def.empty() ? "Linear" : def,
                                    {"Linear", "Rectifier", "Logistic", "LogisticWithLoss", "Tanh", "TanhLeCun", "Saturation",
                                     "Softplus", "Swish"});
    const std::string p = "ActivationFunction.";
    auto clip = [&](ValueId v, std::optional<float> lo, std::optional<float> hi) {
      return node(s, "Clip", {v, lo ? scalar(s, "clip_min", *lo) : kNoValue, hi ? scalar(s, "clip_max", *hi) : kNoValue});
    };
    if (kind == "Linear") {
      double c = r.get_double(p + "Clipping", 0.0);
      return c > 0 ? clip(x, static_cast<float>(-c), static_cast<float>(c)) : x;
    }
    if (kind == "Rectifier") {
      double slope = r.get_double(p + "LeakSlope", 0.0), c = r.get_double(p + "Clipping", 0.0);
      ValueId y;
      if (slope != 0.0) {
        Attributes a;
        a.set("alpha", static_cast<float>(slope));
        y = node(s, "LeakyRelu", {x}, a);
        if (c > 0) y = clip(y, std::nullopt, static_cast<float>(c));
      } else if (c > 0) {
        y = clip(x, 0.f, static_cast<float>(c));
      } else {
        y = node(s, "Relu", {x});
      }
      return y;
    }
    if (kind == "Logistic" || kind == "LogisticWithLoss") return node(s, "Sigmoid", {x});
    if (kind == "Tanh") {
      double alpha = r.get_double(p + "Alpha", 1.0);
      if (alpha != 1.0) x = node(s, "Mul", {x, scalar(s, "alpha", static_cast<float>(alpha))});
      return node(s, "Tanh", {x});
    }
    if (kind == "TanhLeCun") {  // 1.7159 tanh(2/3 x)
      ValueId y = node(s, "Tanh", {node(s, "Mul", {x, scalar(s, "alpha", 2.f / 3.f)})});
      return node(s, "Mul", {y, scalar(s, "gain", 1.7159f)});
    }
    if (kind == "Saturation") {
      double t = r.get_double(p + "Threshold", 1.0);
      return clip(x, static_cast<float>(-t), static_cast<float>(t));
    }
    if (kind == "Softplus") return node(s, "Softplus", {x});
    return node(s, "Mul", {x, node(s, "Sigmoid", {x})});  // Swish
  }

  // ----- mappings (manual: Mapping.NbGroups, Mapping.ChannelsPerGroup, Mapping(parent) matrix,
  // Mapping[(parent)].Size/SizeX/SizeY/Stride/StrideX/StrideY/Offset/OffsetX/OffsetY/NbIterations).
  struct MapFn {
    int64_t sx = 1, sy = 1, stx = 1, sty = 1, ox = 0, oy = 0, it = 0;
  };
  MapFn map_fn(SectionReader& r, const std::string& name, const MapFn& d) {
    MapFn m = d;
    if (r.has(name + ".Size")) m.sx = m.sy = r.get_int(name + ".Size", 1);
    else {
      m.sx = r.get_int(name + ".SizeX", d.sx);
      m.sy = r.get_int(name + ".SizeY", d.sy);
    }
    if (r.has(name + ".Stride")) m.stx = m.sty = r.get_int(name + ".Stride", 1);
    else {
      m.stx = r.get_int(name + ".StrideX", d.stx);
      m.sty = r.get_int(name + ".StrideY", d.sty);
    }
    if (r.has(name + ".Offset")) m.ox = m.oy = r.get_int(name + ".Offset", 0);
    else {
      m.ox = r.get_int(name + ".OffsetX", d.ox);
      m.oy = r.get_int(name + ".OffsetY", d.oy);
    }
    m.it = r.get_int(name + ".NbIterations", d.it);
    return m;
  }

  bool has_prefix(const Section& s, const std::string& pre) const {
    for (const Property& p : s.properties)
      if (p.name.rfind(pre, 0) == 0) return true;
    return false;
  }

  // [outputs x channels] connections of one parent; `pool_default`: no mapping property means
  // one-to-one (Pool), else all connected (Conv).
  std::vector<uint8_t> parent_map(const Section& s, SectionReader& r, const std::string& parent, int64_t O, int64_t C,
                                  bool pool_default) {
    std::vector<uint8_t> m(static_cast<std::size_t>(O * C), 0);
    auto at = [&](int64_t o, int64_t c) -> uint8_t& { return m[static_cast<std::size_t>(o * C + c)]; };
    if (r.has("Mapping.NbGroups") || r.has("Mapping.ChannelsPerGroup")) {
      if (r.has("Mapping.NbGroups") && r.has("Mapping.ChannelsPerGroup"))
        bad(s, "Mapping.NbGroups and Mapping.ChannelsPerGroup are mutually exclusive");
      int64_t groups, per;
      if (r.has("Mapping.NbGroups")) {
        groups = r.get_int("Mapping.NbGroups", 1);
        if (groups < 1) bad(s, "Mapping.NbGroups must be at least 1");
        per = C / groups;
      } else {
        per = r.get_int("Mapping.ChannelsPerGroup", 1);
        if (per < 1) bad(s, "Mapping.ChannelsPerGroup must be at least 1");
        groups = C / per;
      }
      if (groups < 1 || C % groups != 0) bad(s, "Mapping: " + std::to_string(C) + " input channels do not split into groups");
      int64_t out_off = 0, ch_off = 0;
      for (int64_t gi = 0; gi < groups; ++gi) {
        int64_t osize = (O - out_off) / (groups - gi);
        for (int64_t o = out_off; o < out_off + osize; ++o)
          for (int64_t c = ch_off; c < ch_off + per; ++c) at(o, c) = 1;
        out_off += osize;
        ch_off += per;
      }
      return m;
    }
    std::string matrix = "Mapping(" + parent + ")";
    if (r.has(matrix)) {
      const Property* p = s.find(matrix);
      std::vector<std::string> v = split_list(r.get_string(matrix, ""), false);
      if (static_cast<int64_t>(v.size()) != O * C)
        fail(p->where.str(), ": [", s.name, "] ", matrix, " has ", v.size(), " values, expected ", C, " rows (input channels) of ",
             O, " (outputs)");
      for (int64_t c = 0; c < C; ++c)
        for (int64_t o = 0; o < O; ++o) {
          const std::string& x = v[static_cast<std::size_t>(c * O + o)];
          if (x != "0" && x != "1") fail(p->where.str(), ": [", s.name, "] ", matrix, ": '", x, "' is not 0 or 1");
          at(o, c) = x == "1";
        }
      return m;
    }
    bool fn = has_prefix(s, "Mapping.") || has_prefix(s, matrix + ".");
    if (!fn) {
      if (pool_default) {
        if (O != C) bad(s, "NbOutputs=" + std::to_string(O) + " differs from the " + std::to_string(C) +
                               " input channels: give a Mapping");
        for (int64_t o = 0; o < O; ++o) at(o, o) = 1;
      } else {
        std::fill(m.begin(), m.end(), 1);
      }
      return m;
    }
    MapFn f = map_fn(r, matrix, map_fn(r, "Mapping", MapFn{}));
    if (f.it == 0) f.it = std::max(O, C);
    if (f.sy == 0) f.sy = C;
    if (f.sx == 0) f.sx = O;
    int64_t x = f.ox, y = f.oy;
    for (int64_t i = 0; i < f.it; ++i, x += f.stx, y += f.sty)
      for (int64_t px = 0; px < f.sx; ++px)
        for (int64_t py = 0; py < f.sy; ++py) at((x + px) % O, (y + py) % C) = 1;
    return m;
  }

  // The stacked map of all parents: [O x sum(C_i)].
  std::vector<uint8_t> layer_map(const Section& s, SectionReader& r, const std::vector<ValueId>& ins,
                                 const std::vector<std::string>& names, int64_t O, bool pool_default, int64_t& total_c) {
    std::vector<int64_t> cs;
    total_c = 0;
    for (ValueId v : ins) {
      cs.push_back(shape4(s, v)[1]);
      total_c += cs.back();
    }
    std::vector<uint8_t> m(static_cast<std::size_t>(O * total_c), 0);
    int64_t off = 0;
    for (std::size_t i = 0; i < ins.size(); ++i) {
      // The stimuli provider is "env" in N2D2's mapping names; its section name works too.
      std::string parent = names[i];
      if (g_.value(ins[i]).producer == graph::kNoNode && !r.has("Mapping(" + parent + ")") && r.has("Mapping(env)")) parent = "env";
      std::vector<uint8_t> pm = parent_map(s, r, parent, O, cs[i], pool_default);
      for (int64_t o = 0; o < O; ++o)
        for (int64_t c = 0; c < cs[i]; ++c) m[static_cast<std::size_t>(o * total_c + off + c)] = pm[static_cast<std::size_t>(o * cs[i] + c)];
      off += cs[i];
    }
    return m;
  }

  // ----- fillers
  Tensor filled(const Section& s, SectionReader& r, const std::string& prefix, const Filler& def, Shape shape,
                int64_t fan_in, int64_t fan_out) {
    Filler f = read_filler(r, prefix, def);
    std::vector<float> v = fill(f, static_cast<std::size_t>(shape_numel(shape)), fan_in, fan_out, opts_.seed, s.name, prefix);
    return Tensor::from_vector<float>(std::move(shape), v);
  }
  static Filler normal_default() {
    Filler f;
    f.kind = Filler::Kind::Normal;
    f.std_dev = 0.05;
    return f;
  }

  // ----- layers
  ValueId conv(const Section& s, SectionReader& r, const std::vector<ValueId>& ins, const std::vector<std::string>& names) {
    std::vector<int64_t> k = dims2(s, r, "KernelDims", "KernelSize", "KernelWidth", "KernelHeight", "KernelDepth", 1, true);
    std::vector<int64_t> st = dims2(s, r, "StrideDims", "Stride", "StrideX", "StrideY", "StrideZ", 1, false);
    std::vector<int64_t> pad = dims2(s, r, "PaddingDims", "Padding", "PaddingX", "PaddingY", "PaddingZ", 0, false);
    std::vector<int64_t> dil = dims2(s, r, "DilationDims", "Dilation", "DilationX", "DilationY", "DilationZ", 1, false);
    std::vector<int64_t> sub = dims2(s, r, "SubSampleDims", "SubSample", "SubSampleX", "SubSampleY", "SubSampleZ", 1, false);
    if (sub[0] != 1 || sub[1] != 1) fail_unsupported(s.where.str(), ": [", s.name, "] SubSample > 1 is not supported by n2d2-flow");
    for (int64_t v : k)
      if (v < 1) bad(s, "kernel dimensions must be at least 1");
    int64_t O = r.get_int("NbOutputs", 0);
    if (!r.has("NbOutputs") || O < 1) bad(s, "needs NbOutputs= (at least 1)");
    bool no_bias = r.get_bool("NoBias", false);
    if (r.get_choice("WeightsExportFormat", "OCHW", {"OCHW", "HWCO"}) != "OCHW")
      fail_unsupported(s.where.str(), ": [", s.name, "] WeightsExportFormat=HWCO is not supported by n2d2-flow");
    if (r.get_bool("WeightsExportFlip", false))
      fail_unsupported(s.where.str(), ": [", s.name, "] WeightsExportFlip=1 is not supported by n2d2-flow");
    int64_t C = 0;
    std::vector<uint8_t> map = layer_map(s, r, ins, names, O, false, C);
    ValueId x = concat(s, ins);
    // A group pattern (block diagonal) becomes Conv's group; anything else masked weights.
    int64_t groups = 0;
    for (int64_t gr = 1; gr <= C && !groups; ++gr) {
      if (C % gr || O % gr) continue;
      bool ok = true;
      for (int64_t o = 0; o < O && ok; ++o)
        for (int64_t c = 0; c < C && ok; ++c) ok = (map[static_cast<std::size_t>(o * C + c)] != 0) == (o / (O / gr) == c / (C / gr));
      if (ok) groups = gr;
    }
    ParamLayer p;
    p.kind = ParamLayer::Kind::Conv;
    p.name = s.name;
    p.where = s.where;
    p.outputs = O;
    p.channels = C;
    p.kernel = k[0] * k[1];
    p.groups = groups ? groups : 1;
    if (!groups) p.mask = map;
    int64_t cpg = C / p.groups;
    Tensor w = filled(s, r, "WeightsFiller", normal_default(), {O, cpg, k[0], k[1]}, cpg * p.kernel, O * p.kernel / p.groups);
    if (!p.mask.empty()) {
      float* d = w.data_mut<float>();
      for (int64_t o = 0; o < O; ++o)
        for (int64_t c = 0; c < C; ++c)
          if (!p.connected(o, c)) std::fill_n(d + (o * C + c) * p.kernel, p.kernel, 0.f);
    }
    p.weights = constant(s, "weights", w);
    if (!no_bias) p.bias = constant(s, "biases", filled(s, r, "BiasFiller", normal_default(), {O}, cpg * p.kernel, O));
    else if (r.has("BiasFiller")) r.accept("BiasFiller");
    Attributes a;
    a.set("kernel_shape", k);
    a.set("strides", st);
    a.set("pads", std::vector<int64_t>{pad[0], pad[1], pad[0], pad[1]});
    a.set("dilations", dil);
    a.set("group", p.groups);
    std::vector<ValueId> cin = {x, p.weights};
    if (!no_bias) cin.push_back(p.bias);
    ValueId y = node(s, "Conv", cin, a);
    p.node = g_.value(y).name;
    params_.push_back(p);
    if (opts_.insert_batch_norm) y = inserted_batchnorm(s, y, O);
    return activation(s, r, y, "Tanh");
  }

  // InsertBatchNormalization=1: a BatchNorm after each Conv, before its activation (N2D2 names it
  // <conv>_batchnorm; its -w files use that name).
  ValueId inserted_batchnorm(const Section& s, ValueId x, int64_t O) {
    Section bn;
    bn.name = s.name + "_batchnorm";
    bn.where = s.where;
    SectionReader r(bn);
    ValueId y = batchnorm_node(bn, r, x, O);
    return y;
  }

  ValueId batchnorm_node(const Section& s, SectionReader& r, ValueId x, int64_t C) {
    ParamLayer p;
    p.kind = ParamLayer::Kind::BatchNorm;
    p.name = s.name;
    p.where = s.where;
    p.outputs = p.channels = C;
    std::vector<float> ones(static_cast<std::size_t>(C), 1.f), zeros(static_cast<std::size_t>(C), 0.f);
    p.scale = constant(s, "scales", Tensor::from_vector<float>({C}, ones));
    p.bias = constant(s, "biases", Tensor::from_vector<float>({C}, zeros));
    p.mean = constant(s, "means", Tensor::from_vector<float>({C}, zeros));
    p.variance = constant(s, "variances", Tensor::from_vector<float>({C}, ones));
    double eps = r.get_double("Epsilon", 0.0);
    Attributes a;
    a.set("epsilon", static_cast<float>(eps > 0 ? eps : 1e-5));  // 0: N2D2 takes cuDNN's minimum, 1e-5
    ValueId y = node(s, "BatchNormalization", {x, p.scale, p.bias, p.mean, p.variance}, a);
    p.node = g_.value(y).name;
    params_.push_back(p);
    return y;
  }

  ValueId batchnorm(const Section& s, SectionReader& r, ValueId x, const std::string& def_act, bool check_outputs) {
    Shape d = shape_of(s, x);
    if (d.size() < 2) bad(s, "needs an input with channels, got " + g_.value(x).type.str());
    int64_t O = r.get_int("NbOutputs", d[1]);
    if (check_outputs && O != d[1]) bad(s, "NbOutputs=" + std::to_string(O) + " but the input has " + std::to_string(d[1]) + " channels");
    return activation(s, r, batchnorm_node(s, r, x, d[1]), def_act);
  }

  ValueId pool(const Section& s, SectionReader& r, const std::vector<ValueId>& ins, const std::vector<std::string>& names) {
    std::vector<int64_t> k = dims2(s, r, "PoolDims", "PoolSize", "PoolWidth", "PoolHeight", "PoolDepth", 1, true);
    std::vector<int64_t> st = dims2(s, r, "StrideDims", "Stride", "StrideX", "StrideY", "StrideZ", 1, false);
    std::vector<int64_t> pad = dims2(s, r, "PaddingDims", "Padding", "PaddingX", "PaddingY", "PaddingZ", 0, false);
    std::string kind = r.get_choice("Pooling", "", {"Max", "Average"});
    if (kind.empty()) bad(s, "needs Pooling=Max or Pooling=Average");
    int64_t C = 0;
    for (ValueId v : ins) C += shape4(s, v)[1];
    int64_t O = r.get_int("NbOutputs", C);
    int64_t total = 0;
    std::vector<uint8_t> map = layer_map(s, r, ins, names, O, true, total);
    bool identity = O == total;
    for (int64_t o = 0; o < O && identity; ++o)
      for (int64_t c = 0; c < total && identity; ++c) identity = (map[static_cast<std::size_t>(o * total + c)] != 0) == (o == c);
    if (!identity)
      fail_unsupported(s.where.str(), ": [", s.name, "] a Pool mapping other than one-to-one (Maxout) is not supported by n2d2-flow");
    ValueId x = concat(s, ins);
    Shape d = shape4(s, x);
    ValueId y;
    if (k[0] == d[2] && k[1] == d[3] && pad[0] == 0 && pad[1] == 0) {
      y = node(s, kind == "Max" ? "GlobalMaxPool" : "GlobalAveragePool", {x});
    } else {
      Attributes a;
      a.set("kernel_shape", k);
      a.set("strides", st);
      a.set("pads", std::vector<int64_t>{pad[0], pad[1], pad[0], pad[1]});
      y = node(s, kind == "Max" ? "MaxPool" : "AveragePool", {x}, a);
    }
    return activation(s, r, y, "");
  }

  ValueId fc(const Section& s, SectionReader& r, const std::vector<ValueId>& ins) {
    ValueId x = concat(s, ins);
    Shape d = shape_of(s, x);
    if (d.size() < 2) bad(s, "needs an input [N, ...], got " + g_.value(x).type.str());
    if (d.size() > 2) {
      Attributes a;
      a.set("axis", int64_t{1});
      x = node(s, "Flatten", {x}, a);
      d = shape_of(s, x);
    }
    int64_t O = r.get_int("NbOutputs", 0);
    if (!r.has("NbOutputs") || O < 1) bad(s, "needs NbOutputs= (at least 1)");
    bool no_bias = r.get_bool("NoBias", false);
    r.get_double("DropConnect", 1.0);  // training only
    ParamLayer p;
    p.kind = ParamLayer::Kind::Fc;
    p.name = s.name;
    p.where = s.where;
    p.outputs = O;
    p.channels = d[1];
    p.weights = constant(s, "weights", filled(s, r, "WeightsFiller", normal_default(), {O, d[1]}, d[1], O));
    if (!no_bias) p.bias = constant(s, "biases", filled(s, r, "BiasFiller", normal_default(), {O}, d[1], O));
    else if (r.has("BiasFiller")) r.accept("BiasFiller");
    Attributes a;
    a.set("transB", int64_t{1});
    std::vector<ValueId> gin = {x, p.weights};
    if (!no_bias) gin.push_back(p.bias);
    ValueId y = node(s, "Gemm", gin, a);
    p.node = g_.value(y).name;
    params_.push_back(p);
    return activation(s, r, y, "Tanh");
  }

  ValueId elemwise(const Section& s, SectionReader& r, const std::vector<ValueId>& ins) {
    r.get_int("NbOutputs", 0);
    std::string op = r.get_choice("Operation", "Sum", {"Sum", "AbsSum", "EuclideanSum", "Prod", "Max"});
    if (!r.has("Operation")) bad(s, "needs Operation= (Sum, Prod or Max)");
    if (op == "AbsSum" || op == "EuclideanSum")
      fail_unsupported(s.find("Operation")->where.str(), ": [", s.name, "] Operation=", op, " is not supported by n2d2-flow");
    auto numbers = [&](const std::string& name, double def) {
      std::vector<double> v;
      if (r.has(name)) {
        for (const std::string& w : split_list(r.get_string(name, ""), true)) {
          auto x = parse_double(w);
          if (!x) fail(s.find(name)->where.str(), ": [", s.name, "] ", name, ": '", w, "' is not a number");
          v.push_back(*x);
        }
        if (v.size() != ins.size())
          fail(s.find(name)->where.str(), ": [", s.name, "] ", name, " has ", v.size(), " values for ", ins.size(), " inputs");
      } else {
        v.assign(ins.size(), def);
      }
      return v;
    };
    std::vector<double> w = numbers("Weights", 1.0), sh = numbers("Shifts", 0.0);
    std::vector<ValueId> terms = ins;
    if (op == "Sum") {
      for (std::size_t i = 0; i < terms.size(); ++i) {
        if (w[i] != 1.0) terms[i] = node(s, "Mul", {terms[i], scalar(s, "weight", static_cast<float>(w[i]))});
        if (sh[i] != 0.0) terms[i] = node(s, "Add", {terms[i], scalar(s, "shift", static_cast<float>(sh[i]))});
      }
    } else {
      for (std::size_t i = 0; i < terms.size(); ++i)
        if (w[i] != 1.0 || sh[i] != 0.0) bad(s, "Weights and Shifts apply to Operation=Sum only");
    }
    ValueId y = terms[0];
    if (terms.size() == 2) y = node(s, op == "Sum" ? "Add" : op == "Prod" ? "Mul" : "Max", terms);
    else if (terms.size() > 2) {
      if (op == "Sum") y = node(s, "Sum", terms);
      else if (op == "Max") y = node(s, "Max", terms);
      else
        for (std::size_t i = 1; i < terms.size(); ++i) y = node(s, "Mul", {y, terms[i]});
    }
    return activation(s, r, y, "");
  }

  ValueId softmax(const Section& s, SectionReader& r, ValueId x) {
    r.get_int("NbOutputs", 0);
    r.get_bool("WithLoss", false);  // training only
    if (r.get_int("GroupSize", 0) > 0) fail_unsupported(s.where.str(), ": [", s.name, "] GroupSize is not supported by n2d2-flow");
    Attributes a;
    a.set("axis", int64_t{1});
    return node(s, "Softmax", {x}, a);
  }

  ValueId padding(const Section& s, SectionReader& r, ValueId x) {
    r.get_int("NbOutputs", 0);
    shape4(s, x);
    int64_t t = r.get_int("TopPadding", 0), b = r.get_int("BottomPadding", 0), le = r.get_int("LeftPadding", 0),
            ri = r.get_int("RightPadding", 0);
    ValueId pads = constant(s, "pads", Tensor::from_vector<int64_t>({8}, {0, 0, t, le, 0, 0, b, ri}));
    return activation(s, r, node(s, "Pad", {x, pads}), "");
  }

  ValueId resize(const Section& s, SectionReader& r, ValueId x) {
    r.get_int("NbOutputs", 0);
    Shape d = shape4(s, x);
    int64_t ow = r.get_int("OutputWidth", 0), oh = r.get_int("OutputHeight", 0);
    if (ow < 1 || oh < 1) bad(s, "needs OutputWidth= and OutputHeight= (at least 1)");
    std::string mode = r.get_choice("Mode", "", {"Bilinear", "BilinearTF", "NearestNeighbor"});
    if (mode.empty()) bad(s, "needs Mode= (Bilinear, BilinearTF or NearestNeighbor)");
    bool align = r.get_bool("AlignCorners", true);
    Attributes a;
    if (mode == "NearestNeighbor") {
      a.set("mode", std::string("nearest"));
      a.set("coordinate_transformation_mode", std::string("asymmetric"));
      a.set("nearest_mode", std::string("floor"));
    } else {
      a.set("mode", std::string("linear"));
      a.set("coordinate_transformation_mode",
            std::string(mode == "BilinearTF" ? "asymmetric" : align ? "align_corners" : "half_pixel"));
    }
    ValueId sizes = constant(s, "sizes", Tensor::from_vector<int64_t>({4}, {d[0], d[1], oh, ow}));
    return activation(s, r, node(s, "Resize", {x, kNoValue, kNoValue, sizes}, a), "");
  }

  // N2D2 lists dimensions width first, without the batch: Dims=W H C -> [N, C, H, W].
  ValueId reshape(const Section& s, SectionReader& r, ValueId x) {
    r.get_int("NbOutputs", 0);
    Shape d = shape_of(s, x);
    std::vector<int64_t> dims = {d[0]};
    std::vector<std::string> v = split_list(r.get_string("Dims", ""), true);
    if (v.empty()) bad(s, "needs Dims= (width first, without the batch)");
    for (auto it = v.rbegin(); it != v.rend(); ++it) {
      auto n = parse_int(*it);
      if (!n) bad(s, "Dims: '" + *it + "' is not an integer");
      dims.push_back(*n);
    }
    ValueId shape = constant(s, "shape", Tensor::from_vector<int64_t>({static_cast<int64_t>(dims.size())}, dims));
    return activation(s, r, node(s, "Reshape", {x, shape}), "");
  }

  // N2D2's Perm is over its dimensions (x, y, channel, batch): ONNX axis a is N2D2's 3 - a.
  ValueId transpose(const Section& s, SectionReader& r, ValueId x) {
    r.get_int("NbOutputs", 0);
    shape4(s, x);
    std::vector<std::string> v = split_list(r.get_string("Perm", ""), true);
    if (v.size() != 4) bad(s, "needs Perm= with 4 values (N2D2's order: x y channel batch)");
    std::vector<int64_t> n2(4), perm(4);
    for (int i = 0; i < 4; ++i) {
      auto n = parse_int(v[static_cast<std::size_t>(i)]);
      if (!n || *n < 0 || *n > 3) bad(s, "Perm: '" + v[static_cast<std::size_t>(i)] + "' is not an axis 0..3");
      n2[static_cast<std::size_t>(i)] = *n;
    }
    for (int j = 0; j < 4; ++j) perm[static_cast<std::size_t>(j)] = 3 - n2[static_cast<std::size_t>(3 - j)];
    Attributes a;
    a.set("perm", perm);
    return activation(s, r, node(s, "Transpose", {x}, a), "");
  }

  graph::Graph& g_;
  std::map<std::string, ValueId>& outputs_;
  std::vector<ParamLayer>& params_;
  NativeOptions opts_;
  const graph::OpRegistry& reg_;
  std::map<std::string, const Section*> sections_;
  std::vector<std::string> stack_;
  std::map<std::string, int> counter_;     // constants per section
  std::map<std::string, int> node_names_;  // nodes per section and op
};

}  // namespace

const std::vector<std::string>& native_layer_types() { return kBuilt; }
bool is_unsupported_layer_type(const std::string& type) { return kUnsupported.count(type) != 0; }

void build_native_layers(const std::vector<const Section*>& layers, graph::Graph& g,
                         std::map<std::string, graph::ValueId>& outputs, std::vector<ParamLayer>& params,
                         const NativeOptions& opts) {
  if (g.opset_imports.find("") == g.opset_imports.end()) g.opset_imports[""] = kOpset;
  LayerBuilder(g, outputs, params, opts).build_all(layers);
}

}  // namespace n2d2::ini
