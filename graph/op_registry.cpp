#include "graph/op_registry.h"

#include <algorithm>

namespace n2d2::graph {

InferContext InferContext::of(const Graph& g, const Node& node) {
  std::vector<const TensorType*> types;
  std::vector<const n2d2::Tensor*> values;
  for (ValueId v : node.inputs) {
    types.push_back(v == kNoValue ? nullptr : &g.value(v).type);
    values.push_back(v != kNoValue && g.value(v).initializer ? &*g.value(v).initializer : nullptr);
  }
  return InferContext(node, std::move(types), std::move(values));
}

const TensorType& InferContext::input_type(std::size_t i) const {
  if (!has_input(i)) fail("input ", i, " is required but absent");
  return *types_[i];
}

const Shape& InferContext::input_shape(std::size_t i) const {
  const TensorType& t = input_type(i);
  if (!t.rank_known) fail("the rank of input ", i, " is unknown");
  return t.dims;
}

void OpRegistry::add(OpSchema s) {
  auto& v = schemas_[{s.domain, s.op_type}];
  v.push_back(std::move(s));
  std::sort(v.begin(), v.end(), [](const OpSchema& a, const OpSchema& b) { return a.since_version < b.since_version; });
}

const OpSchema* OpRegistry::find(const std::string& op_type, const std::string& domain, int64_t opset) const {
  std::string d = domain == "ai.onnx" ? "" : domain;
  auto it = schemas_.find({d, op_type});
  if (it == schemas_.end()) return nullptr;
  const OpSchema* best = nullptr;
  for (const auto& s : it->second)
    if (s.since_version <= opset) best = &s;
  return best;
}

bool OpRegistry::knows(const std::string& op_type, const std::string& domain) const {
  return schemas_.count({domain == "ai.onnx" ? "" : domain, op_type}) != 0;
}

std::vector<std::string> OpRegistry::op_types() const {
  std::vector<std::string> r;
  for (const auto& [k, v] : schemas_) r.push_back(k.first.empty() ? k.second : k.first + "::" + k.second);
  return r;
}

const OpSchema& OpRegistry::bind(Node& node, int64_t opset) const {
  const OpSchema* s = find(node.op_type, node.domain, opset);
  if (!s) {
    if (knows(node.op_type, node.domain))
      fail_unsupported("node ", node.label(), ": op ", node.op_type, " is not supported at opset ", opset);
    fail_unsupported("node ", node.label(), ": op ", node.domain.empty() ? "" : node.domain + "::", node.op_type,
                     " (opset ", opset, ") is not supported");
  }
  // Trailing absent optional inputs/outputs do not count.
  std::size_t nin = node.inputs.size();
  while (nin > 0 && node.inputs[nin - 1] == kNoValue) --nin;
  if (static_cast<int>(nin) < s->min_inputs || static_cast<int>(nin) > s->max_inputs)
    fail("node ", node.label(), ": has ", nin, " inputs, ", node.op_type, "-", s->since_version, " takes ",
         s->min_inputs, s->min_inputs == s->max_inputs ? "" : " to " + std::to_string(s->max_inputs));
  for (int i = 0; i < s->min_inputs; ++i)
    if (node.inputs[i] == kNoValue) fail("node ", node.label(), ": required input ", i, " is absent");
  std::size_t nout = node.outputs.size();
  if (static_cast<int>(nout) < s->min_outputs || static_cast<int>(nout) > s->max_outputs)
    fail("node ", node.label(), ": has ", nout, " outputs, ", node.op_type, "-", s->since_version, " gives ",
         s->min_outputs, s->min_outputs == s->max_outputs ? "" : " to " + std::to_string(s->max_outputs));
  for (const AttrSpec& a : s->attrs) {
    const AttrValue* v = node.attrs.find(a.name);
    if (v) {
      AttrType t = attr_value_type(*v);
      // ONNX writers sometimes store a one-element list for a scalar; and ints for floats.
      if (t != a.type) {
        if (a.type == AttrType::Float && t == AttrType::Int) {
          node.attrs.set(a.name, static_cast<float>(std::get<int64_t>(*v)));
        } else if (a.type == AttrType::Floats && t == AttrType::Ints) {
          const auto& iv = std::get<std::vector<int64_t>>(*v);
          node.attrs.set(a.name, std::vector<float>(iv.begin(), iv.end()));
        } else {
          fail("node ", node.label(), ": attribute '", a.name, "' is of type ", attr_type_name(t), ", expected ",
               attr_type_name(a.type));
        }
      }
    } else if (a.required) {
      fail("node ", node.label(), ": required attribute '", a.name, "' is missing");
    } else if (a.default_value) {
      node.attrs.set(a.name, *a.default_value);
    }
  }
  node.since_version = s->since_version;
  return *s;
}

std::vector<TensorType> OpRegistry::infer(const Graph& g, const Node& node) const {
  return infer_context(InferContext::of(g, node));
}

std::vector<TensorType> OpRegistry::infer(const Node& node, const std::vector<const TensorType*>& input_types,
                                          const std::vector<const n2d2::Tensor*>& input_values) const {
  return infer_context(InferContext(node, input_types, input_values));
}

std::vector<TensorType> OpRegistry::infer_context(const InferContext& ctx) const {
  const Node& node = ctx.node();
  const OpSchema* s = find(node.op_type, node.domain, node.since_version);
  if (!s || !s->infer) fail_unsupported("node ", node.label(), ": no shape inference for ", node.op_type);
  std::vector<TensorType> out = s->infer(ctx);
  if (out.size() < node.outputs.size())
    fail("internal error: shape inference of ", node.label(), " gave ", out.size(), " outputs for ",
         node.outputs.size());
  out.resize(node.outputs.size());
  return out;
}

const OpRegistry& OpRegistry::builtin() {
  static const OpRegistry r = [] {
    OpRegistry reg;
    register_builtin_ops(reg);
    return reg;
  }();
  return r;
}

}  // namespace n2d2::graph
