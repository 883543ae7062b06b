#include "kernels/registry.h"

namespace n2d2::kernels {

std::string require_input_dtypes(const KernelQuery& q, std::initializer_list<DType> dtypes) {
  for (std::size_t i = 0; i < q.input_types.size(); ++i) {
    DType t = q.input_types[i].dtype;
    if (t == DType::Undefined) continue;
    bool ok = false;
    for (DType d : dtypes) ok = ok || d == t;
    if (!ok) return std::string("input ") + std::to_string(i) + " has unsupported type " + dtype_name(t);
  }
  return {};
}

void KernelRegistry::add(const KernelImpl& impl) { impls_[{impl.domain ? impl.domain : "", impl.op_type}].push_back(impl); }

const std::vector<KernelImpl>& KernelRegistry::implementations(const std::string& op_type, const std::string& domain) const {
  static const std::vector<KernelImpl> kNone;
  auto it = impls_.find({domain == "ai.onnx" ? "" : domain, op_type});
  return it == impls_.end() ? kNone : it->second;
}

bool KernelRegistry::has_op(const std::string& op_type, const std::string& domain) const {
  return !implementations(op_type, domain).empty();
}

KernelChoice KernelRegistry::select(const KernelQuery& q) const {
  KernelChoice c;
  for (const KernelImpl& k : implementations(q.node.op_type, q.node.domain)) {
    std::string why = k.supports ? k.supports(q) : std::string();
    if (why.empty()) {
      c.impl = &k;
      return c;
    }
    c.skipped.push_back(std::string(k.name) + ": " + why);
  }
  std::string msg = "node " + q.node.label() + ": no kernel";
  if (c.skipped.empty()) msg += " exists for " + q.node.op_type;
  for (const auto& s : c.skipped) msg += "; " + s;
  throw UnsupportedError(msg);
}

const KernelRegistry& KernelRegistry::builtin() {
  static const KernelRegistry r = [] {
    KernelRegistry reg;
    register_builtin_kernels(reg);
    return reg;
  }();
  return r;
}

void register_builtin_kernels(KernelRegistry& r) {
  register_quant_kernels(r);  // first: its uint8/int8 MaxPool precedes the pool kernels
  register_elementwise_kernels(r);
  register_nn_kernels(r);
  register_tensor_kernels(r);
  register_reduce_kernels(r);
  register_spatial_kernels(r);
}

}  // namespace n2d2::kernels
