#include "scheduler/pipeline.h"

#include "graph/passes/passes.h"
#include "kernels/run_node.h"

namespace n2d2::sched {

std::string PassReport::str() const {
  return "folded " + std::to_string(constants_folded) + " constant nodes, removed " +
         std::to_string(identities_removed) + " identities and " + std::to_string(dead_removed) + " dead nodes";
}

PassReport optimize_graph(graph::Graph& g) {
  PassReport r;
  r.identities_removed = graph::remove_identities(g);
  r.constants_folded = graph::fold_constants(g, [](const graph::Node& n, std::span<const Tensor* const> in) {
    return kernels::evaluate_node(n, in);
  });
  graph::infer_shapes(g);
  r.dead_removed = graph::remove_dead_nodes(g);
  return r;
}

}  // namespace n2d2::sched
