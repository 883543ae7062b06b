// Registration and supports() of the vector element-wise integer kernels: QAddRequantize (AVX-512,
// AVX2) and Quantize (AVX-512, AVX2). Compiled without ISA flags: this code runs on every CPU, before
// any ISA check, while qeltwise_avx512.cpp / qeltwise_avx2.cpp may use their ISA anywhere.
#include "graph/ops/quant_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/quant/quant_kernels.h"

namespace n2d2::kernels {

namespace {

bool is8(DType t) { return t == DType::U8 || t == DType::I8; }

template <Isa isa>
std::string qadd_supports(const KernelQuery& q) {
  return detail::qadd_requantize_fast_supports(q, isa);
}

template <Isa isa>
std::string quantize_supports(const KernelQuery& q) {
  std::string r = require_isa(isa);
  if (!r.empty()) return r;
  if (q.input_types[0].dtype != DType::F32) return "input is not float32";
  return is8(q.output_types[0].dtype) ? "" : "output is not 8-bit";
}

}  // namespace

void register_quant_eltwise_kernels(KernelRegistry& r) {
  const char* d = graph::kN2D2Domain;
  r.add({"qadd_requantize_avx512", "QAddRequantize", d, qadd_supports<Isa::Avx512>, detail::qadd_requantize_avx512});
  r.add({"qadd_requantize_avx2", "QAddRequantize", d, qadd_supports<Isa::Avx2>, detail::qadd_requantize_avx2});
  r.add({"quantize_avx512", "Quantize", d, quantize_supports<Isa::Avx512>, detail::quantize_avx512});
  r.add({"quantize_avx2", "Quantize", d, quantize_supports<Isa::Avx2>, detail::quantize_avx2});
}

}  // namespace n2d2::kernels
