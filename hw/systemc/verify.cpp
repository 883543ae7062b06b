#include "hw/systemc/verify.h"

#include <cstring>
#include <optional>
#include <sstream>

#include "graph/error.h"
#include "graph/ops/quant_semantics.h"
#include "hw/from_graph.h"
#include "kernels/run_node.h"

namespace n2d2::hw {

std::vector<Tensor> run_reference(const graph::Graph& g, const Tensor& input) {
  std::vector<std::optional<Tensor>> vals(g.num_values());
  for (std::size_t v = 0; v < g.num_values(); ++v)
    if (g.value(static_cast<graph::ValueId>(v)).is_constant()) vals[v] = *g.value(static_cast<graph::ValueId>(v)).initializer;
  if (g.inputs().size() != 1) fail("run_reference: the graph has ", g.inputs().size(), " inputs");
  vals[static_cast<std::size_t>(g.inputs()[0])] = input;
  for (graph::NodeId id : g.topo_order()) {
    const graph::Node& n = g.node(id);
    std::vector<const Tensor*> in;
    for (graph::ValueId v : n.inputs) {
      if (v == graph::kNoValue) {
        in.push_back(nullptr);
        continue;
      }
      const auto& t = vals[static_cast<std::size_t>(v)];
      if (!t) fail("run_reference: node ", n.label(), " reads '", g.value(v).name, "' before it is computed");
      in.push_back(&*t);
    }
    std::vector<Tensor> out = kernels::evaluate_node(n, in);
    for (std::size_t k = 0; k < out.size() && k < n.outputs.size(); ++k)
      if (n.outputs[k] != graph::kNoValue) vals[static_cast<std::size_t>(n.outputs[k])] = std::move(out[k]);
  }
  std::vector<Tensor> r;
  for (graph::ValueId v : g.outputs()) r.push_back(*vals[static_cast<std::size_t>(v)]);
  return r;
}

Verification verify(const graph::Graph& g, const Network& net, const Mapping& map, const Tensor& images) {
  const InputQuantization q = input_quantization(g);
  if (images.dtype() != DType::F32 || images.shape().size() != 4 || images.dim(1) != net.input.c ||
      images.dim(2) != net.input.h || images.dim(3) != net.input.w)
    fail("verify: images must be float32 [N, ", net.input.c, ", ", net.input.h, ", ", net.input.w, "]");
  const int64_t n = images.dim(0), size = net.input.size();
  const float* x = images.data<float>();
  std::vector<std::vector<int32_t>> frames(static_cast<std::size_t>(n), std::vector<int32_t>(static_cast<std::size_t>(size)));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < size; ++k)
      frames[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] =
          static_cast<int32_t>(quant::quantize(x[i * size + k], q.scale, q.nbbits, q.is_signed));
  Verification v;
  v.sim = simulate(net, map, frames);
  if (v.sim.deadlock) fail("SystemC simulation deadlocked after ", v.sim.total_cycles, " cycles (a FIFO too shallow)");
  v.images = n;
  for (int64_t i = 0; i < n; ++i) {
    Tensor one(DType::F32, {1, net.input.c, net.input.h, net.input.w});
    std::memcpy(one.data_mut<float>(), x + i * size, static_cast<std::size_t>(size) * sizeof(float));
    Tensor ref = run_reference(g, one).at(0);
    const auto& hw = v.sim.outputs[static_cast<std::size_t>(i)];
    if (ref.numel() != static_cast<int64_t>(hw.size())) fail("verify: reference output has ", ref.numel(), " values, hardware ", hw.size());
    bool ok = true;
    for (std::size_t k = 0; k < hw.size() && ok; ++k) {
      bool same;
      std::ostringstream why;
      if (ref.dtype() == DType::F32) {
        float h = quant::dequantize(hw[k], net.output_scale), r = ref.data<float>()[k];
        same = std::memcmp(&h, &r, sizeof h) == 0;
        why << "systemc " << hw[k] << " (" << h << ") vs reference " << r;
      } else {
        int64_t r = ref.dtype() == DType::I8 ? ref.data<int8_t>()[k] : ref.dtype() == DType::U8 ? ref.data<uint8_t>()[k]
                  : ref.dtype() == DType::I16 ? ref.data<int16_t>()[k] : ref.dtype() == DType::U16 ? ref.data<uint16_t>()[k]
                  : ref.data<int32_t>()[k];
        same = r == hw[k];
        why << "systemc " << hw[k] << " vs reference " << r;
      }
      if (!same) {
        ok = false;
        if (v.first_mismatch.empty()) v.first_mismatch = "image " + std::to_string(i) + ", output " + std::to_string(k) + ": " + why.str();
      }
    }
    if (!ok) ++v.mismatched_images;
  }
  return v;
}

}  // namespace n2d2::hw
