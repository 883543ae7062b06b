// Element-wise ops on CUDA: unary maps (with their attributes) and binary ops with broadcasting,
// over our kernels in elementwise.cu.
#include <cmath>
#include <cstring>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/cuda_registry.h"
#include "kernels/cuda/glue.h"

namespace n2d2::cuda {

namespace {

using launch::Binary;
using launch::Unary;

struct UnaryOp {
  const char* op;
  Unary u;
};
constexpr UnaryOp kUnary[] = {
    {"Relu", Unary::Relu},         {"Sigmoid", Unary::Sigmoid},         {"Tanh", Unary::Tanh},
    {"Exp", Unary::Exp},           {"Log", Unary::Log},                 {"Sqrt", Unary::Sqrt},
    {"Neg", Unary::Neg},           {"Abs", Unary::Abs},                 {"Reciprocal", Unary::Reciprocal},
    {"Floor", Unary::Floor},       {"Ceil", Unary::Ceil},               {"Erf", Unary::Erf},
    {"Clip", Unary::Clip},         {"LeakyRelu", Unary::LeakyRelu},     {"Elu", Unary::Elu},
    {"Selu", Unary::Selu},         {"HardSigmoid", Unary::HardSigmoid}, {"HardSwish", Unary::HardSwish},
    {"Softplus", Unary::Softplus}, {"Softsign", Unary::Softsign},
};

struct UnaryState : Prepared {
  Unary op = Unary::Identity;
  float alpha = 0, beta = 0;
};

std::unique_ptr<Prepared> prepare_unary(const PrepareContext& p) {
  auto st = std::make_unique<UnaryState>();
  const std::string& op = p.node.op_type;
  for (const UnaryOp& u : kUnary)
    if (op == u.op) st->op = u.u;
  const graph::Attributes& a = p.node.attrs;
  switch (st->op) {
    case Unary::Clip:
      if (p.node.since_version < 11) {
        st->alpha = a.f_or("min", -INFINITY), st->beta = a.f_or("max", INFINITY);
      } else {
        st->alpha = constant_scalar(p, 1, -INFINITY), st->beta = constant_scalar(p, 2, INFINITY);
      }
      break;
    case Unary::LeakyRelu: st->alpha = a.f_or("alpha", 0.01f); break;
    case Unary::Elu: st->alpha = a.f_or("alpha", 1.0f); break;
    case Unary::Selu: st->alpha = a.f_or("alpha", 1.67326319217681884765625f), st->beta = a.f_or("gamma", 1.05070102214813232421875f); break;
    case Unary::HardSigmoid: st->alpha = a.f_or("alpha", 0.2f), st->beta = a.f_or("beta", 0.5f); break;
    default: break;
  }
  return st;
}

std::string supports_unary(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  if (q.node.op_type == "Clip" && q.node.since_version >= 11)
    for (std::size_t i = 1; i < q.input_types.size(); ++i)
      if (q.input_types[i].dtype != DType::Undefined && !q.input_is_constant(i)) return "Clip bounds must be constants";
  return "";
}

void run_unary(const CudaKernelContext& c) {
  const auto& st = c.prepared<UnaryState>();
  launch::unary(st.op, c.in(0).as<float>(), c.out(0).as<float>(), c.out(0).numel(), st.alpha, st.beta, c.s.stream);
  N2D2_CUDA(cudaGetLastError());
}

struct BinaryState : Prepared {
  Binary op = Binary::Add;
  launch::Broadcast bc;
};

Binary binary_of(const std::string& op) {
  if (op == "Sub") return Binary::Sub;
  if (op == "Mul") return Binary::Mul;
  if (op == "Div") return Binary::Div;
  if (op == "Max") return Binary::Max;
  if (op == "Min") return Binary::Min;
  if (op == "Pow") return Binary::Pow;
  if (op == "PRelu") return Binary::PRelu;
  return Binary::Add;  // Add, Sum
}

std::string supports_binary(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  if (q.input_types.size() != 2) return "only two inputs";
  return max_rank(q);
}

std::unique_ptr<Prepared> prepare_binary(const PrepareContext& p) {
  auto st = std::make_unique<BinaryState>();
  st->op = binary_of(p.node.op_type);
  if (!make_broadcast(p.query.output_types[0].dims, p.query.input_types[0].dims, p.query.input_types[1].dims, st->bc))
    fail(p.node.label(), ": rank above ", launch::kMaxRank);
  return st;
}

void run_binary(const CudaKernelContext& c) {
  const auto& st = c.prepared<BinaryState>();
  launch::binary(st.op, c.in(0).as<float>(), c.in(1).as<float>(), c.out(0).as<float>(), c.out(0).numel(), st.bc, 0.f,
                 c.s.stream);
  N2D2_CUDA(cudaGetLastError());
}

}  // namespace

void register_cuda_elementwise_kernels(CudaRegistry& r) {
  for (const UnaryOp& u : kUnary) r.add({"unary_f32_cuda", u.op, "", supports_unary, prepare_unary, run_unary});
  for (const char* op : {"Add", "Sub", "Mul", "Div", "Max", "Min", "Pow", "PRelu", "Sum"})
    r.add({"binary_f32_cuda", op, "", supports_binary, prepare_binary, run_binary});
}

}  // namespace n2d2::cuda
