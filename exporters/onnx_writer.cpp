#include "exporters/onnx_writer.h"

#include <set>

#include "frontends/io/npy.h"
#include "onnx/onnx_pb.h"

namespace n2d2::exporters {

namespace {

int32_t onnx_code(DType t) {
  switch (t) {
    case DType::F32: return 1;
    case DType::U8: return 2;
    case DType::I8: return 3;
    case DType::U16: return 4;
    case DType::I16: return 5;
    case DType::I32: return 6;
    case DType::I64: return 7;
    case DType::Bool: return 9;
    case DType::F16: return 10;
    case DType::F64: return 11;
    case DType::U32: return 12;
    case DType::U64: return 13;
    case DType::BF16: return 16;
    default: return 0;
  }
}

void fill_tensor(::onnx::TensorProto& p, const std::string& name, const Tensor& t) {
  p.set_name(name);
  p.set_data_type(onnx_code(t.dtype()));
  for (int64_t d : t.shape()) p.add_dims(d);
  p.set_raw_data(std::string(static_cast<const char*>(t.raw()), t.nbytes()));
}

void fill_value_info(::onnx::ValueInfoProto& v, const graph::Value& val) {
  v.set_name(val.name);
  auto* tt = v.mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx_code(val.type.dtype));
  if (!val.type.rank_known) return;
  auto* shape = tt->mutable_shape();
  for (std::size_t i = 0; i < val.type.rank(); ++i) {
    auto* d = shape->add_dim();
    if (val.type.dims[i] >= 0) d->set_dim_value(val.type.dims[i]);
    else if (i < val.type.dim_names.size() && !val.type.dim_names[i].empty()) d->set_dim_param(val.type.dim_names[i]);
  }
}

void fill_attribute(::onnx::AttributeProto& a, const std::string& name, const graph::AttrValue& v) {
  a.set_name(name);
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, int64_t>) {
          a.set_type(::onnx::AttributeProto::INT);
          a.set_i(x);
        } else if constexpr (std::is_same_v<T, float>) {
          a.set_type(::onnx::AttributeProto::FLOAT);
          a.set_f(x);
        } else if constexpr (std::is_same_v<T, std::string>) {
          a.set_type(::onnx::AttributeProto::STRING);
          a.set_s(x);
        } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
          a.set_type(::onnx::AttributeProto::INTS);
          for (auto e : x) a.add_ints(e);
        } else if constexpr (std::is_same_v<T, std::vector<float>>) {
          a.set_type(::onnx::AttributeProto::FLOATS);
          for (auto e : x) a.add_floats(e);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          a.set_type(::onnx::AttributeProto::STRINGS);
          for (const auto& e : x) a.add_strings(e);
        } else if constexpr (std::is_same_v<T, Tensor>) {
          a.set_type(::onnx::AttributeProto::TENSOR);
          fill_tensor(*a.mutable_t(), name, x);
        }
      },
      v);
}

}  // namespace

std::string onnx_bytes(const graph::Graph& g) {
  ::onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("n2d2-flow");
  for (const auto& [domain, version] : g.opset_imports) {
    auto* o = m.add_opset_import();
    o->set_domain(domain);
    o->set_version(version);
  }
  auto* gp = m.mutable_graph();
  gp->set_name(g.name.empty() ? "n2d2_flow" : g.name);
  std::set<graph::ValueId> inputs(g.inputs().begin(), g.inputs().end()), written;
  for (graph::ValueId v : g.inputs()) fill_value_info(*gp->add_input(), g.value(v));
  for (graph::ValueId v : g.outputs()) fill_value_info(*gp->add_output(), g.value(v));
  // Nodes in their stored order when it is topological (a loaded model keeps its order), else in
  // a topological one, as ONNX requires.
  std::vector<graph::NodeId> order;
  std::vector<bool> ready(g.num_values(), false);
  bool stored_ok = true;
  for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g.num_nodes()); ++id) {
    const graph::Node& n = g.node(id);
    for (graph::ValueId v : n.inputs)
      if (v != graph::kNoValue && g.value(v).producer != graph::kNoNode && !ready[static_cast<std::size_t>(v)])
        stored_ok = false;
    for (graph::ValueId v : n.outputs)
      if (v != graph::kNoValue) ready[static_cast<std::size_t>(v)] = true;
    order.push_back(id);
  }
  if (!stored_ok) order = g.topo_order();
  for (graph::NodeId id : order) {
    const graph::Node& n = g.node(id);
    auto* np = gp->add_node();
    np->set_name(n.name);
    np->set_op_type(n.op_type);
    if (!n.domain.empty()) np->set_domain(n.domain);
    for (graph::ValueId v : n.inputs) {
      np->add_input(v == graph::kNoValue ? "" : g.value(v).name);
      if (v != graph::kNoValue && g.value(v).is_constant() && !inputs.count(v) && written.insert(v).second)
        fill_tensor(*gp->add_initializer(), g.value(v).name, *g.value(v).initializer);
    }
    for (graph::ValueId v : n.outputs) np->add_output(v == graph::kNoValue ? "" : g.value(v).name);
    for (const auto& [name, value] : n.attrs.all()) fill_attribute(*np->add_attribute(), name, value);
  }
  std::string bytes;
  if (!m.SerializeToString(&bytes)) fail("ONNX export: serialization failed");
  return bytes;
}

void write_onnx(const graph::Graph& g, const std::string& path) { io::write_file_atomic(path, onnx_bytes(g)); }

}  // namespace n2d2::exporters
