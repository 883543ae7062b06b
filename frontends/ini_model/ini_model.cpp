#include "frontends/ini_model/ini_model.h"

#include <filesystem>
#include <set>
#include <sstream>

#include "frontends/ini/ini_resolve.h"
#include "graph/error.h"
#include "graph/passes/passes.h"

namespace fs = std::filesystem;

namespace n2d2::ini {

namespace {

// Layer types of N2D2's INI interface that n2d2-flow does not build yet.
const std::set<std::string> kNativeLayers = {"Conv", "Deconv", "Pool", "Unpool", "Fc", "Rbf", "Softmax", "Dropout",
                                             "BatchNorm", "ElemWise", "Padding", "Resize", "Reshape", "Transpose",
                                             "Scaling", "LRN", "Normalize", "Activation", "Transformation", "FMP",
                                             "Threshold", "ObjectDet", "Anchor", "ROIPooling", "RP"};

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> r;
  for (std::string w; in >> w;) r.push_back(w);
  return r;
}

void read_globals(const Document& doc) {
  const Section* g = doc.find("");
  if (!g) return;
  SectionReader r(*g);
  for (const Property& p : g->properties)
    if (!p.name.empty() && p.name[0] == '$') r.accept(p.name);
  r.get_choice("DefaultModel", "Frame", {"Frame", "Frame_CUDA", "Transcode", "Transcode_CUDA", "Spike", "Spike_Analog",
                                         "Spike_PCM", "Spike_RRAM", "Frame_Eigen"});
  r.get_choice("DefaultDataType", "Float32", {"Float32"});
  if (r.get_bool("InsertBatchNormalization", false))
    fail(g->where.str(), ": InsertBatchNormalization=1 is not supported by n2d2-flow");
  r.finish();
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

}  // namespace

bool is_ini_path(const std::string& path) { return fs::path(path).extension() == ".ini"; }

IniModel load_ini_model(const std::string& path, const onnx::LoadOptions& opts) {
  if (!fs::exists(path)) fail(path, ": no such file");
  IniModel m;
  m.doc = resolve(Document::parse_file(path));
  const Document& doc = m.doc;
  read_globals(doc);
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
  for (const Section& s : doc.sections()) {
    if (owned.count(s.name) || (sp && s.name.rfind(sp->name + ".", 0) == 0)) continue;
    if (s.name.find(".Target") != std::string::npos) {
      if (target) fail(s.where.str(), ": [", s.name, "] a second Target: n2d2-flow scores one (the first is [", target->name, "])");
      target = &s;
      continue;
    }
    const Property* type = s.find("Type");
    if (!type) fail(s.where.str(), ": [", s.name, "] has no Type (a layer, or Type=ONNX)");
    if (type->value == "ONNX") {
      if (onnx_section) fail(s.where.str(), ": [", s.name, "] a second Type=ONNX section: n2d2-flow takes one");
      onnx_section = &s;
    } else if (kNativeLayers.count(type->value)) {
      fail_unsupported(type->where.str(), ": [", s.name, "] Type=", type->value,
                       ": INI layer sections are not supported by n2d2-flow yet; export the network to ONNX and wrap it "
                       "in a Type=ONNX section");
    } else {
      std::vector<std::string> known(kNativeLayers.begin(), kNativeLayers.end());
      known.push_back("ONNX");
      std::string hint = closest(type->value, known);
      fail(type->where.str(), ": [", s.name, "] unknown layer Type=", type->value, hint.empty() ? "" : " (did you mean " + hint + "?)");
    }
  }
  if (!onnx_section) fail(path, ": no network section (Type=ONNX)");

  SectionReader r(*onnx_section);
  r.accept("Type");
  std::string input = r.get_string("Input", sp ? sp->name : "");
  if (!sp || input != sp->name)
    fail(onnx_section->where.str(), ": [", onnx_section->name, "] Input=", input, ": must be the stimuli provider ([sp] or [env])");
  std::string file = r.require_string("File");
  fs::path onnx_path = fs::path(file).is_absolute() ? fs::path(file) : fs::path(path).parent_path() / file;
  std::vector<std::string> ignore = words(r.get_string("Ignore", ""));
  bool ignore_input_size = r.get_bool("IgnoreInputSize", false);
  if (r.get_bool("Transpose", false))
    fail(onnx_section->where.str(), ": [", onnx_section->name, "] Transpose=1 is not supported by n2d2-flow");
  r.finish();

  SectionReader spr(*sp);
  int64_t size = spr.get_int("Size", 0);
  int64_t sx = spr.get_int("SizeX", size), sy = spr.get_int("SizeY", size), nc = spr.get_int("NbChannels", 1);
  int64_t batch = opts.batch > 0 ? opts.batch : spr.get_int("BatchSize", 1);
  onnx::LoadOptions lo = opts;
  lo.batch = batch;
  lo.force_batch = true;
  m.graph = onnx::load_model(onnx_path.string(), lo);
  const Property* ign = onnx_section->find("Ignore");
  for (const std::string& name : ignore) ignore_node(m.graph, name, *ign);
  if (m.graph.inputs().size() != 1)
    fail(onnx_section->where.str(), ": ", onnx_path.string(), " has ", m.graph.inputs().size(), " inputs; the stimuli provider feeds one");
  const graph::Value& in = m.graph.value(m.graph.inputs()[0]);
  Shape want = {batch, nc, sy, sx};
  if (!ignore_input_size && in.type.rank_known && in.type.dims != want)
    fail(onnx_section->where.str(), ": unexpected size for ONNX input \"", in.name, "\": got ", in.type.str(), ", but [", sp->name,
         "] provides [", shape_str(want), "] (BatchSize x NbChannels x SizeY x SizeX; IgnoreInputSize=1 skips this check)");

  if (target) {
    m.target.section = target->name;
    m.target.value = target->name.substr(0, target->name.find(".Target"));
    SectionReader tr(*target);
    m.target.top_n = static_cast<int32_t>(tr.get_int("TopN", 1));
    if (m.target.top_n < 1) fail(target->where.str(), ": [", target->name, "] TopN must be at least 1");
    for (const char* k : {"TargetValue", "DefaultValue", "NoDisplayLabel", "ValueThreshold"}) tr.accept(k);
    if (tr.has("LabelsMapping"))
      fail(target->where.str(), ": [", target->name, "] LabelsMapping is not supported by n2d2-flow (labels are the database's)");
    tr.finish();
    std::optional<graph::ValueId> v = m.graph.find_value(m.target.value);
    if (!v) fail(target->where.str(), ": [", target->name, "] the network has no output '", m.target.value, "'");
    m.graph.set_outputs({*v});
    graph::remove_dead_nodes(m.graph);
  } else {
    m.target.value = m.graph.value(m.graph.outputs().at(0)).name;
  }
  return m;
}

}  // namespace n2d2::ini
