#include "frontends/ini_model/ini_model.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "frontends/ini/ini_resolve.h"
#include "frontends/ini_model/ini_weights.h"
#include "graph/error.h"
#include "graph/op_registry.h"
#include "graph/passes/passes.h"

namespace fs = std::filesystem;

namespace n2d2::ini {

namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> r;
  for (std::string w; in >> w;) r.push_back(w);
  return r;
}

NativeOptions read_globals(const Document& doc, uint64_t seed) {
  NativeOptions o;
  o.seed = seed;
  const Section* g = doc.find("");
  if (!g) return o;
  SectionReader r(*g);
  for (const Property& p : g->properties)
    if (!p.name.empty() && p.name[0] == '$') r.accept(p.name);
  r.get_choice("DefaultModel", "Frame", {"Frame", "Frame_CUDA", "Transcode", "Transcode_CUDA", "Spike", "Spike_Analog",
                                         "Spike_PCM", "Spike_RRAM", "Frame_Eigen"});
  r.get_choice("DefaultDataType", "Float32", {"Float32"});
  o.insert_batch_norm = r.get_bool("InsertBatchNormalization", false);
  r.finish();
  return o;
}

// Bypasses an ignored ONNX node (N2D2's Ignore=): its first output is replaced by its first input.
void ignore_node(graph::Graph& g, const std::string& name, const Property& where) {
  for (std::size_t i = 0; i < g.num_nodes(); ++i) {
    const graph::Node& n = g.node(static_cast<graph::NodeId>(i));
    bool match = n.name == name || (!n.outputs.empty() && g.value(n.outputs[0]).name == name);
    if (!match) continue;
    if (n.inputs.empty() || !n.has_input(0) || n.outputs.empty())
      fail(where.where.str(), ": Ignore=", name, ": the node has no input to pass through");
    graph::ValueId in = n.inputs[0], out = n.outputs[0];
    g.replace_uses(out, in);
    std::vector<graph::ValueId> outs = g.outputs();
    for (auto& o : outs)
      if (o == out) o = in;
    g.set_outputs(outs);
    g.remove_node(static_cast<graph::NodeId>(i));
    g.compact();
    return;
  }
  fail(where.where.str(), ": Ignore=", name, ": the ONNX model has no node or output of that name");
}

// Transpose=1 (N2D2: "transpose the first two dimensions of a whole graph", its X and Y): the
// graph runs on transposed maps. Its input arrives as [N, C, W, H] and a Transpose gives the
// model its [N, C, H, W]; each 4-D output is transposed back the same way (G'(x) = T(G(T(x))));
// the values keep their names, the model's own become NAME/untransposed.
graph::NodeId add_swap_hw(graph::Graph& g, graph::ValueId from, graph::ValueId to, const std::string& name) {
  graph::Node n;
  n.name = name;
  n.op_type = "Transpose";
  n.inputs = {from};
  n.outputs = {to};
  n.attrs.set("perm", std::vector<int64_t>{0, 1, 3, 2});
  graph::OpRegistry::builtin().bind(n, 13);
  return g.add_node(std::move(n));
}

void transpose_graph(graph::Graph& g, const Section& s) {
  graph::ValueId in = g.inputs()[0];
  TensorType t = g.value(in).type;
  if (!t.rank_known || t.dims.size() != 4)
    fail(s.where.str(), ": [", s.name, "] Transpose=1 needs a 4-D [N, C, H, W] ONNX input, got ", t.str());
  std::string name = g.value(in).name;
  g.value(in).name = name + "/untransposed";
  std::swap(t.dims[2], t.dims[3]);
  graph::ValueId x = g.add_value(name, t);
  add_swap_hw(g, x, in, s.name + "/Transpose_input");
  g.set_inputs({x});
  std::vector<graph::ValueId> outs;
  for (graph::ValueId o : g.outputs()) {
    TensorType ot = g.value(o).type;
    if (!ot.rank_known || ot.dims.size() != 4) {
      outs.push_back(o);
      continue;
    }
    std::string oname = g.value(o).name;
    g.value(o).name = oname + "/untransposed";
    std::swap(ot.dims[2], ot.dims[3]);
    graph::ValueId y = g.add_value(oname, ot);
    add_swap_hw(g, o, y, s.name + "/Transpose_" + oname);
    outs.push_back(y);
  }
  g.set_outputs(outs);
}

void load_onnx_section(IniModel& m, const std::string& path, const Section& onnx_section, const Section& sp, const Shape& want,
                       const onnx::LoadOptions& opts) {
  SectionReader r(onnx_section);
  r.accept("Type");
  std::string input = r.get_string("Input", sp.name);
  if (input != sp.name)
    fail(onnx_section.where.str(), ": [", onnx_section.name, "] Input=", input, ": must be the stimuli provider ([sp] or [env])");
  std::string file = r.require_string("File");
  fs::path onnx_path = fs::path(file).is_absolute() ? fs::path(file) : fs::path(path).parent_path() / file;
  std::vector<std::string> ignore = words(r.get_string("Ignore", ""));
  bool ignore_input_size = r.get_bool("IgnoreInputSize", false);
  bool transpose = r.get_bool("Transpose", false);
  r.finish();
  onnx::LoadOptions lo = opts;
  lo.batch = want[0];
  lo.force_batch = true;
  m.graph = onnx::load_model(onnx_path.string(), lo);
  const Property* ign = onnx_section.find("Ignore");
  for (const std::string& name : ignore) ignore_node(m.graph, name, *ign);
  if (m.graph.inputs().size() != 1)
    fail(onnx_section.where.str(), ": ", onnx_path.string(), " has ", m.graph.inputs().size(), " inputs; the stimuli provider feeds one");
  if (transpose) transpose_graph(m.graph, onnx_section);
  const graph::Value& in = m.graph.value(m.graph.inputs()[0]);
  if (!ignore_input_size && in.type.rank_known && in.type.dims != want)
    fail(onnx_section.where.str(), ": unexpected size for ONNX input \"", in.name, "\": got ", in.type.str(), ", but [", sp.name,
         "] provides [", shape_str(want), "] (BatchSize x NbChannels x SizeY x SizeX; IgnoreInputSize=1 skips this check)");
}

std::string comma_to_space(std::string s) {
  std::replace(s.begin(), s.end(), ',', ' ');
  return s;
}

}  // namespace

bool is_ini_path(const std::string& path) { return fs::path(path).extension() == ".ini"; }

IniModel load_ini_model(const std::string& path, const onnx::LoadOptions& opts, const IniOptions& io) {
  if (!fs::exists(path)) fail(path, ": no such file");
  IniModel m;
  m.doc = load_document(path);  // variables, templates, ConfigSection, references
  const Document& doc = m.doc;
  NativeOptions native = read_globals(doc, io.seed);
  const Section* sp = doc.find("sp") ? doc.find("sp") : doc.find("env");
  m.has_database = doc.find("database") != nullptr;
  // Sections other readers own: data, transformations, config sections, targets.
  std::set<std::string> owned = {"", "database"};
  if (sp) owned.insert(sp->name);
  for (const Section& s : doc.sections())
    if (const Property* c = s.find("ConfigSection"))
      for (const std::string& w : words(c->value)) owned.insert(w);
  for (const Section& s : doc.sections())
    if (const Property* c = s.find("LoadMore")) owned.insert(c->value);
  const Section* onnx_section = nullptr;
  const Section* target = nullptr;
  std::vector<const Section*> native_sections;
  for (const Section& s : doc.sections()) {
    if (owned.count(s.name) || doc.is_config(s.name) || (sp && s.name.rfind(sp->name + ".", 0) == 0)) continue;
    if (s.name.find(".Target") != std::string::npos) {
      if (target) fail(s.where.str(), ": [", s.name, "] a second Target: n2d2-flow scores one (the first is [", target->name, "])");
      target = &s;
      continue;
    }
    const Property* type = s.find("Type");
    if (!type) fail(s.where.str(), ": [", s.name, "] has no Type (a layer, or Type=ONNX)");
    const std::vector<std::string>& built = native_layer_types();
    if (type->value == "ONNX") {
      if (onnx_section) fail(s.where.str(), ": [", s.name, "] a second Type=ONNX section: n2d2-flow takes one");
      onnx_section = &s;
    } else if (std::find(built.begin(), built.end(), type->value) != built.end()) {
      native_sections.push_back(&s);
    } else if (is_unsupported_layer_type(type->value)) {
      fail_unsupported(type->where.str(), ": [", s.name, "] Type=", type->value, ": this N2D2 layer is not supported by n2d2-flow");
    } else {
      std::vector<std::string> known = built;
      known.push_back("ONNX");
      std::string hint = closest(type->value, known);
      fail(type->where.str(), ": [", s.name, "] unknown layer Type=", type->value, hint.empty() ? "" : " (did you mean " + hint + "?)");
    }
  }
  if (!onnx_section && native_sections.empty()) fail(path, ": no network section (Type=ONNX or layers such as Type=Conv)");
  if (!sp) fail(path, ": no stimuli provider section [sp] (or [env])");
  std::map<std::string, graph::ValueId> outputs;
  SectionReader spr(*sp);
  int64_t size = spr.get_int("Size", 0);
  int64_t sx = spr.get_int("SizeX", size), sy = spr.get_int("SizeY", size), nc = spr.get_int("NbChannels", 1);
  int64_t batch = opts.batch > 0 ? opts.batch : spr.get_int("BatchSize", 1);
  if (sx < 1 || sy < 1 || nc < 1 || batch < 1)
    fail(sp->where.str(), ": [", sp->name, "] needs SizeX, SizeY (or Size), NbChannels and BatchSize of at least 1");
  if (onnx_section) {
    load_onnx_section(m, path, *onnx_section, *sp, {batch, nc, sy, sx}, opts);
    outputs[sp->name] = m.graph.inputs()[0];
    outputs[onnx_section->name] = m.graph.outputs().at(0);
  } else {
    m.graph.name = fs::path(path).stem().string();
    graph::ValueId in = m.graph.add_value(sp->name, TensorType(DType::F32, {batch, nc, sy, sx}));
    m.graph.add_input(in);
    outputs[sp->name] = in;
  }
  if (!native_sections.empty()) {
    build_native_layers(native_sections, m.graph, outputs, m.params, native);
    // The outputs: the layers no other layer reads, in file order.
    std::set<std::string> read;
    for (const Section* s : native_sections)
      for (const std::string& w : words(comma_to_space(s->find("Input")->value))) read.insert(w);
    std::vector<graph::ValueId> outs;
    for (const Section* s : native_sections)
      if (!read.count(s->name)) outs.push_back(outputs.at(s->name));
    m.graph.set_outputs(outs);
  }
  if (!io.weights_dir.empty() && io.weights_dir != "/dev/null") import_weights(io.weights_dir, m.params, m.graph);

  if (target) {
    m.target.section = target->name;
    m.target.value = target->name.substr(0, target->name.find(".Target"));
    SectionReader tr(*target);
    m.target.top_n = static_cast<int32_t>(tr.get_int("TopN", 1));
    if (m.target.top_n < 1) fail(target->where.str(), ": [", target->name, "] TopN must be at least 1");
    for (const char* k : {"TargetValue", "DefaultValue", "NoDisplayLabel", "ValueThreshold"}) tr.accept(k);
    if (const Property* lm = target->find("LabelsMapping")) {
      std::string f = tr.get_string("LabelsMapping", "");
      if (f.empty()) fail(lm->where.str(), ": [", target->name, "] LabelsMapping is empty");
      fs::path p = fs::path(f).is_absolute() ? fs::path(f) : fs::path(lm->where.file).parent_path() / f;
      if (!fs::exists(p)) fail(lm->where.str(), ": [", target->name, "] LabelsMapping file '", p.string(), "' does not exist");
      m.target.labels_mapping = p.string();
    }
    tr.finish();
    std::optional<graph::ValueId> v = m.graph.find_value(m.target.value);
    if (!v) fail(target->where.str(), ": [", target->name, "] the network has no output '", m.target.value, "'");
    m.graph.set_outputs({*v});
    // Removing nodes renumbers values: the parameter layers follow their initializers by name.
    auto name_of = [&](graph::ValueId id) { return id == graph::kNoValue ? std::string() : m.graph.value(id).name; };
    std::vector<std::array<std::string, 5>> names;
    for (const ParamLayer& p : m.params) names.push_back({name_of(p.weights), name_of(p.bias), name_of(p.scale), name_of(p.mean), name_of(p.variance)});
    graph::remove_dead_nodes(m.graph);
    std::vector<ParamLayer> kept;
    for (std::size_t i = 0; i < m.params.size(); ++i) {
      auto id = [&](const std::string& n) { return n.empty() ? std::optional<graph::ValueId>(graph::kNoValue) : m.graph.find_value(n); };
      ParamLayer p = m.params[i];
      auto w = id(names[i][0]), b = id(names[i][1]), sc = id(names[i][2]), mu = id(names[i][3]), var = id(names[i][4]);
      if (!w || !b || !sc || !mu || !var) continue;  // the layer does not feed the target
      p.weights = *w, p.bias = *b, p.scale = *sc, p.mean = *mu, p.variance = *var;
      kept.push_back(p);
    }
    m.params = kept;
  } else {
    m.target.value = m.graph.value(m.graph.outputs().at(0)).name;
  }
  return m;
}

}  // namespace n2d2::ini
