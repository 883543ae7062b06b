#include "frontends/onnx/onnx_loader.h"

#include <filesystem>
#include <google/protobuf/io/coded_stream.h>
#include <set>
#include <unordered_map>

#include "frontends/io/npy.h"
#include "frontends/onnx/dtype_map.h"
#include "frontends/onnx/tensor_proto.h"
#include "graph/op_registry.h"
#include "graph/passes/passes.h"

namespace n2d2::onnx {

namespace {

using ::onnx::AttributeProto;

// Errors name the attribute only: the caller adds the node.
graph::AttrValue convert_attribute(const AttributeProto& a, const std::string& base_dir, std::size_t max_bytes) {
  switch (a.type()) {
    case AttributeProto::INT: return a.i();
    case AttributeProto::FLOAT: return a.f();
    case AttributeProto::STRING: return a.s();
    case AttributeProto::INTS: return std::vector<int64_t>(a.ints().begin(), a.ints().end());
    case AttributeProto::FLOATS: return std::vector<float>(a.floats().begin(), a.floats().end());
    case AttributeProto::STRINGS: return std::vector<std::string>(a.strings().begin(), a.strings().end());
    case AttributeProto::TENSOR: return tensor_from_proto(a.t(), base_dir, max_bytes, "attribute '" + a.name() + "'");
    case AttributeProto::GRAPH:
    case AttributeProto::GRAPHS:
      fail_unsupported("attribute '", a.name(), "' is a subgraph (control flow is not supported)");
    default:
      fail_unsupported("attribute '", a.name(), "' has unsupported type ", AttributeProto::AttributeType_Name(a.type()));
  }
}

TensorType convert_type(const ::onnx::TypeProto& tp, const std::string& what) {
  if (!tp.has_tensor_type()) {
    if (tp.value_case() == ::onnx::TypeProto::VALUE_NOT_SET) return {};
    fail_unsupported(what, ": only tensor values are supported (sequence/map/optional are not)");
  }
  const auto& tt = tp.tensor_type();
  TensorType t;
  t.dtype = dtype_from_onnx(tt.elem_type());
  if (t.dtype == DType::Undefined && tt.elem_type() != 0)
    fail_unsupported(what, ": element type ", onnx_type_name(tt.elem_type()), " is not supported");
  if (tt.has_shape()) {
    t.rank_known = true;
    for (const auto& d : tt.shape().dim()) {
      if (d.has_dim_value()) {
        if (d.dim_value() < 0) fail(what, ": negative dimension ", d.dim_value());
        t.dims.push_back(d.dim_value());
        t.dim_names.emplace_back();
      } else {
        t.dims.push_back(kUnknownDim);
        t.dim_names.push_back(d.has_dim_param() ? d.dim_param() : "");
      }
    }
  }
  return t;
}

// Constant node -> tensor. Errors name the attribute only: the caller adds the node.
Tensor constant_value(const ::onnx::NodeProto& n, const std::string& base_dir, std::size_t max_bytes) {
  for (const auto& a : n.attribute()) {
    if (a.name() == "value") return tensor_from_proto(a.t(), base_dir, max_bytes, "attribute 'value'");
    if (a.name() == "value_float") return Tensor::scalar<float>(a.f());
    if (a.name() == "value_int") return Tensor::scalar<int64_t>(a.i());
    if (a.name() == "value_floats")
      return Tensor::from_vector<float>({a.floats_size()}, std::vector<float>(a.floats().begin(), a.floats().end()));
    if (a.name() == "value_ints")
      return Tensor::from_vector<int64_t>({a.ints_size()}, std::vector<int64_t>(a.ints().begin(), a.ints().end()));
    if (a.name() == "sparse_value" || a.name() == "value_string" || a.name() == "value_strings")
      fail_unsupported("Constant with '", a.name(), "' is not supported");
  }
  fail("Constant node without a value attribute");
}

class Converter {
 public:
  Converter(const std::string& base_dir, const std::string& name, const LoadOptions& o)
      : base_dir_(base_dir), name_(name), opts_(o) {}

  graph::Graph convert(const ::onnx::ModelProto& m) {
    for (const auto& op : m.opset_import()) g_.opset_imports[op.domain() == "ai.onnx" ? "" : op.domain()] = op.version();
    if (m.opset_import_size() == 0) {
      if (m.ir_version() >= 3) fail("model has no opset_import");
      g_.opset_imports[""] = 1;  // IR < 3: implied opset 1
    }
    const auto& gp = m.graph();
    g_.name = gp.name();

    for (const auto& init : gp.initializer()) {
      if (by_name_.count(init.name())) fail("initializer '", init.name(), "' is defined twice");
      define(init.name(), g_.add_initializer(init.name(), tensor_from_proto(init, base_dir_, opts_.max_tensor_bytes,
                                                                          "initializer '" + init.name() + "'")));
    }
    if (gp.sparse_initializer_size() > 0) fail_unsupported("sparse initializers are not supported");
    for (const auto& in : gp.input()) {
      if (by_name_.count(in.name())) continue;  // an initializer also listed as input (IR < 4 exporters)
      graph::ValueId v = g_.add_value(in.name(), convert_type(in.type(), "input '" + in.name() + "'"));
      define(in.name(), v);
      g_.add_input(v);
    }
    std::unordered_map<std::string, TensorType> declared;
    for (const auto& vi : gp.value_info()) declared[vi.name()] = convert_type(vi.type(), "value '" + vi.name() + "'");
    for (const auto& vi : gp.output()) declared[vi.name()] = convert_type(vi.type(), "output '" + vi.name() + "'");

    // Nodes: create output values first (nodes may be listed out of order), then wire inputs.
    std::set<std::string> node_names;
    std::vector<const ::onnx::NodeProto*> protos;
    for (int i = 0; i < gp.node_size(); ++i) {
      const auto& np = gp.node(i);
      std::string nname = np.name();
      if (nname.empty() || node_names.count(nname)) nname = np.op_type() + "_" + std::to_string(i);
      while (node_names.count(nname)) nname += "_";
      node_names.insert(nname);
      std::string where = "node '" + nname + "' (" + np.op_type() + ")";
      // What cannot be converted (subgraphs, sparse or string values) leaves the node in the graph,
      // to be listed with every other unsupported node by bind_all().
      std::string unsupported;
      auto convert = [&](const auto& f) {
        try {
          f();
        } catch (const UnsupportedError& e) {
          if (unsupported.empty()) unsupported = e.what();
        } catch (const Error& e) {
          fail(where, ": ", e.what());
        }
      };
      if (np.op_type() == "Constant" && (np.domain().empty() || np.domain() == "ai.onnx")) {
        if (np.output_size() != 1) fail(where, ": Constant must have one output");
        const std::string& out = np.output(0);
        if (by_name_.count(out)) fail(where, ": tensor '", out, "' is produced twice");
        bool done = false;
        convert([&] {
          define(out, g_.add_initializer(out, constant_value(np, base_dir_, opts_.max_tensor_bytes)));
          done = true;
        });
        if (done) continue;
      }
      graph::Node n;
      n.name = nname;
      n.op_type = np.op_type();
      n.domain = np.domain() == "ai.onnx" ? "" : np.domain();
      for (const auto& a : np.attribute())
        convert([&] { n.attrs.set(a.name(), convert_attribute(a, base_dir_, opts_.max_tensor_bytes)); });
      if (!unsupported.empty()) unconvertible_[nname] = unsupported;
      for (const auto& out : np.output()) {
        if (out.empty()) {
          n.outputs.push_back(graph::kNoValue);
          continue;
        }
        if (by_name_.count(out)) fail(where, ": tensor '", out, "' is produced twice");
        auto it = declared.find(out);
        graph::ValueId v = g_.add_value(out, it == declared.end() ? TensorType{} : it->second);
        define(out, v);
        n.outputs.push_back(v);
      }
      nodes_.push_back(std::move(n));
      protos.push_back(&np);
    }
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      for (const auto& in : protos[k]->input()) {
        if (in.empty()) {
          nodes_[k].inputs.push_back(graph::kNoValue);
          continue;
        }
        auto it = by_name_.find(in);
        if (it == by_name_.end())
          fail("node ", nodes_[k].label(), ": input '", in, "' is not a graph input, an initializer nor any node's output (missing initializer or dangling edge)");
        nodes_[k].inputs.push_back(it->second);
      }
    }
    for (const auto& out : gp.output()) {
      auto it = by_name_.find(out.name());
      if (it == by_name_.end()) fail("graph output '", out.name(), "' is produced by no node");
      g_.add_output(it->second);
    }
    for (auto& n : nodes_) g_.add_node(std::move(n));
    g_.topo_order();  // throws naming the nodes of a cycle
    bind_all();
    apply_shape_options();
    check_sizes();
    if (opts_.allow_unsupported) infer_skipping_unbound();
    else graph::infer_shapes(g_);
    return std::move(g_);
  }

 private:
  void define(const std::string& name, graph::ValueId v) { by_name_[name] = v; }

  void bind_all() {
    const auto& reg = graph::OpRegistry::builtin();
    std::string unsupported;
    int count = 0;
    for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g_.num_nodes()); ++id) {
      graph::Node& n = g_.node(id);
      int64_t opset = g_.opset(n.domain);
      auto reason = unconvertible_.find(n.name);
      try {
        if (opset == 0) fail_unsupported("node ", n.label(), ": domain '", n.domain, "' is not imported by the model");
        if (reason != unconvertible_.end()) fail_unsupported(reason->second);
        reg.bind(n, opset);
      } catch (const UnsupportedError& e) {
        if (opts_.allow_unsupported) {
          n.since_version = 0;
          continue;
        }
        unsupported += std::string("\n  ") + n.name + ": " + (n.domain.empty() ? "" : n.domain + "::") + n.op_type +
                       " (opset " + std::to_string(opset) + ")" +
                       (reason != unconvertible_.end() ? ": " + reason->second : std::string());
        ++count;
      }
    }
    if (count) fail_unsupported(count, " node", count == 1 ? "" : "s", " not supported:", unsupported);
  }

  void apply_shape_options() {
    std::string names;
    for (graph::ValueId v : g_.inputs()) names += (names.empty() ? "" : ", ") + g_.value(v).name;
    for (const auto& [name, shape] : opts_.input_shapes) {
      auto id = g_.find_value(name);
      bool is_input = false;
      for (graph::ValueId v : g_.inputs()) is_input = is_input || (id && v == *id);
      if (!is_input) fail("--shape ", name, ": the model has no input of that name (inputs: ", names, ")");
      TensorType& t = g_.value(*id).type;
      if (t.rank_known && t.rank() != shape.size())
        fail("--shape ", name, "=", shape_str(shape), ": input '", name, "' has rank ", t.rank(), " (", t.str(), ")");
      t.rank_known = true;
      t.dims = shape;
      t.dim_names.assign(shape.size(), "");
    }
    if (opts_.batch > 0) {
      int changed = 0;
      std::string fixed;
      for (graph::ValueId v : g_.inputs()) {
        TensorType& t = g_.value(v).type;
        if (opts_.input_shapes.count(g_.value(v).name) || !t.rank_known || t.rank() == 0) continue;
        if (t.dims[0] != kUnknownDim && !opts_.force_batch) {
          fixed += (fixed.empty() ? "" : ", ") + g_.value(v).name + ": " + t.str();
          continue;
        }
        t.dims[0] = opts_.batch;
        if (!t.dim_names.empty()) t.dim_names[0].clear();
        ++changed;
      }
      // Never ignore the option silently: a model exported with a fixed batch needs --shape.
      if (changed == 0)
        fail("--batch ", opts_.batch, ": no input has a dynamic first dimension (", fixed.empty() ? "no inputs" : fixed,
             "); set a shape with --shape NAME=DIMS");
    }
  }

  void check_sizes() {
    for (graph::ValueId v : g_.inputs()) {
      const TensorType& t = g_.value(v).type;
      if (!t.fully_known()) continue;
      long double bytes = dtype_size(t.dtype);
      for (int64_t d : t.dims) bytes *= static_cast<long double>(d);
      if (bytes > static_cast<long double>(opts_.max_tensor_bytes))
        fail("input '", g_.value(v).name, "' ", t.str(), " is larger than the limit of ", opts_.max_tensor_bytes, " bytes");
    }
  }

  // Shape inference for `info` on models with unsupported nodes: their outputs stay unknown.
  void infer_skipping_unbound() {
    const auto& reg = graph::OpRegistry::builtin();
    for (graph::NodeId id : g_.topo_order()) {
      const graph::Node& n = g_.node(id);
      if (is_unbound(n)) continue;
      bool known = true;
      for (graph::ValueId v : n.inputs) known = known && (v == graph::kNoValue || g_.value(v).type.dtype != DType::Undefined);
      if (!known) continue;
      try {
        auto out = reg.infer(g_, n);
        for (std::size_t i = 0; i < n.outputs.size(); ++i)
          if (n.outputs[i] != graph::kNoValue) g_.value(n.outputs[i]).type = out[i];
      } catch (const Error&) {
        // Unknown inputs from unsupported nodes upstream: leave this node's outputs unknown.
      }
    }
  }

  std::string base_dir_, name_;
  const LoadOptions& opts_;
  graph::Graph g_;
  std::vector<graph::Node> nodes_;
  std::unordered_map<std::string, graph::ValueId> by_name_;
  std::unordered_map<std::string, std::string> unconvertible_;  // node name -> why it cannot be converted
};

}  // namespace

bool is_unbound(const graph::Node& n) { return n.since_version == 0; }

graph::Graph load_model_from_bytes(const std::string& bytes, const std::string& base_dir, const std::string& name,
                                   const LoadOptions& opts) {
  if (bytes.empty()) fail(name, ": empty file, not an ONNX model");
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
    fail(name, ": ", bytes.size(), " bytes: a protobuf model cannot exceed 2 GiB (large weights go in external data)");
  ::onnx::ModelProto m;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size()));
  in.SetTotalBytesLimit(INT32_MAX);
  if (!m.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage())
    fail(name, ": not a valid ONNX model (protobuf parse failed: truncated or not ONNX)");
  if (!m.has_graph()) fail(name, ": not an ONNX model (no graph)");
  if (m.graph().node_size() == 0 && m.graph().output_size() == 0) fail(name, ": not an ONNX model (empty graph)");
  try {
    return Converter(base_dir, name, opts).convert(m);
  } catch (const UnsupportedError& e) {
    throw UnsupportedError(name + ": " + e.what());
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
}

graph::Graph load_model(const std::string& path, const LoadOptions& opts) {
  std::string bytes = io::read_file(path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  return load_model_from_bytes(bytes, dir.empty() ? "." : dir, path, opts);
}

Tensor load_tensor_pb(const std::string& path, std::string* name) {
  std::string bytes = io::read_file(path);
  ::onnx::TensorProto p;
  if (bytes.empty() || !p.ParseFromString(bytes)) fail(path, ": not an ONNX TensorProto file");
  if (name) *name = p.name();
  std::string dir = std::filesystem::path(path).parent_path().string();
  return tensor_from_proto(p, dir.empty() ? "." : dir, std::size_t{1} << 34, path);
}

}  // namespace n2d2::onnx
