#include "scheduler/pipeline.h"

#include "graph/passes/fuse_requantize.h"
#include "graph/passes/passes.h"
#include "kernels/run_node.h"

namespace n2d2::sched {

std::string PassReport::str() const {
  return "folded " + std::to_string(constants_folded) + " constant nodes, removed " +
         std::to_string(identities_removed) + " identities and " + std::to_string(dead_removed) + " dead nodes, folded " +
         std::to_string(batchnorms_folded) + " batch norms, fused " + std::to_string(convs_fused) + " conv epilogues" +
         (gemms_fused ? ", " + std::to_string(gemms_fused) + " gemm epilogues" : "") +
         (requantizes_fused ? " and " + std::to_string(requantizes_fused) + " requantizes" : "");
}

PassReport optimize_graph(graph::Graph& g, const PassOptions& opts) {
  PassReport r;
  r.identities_removed = graph::remove_identities(g);
  r.constants_folded = graph::fold_constants(g, [](const graph::Node& n, std::span<const Tensor* const> in) {
    return kernels::evaluate_node(n, in);
  });
  graph::infer_shapes(g);
  if (opts.cpu_fusion) {
    r.batchnorms_folded = graph::fold_batchnorm(g);
    r.convs_fused = graph::fuse_conv_epilogue(g);
    r.gemms_fused = graph::fuse_gemm_epilogue(g);
    r.requantizes_fused = graph::fuse_requantize(g);
  }
  r.dead_removed = graph::remove_dead_nodes(g);
  return r;
}

}  // namespace n2d2::sched
