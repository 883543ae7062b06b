// Helpers of the integer-kernel tests (quant_isa_test, quant_panel_test): run one op with one
// named implementation, and the reason a named implementation cannot run on this CPU.
#pragma once

#include <tbb/task_arena.h>

#include <string>
#include <vector>

#include "graph/ops/quant_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/quant/quant_kernels.h"
#include "tests/test_util.h"

namespace n2d2::test {

// Why the implementation named `impl` cannot run here (its ISA from its name), "" when it can.
inline std::string isa_skip(const std::string& impl) {
  if (impl.find("vnni") != std::string::npos) return kernels::detail::require_avx512_vnni();
  if (impl.find("avx512") != std::string::npos) return kernels::require_isa(kernels::Isa::Avx512);
  if (impl.find("avx2") != std::string::npos) return kernels::require_isa(kernels::Isa::Avx2);
  return "";
}

// Runs `op` (domain `domain`) with the implementation named `impl` ("" : the last, the reference)
// in an arena of `threads` threads.
inline Tensor run_impl(const std::string& op, const std::string& impl, const std::vector<Tensor>& inputs, graph::Attributes a,
                       int threads = 1, const std::string& domain = graph::kN2D2Domain) {
  graph::Node n = make_node(op, static_cast<int>(inputs.size()), 1, std::move(a), domain.empty() ? 17 : 1, domain);
  const auto& list = kernels::KernelRegistry::builtin().implementations(op, domain);
  const kernels::KernelImpl* k = &list.back();
  for (const auto& i : list)
    if (impl == i.name) k = &i;
  EXPECT_EQ(impl.empty() ? std::string(list.back().name) : impl, k->name);
  std::vector<const Tensor*> ptrs;
  for (const auto& t : inputs) ptrs.push_back(&t);
  tbb::task_arena arena(threads);
  Tensor out;
  arena.execute([&] { out = kernels::run_node(n, ptrs, *k, graph::OpRegistry::builtin())[0]; });
  return out;
}

}  // namespace n2d2::test
