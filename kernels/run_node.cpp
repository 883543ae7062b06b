#include "kernels/run_node.h"

#include <cstring>

namespace n2d2::kernels {

KernelQuery make_query(const graph::Graph& g, const graph::Node& node) {
  KernelQuery q{node, {}, {}, {}};
  for (graph::ValueId v : node.inputs) {
    q.input_types.push_back(v == graph::kNoValue ? TensorType{} : g.value(v).type);
    q.constant_inputs.push_back(v != graph::kNoValue && g.value(v).is_constant());
  }
  for (graph::ValueId v : node.outputs) q.output_types.push_back(v == graph::kNoValue ? TensorType{} : g.value(v).type);
  return q;
}

std::vector<Tensor> run_node(const graph::Node& node, std::span<const Tensor* const> inputs, const KernelImpl& impl,
                             const graph::OpRegistry& ops, const void* prepared) {
  std::vector<TensorType> types(inputs.size());
  std::vector<const TensorType*> type_ptrs(inputs.size(), nullptr);
  std::vector<const Tensor*> values(inputs.begin(), inputs.end());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i]) continue;
    types[i] = inputs[i]->type();
    type_ptrs[i] = &types[i];
  }
  std::vector<TensorType> out_types = ops.infer(node, type_ptrs, values);
  std::vector<Tensor> outputs(node.outputs.size());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!node.has_output(i)) continue;
    if (!out_types[i].fully_known())
      fail("node ", node.label(), ": output ", i, " has no known shape at run time (", out_types[i].str(), ")");
    outputs[i] = Tensor(out_types[i].dtype, out_types[i].dims);
  }
  KernelContext ctx{node, inputs, outputs, prepared};
  Status st = impl.run(ctx);
  if (!st) fail("node ", node.label(), ": ", impl.name, ": ", st.message());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!node.has_output(i)) continue;
    if (outputs[i].dtype() != out_types[i].dtype || outputs[i].shape() != out_types[i].dims)
      fail("internal error: node ", node.label(), ": kernel ", impl.name, " produced ", outputs[i].type().str(),
           " for output ", i, ", shape inference said ", out_types[i].str());
  }
  return outputs;
}

void run_node_into(const graph::Node& node, std::span<const Tensor* const> inputs, const KernelImpl& impl,
                   std::span<Tensor> outputs, const void* prepared) {
  std::vector<Tensor> planned(outputs.begin(), outputs.end());
  KernelContext ctx{node, inputs, outputs, prepared};
  Status st = impl.run(ctx);
  if (!st) fail("node ", node.label(), ": ", impl.name, ": ", st.message());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!node.has_output(i)) continue;
    if (outputs[i].dtype() != planned[i].dtype() || outputs[i].shape() != planned[i].shape())
      fail("internal error: node ", node.label(), ": kernel ", impl.name, " produced ", outputs[i].type().str(),
           " for output ", i, ", the plan has ", planned[i].type().str());
    if (outputs[i].raw() == planned[i].raw()) continue;
    if (planned[i].nbytes()) std::memcpy(planned[i].raw_mut(), outputs[i].raw(), planned[i].nbytes());
    outputs[i] = planned[i];
  }
}

std::shared_ptr<const void> prepare_node(const graph::Graph& g, const graph::Node& node, const KernelImpl& impl) {
  if (!impl.prepare) return nullptr;
  std::vector<const Tensor*> constants;
  for (graph::ValueId v : node.inputs) {
    const graph::Value* val = v == graph::kNoValue ? nullptr : &g.value(v);
    constants.push_back(val && val->is_constant() && val->initializer ? &*val->initializer : nullptr);
  }
  return impl.prepare(make_query(g, node), constants);
}

std::vector<Tensor> evaluate_node(const graph::Node& node, std::span<const Tensor* const> inputs,
                                  const graph::OpRegistry& ops, const KernelRegistry& kernels) {
  KernelQuery q{node, {}, {}, {}};
  for (const Tensor* t : inputs) {
    q.input_types.push_back(t ? t->type() : TensorType{});
    q.constant_inputs.push_back(t != nullptr);
  }
  q.output_types.resize(node.outputs.size());
  KernelChoice c = kernels.select(q);
  return run_node(node, inputs, *c.impl, ops);
}

}  // namespace n2d2::kernels
