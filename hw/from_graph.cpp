#include "hw/from_graph.h"

#include <map>
#include <optional>

#include "graph/error.h"
#include "graph/ops/quant_ops.h"

namespace n2d2::hw {
namespace {

using graph::Graph;
using graph::Node;
using graph::ValueId;
using graph::NodeId;

// An integer stream in the graph: which layer produces it and its bits.
struct Stream {
  int layer = kNetworkInput;
  Shape3 shape;
  int bits = 8;
  bool is_signed = false;
  bool reshaped = false;  // through Flatten/Reshape: only a dense block or the output may read it
};

std::vector<int32_t> int_values(const Tensor& t, const Node& n, const char* what) {
  std::vector<int32_t> v(static_cast<std::size_t>(t.numel()));
  auto copy = [&](auto tag) {
    using T = decltype(tag);
    auto s = t.span<T>();
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int32_t>(s[i]);
  };
  switch (t.dtype()) {
    case DType::I8: copy(int8_t{}); break;
    case DType::U8: copy(uint8_t{}); break;
    case DType::I16: copy(int16_t{}); break;
    case DType::U16: copy(uint16_t{}); break;
    case DType::I32: copy(int32_t{}); break;
    default: fail("node ", n.label(), ": ", what, " has type ", dtype_name(t.dtype()), " (expected an integer type)");
  }
  return v;
}

int bits_of(DType t) {
  switch (t) {
    case DType::I8:
    case DType::U8: return 8;
    case DType::I16:
    case DType::U16: return 16;
    default: return 0;
  }
}

Shape3 shape3(const graph::Value& v, const Node& n) {
  const auto& d = v.type.dims;
  if (!v.type.fully_known()) fail("node ", n.label(), ": input '", v.name, "' has an unknown shape ", v.type.str());
  if (d.size() == 4) {
    if (d[0] != 1) fail("node ", n.label(), ": batch ", d[0], " (the hardware streams one frame at a time; use --batch 1)");
    return {static_cast<int>(d[1]), static_cast<int>(d[2]), static_cast<int>(d[3])};
  }
  if (d.size() == 2) {
    if (d[0] != 1) fail("node ", n.label(), ": batch ", d[0], " (the hardware streams one frame at a time)");
    return {static_cast<int>(d[1]), 1, 1};
  }
  fail("node ", n.label(), ": rank-", d.size(), " tensor '", v.name, "' (the hardware maps N x C x H x W and N x K)");
}

bool is_float_op_graph(const Graph& g) {
  for (const Node& n : g.nodes())
    if (n.domain == graph::kN2D2Domain) return false;
  return true;
}

}  // namespace

InputQuantization input_quantization(const Graph& g) {
  for (const Node& n : g.nodes())
    if (n.domain == graph::kN2D2Domain && n.op_type == "Quantize") {
      InputQuantization q;
      q.scale = n.attrs.f("scale");
      q.nbbits = static_cast<int>(n.attrs.i("nbbits"));
      q.is_signed = n.attrs.i("signed") != 0;
      q.graph_input = g.value(n.inputs[0]).name;
      return q;
    }
  fail("graph '", g.name, "' has no Quantize node: it is a float network (quantize it first: n2d2-flow quantize)");
}

Network network_from_graph(const Graph& g) {
  if (is_float_op_graph(g))
    fail("graph '", g.name, "' is a float network: the hardware maps integer networks (quantize it first: n2d2-flow quantize)");
  if (g.inputs().size() != 1) fail("graph '", g.name, "' has ", g.inputs().size(), " inputs (the hardware maps one)");
  Network net;
  net.name = g.name.empty() ? "network" : g.name;
  std::map<ValueId, Stream> streams;                // integer values carried by a stream
  std::map<ValueId, std::pair<NodeId, int>> accs;   // int32 accumulators waiting for a Requantize: node, layer index
  std::optional<ValueId> output;
  bool have_input = false;
  auto stream_of = [&](const Node& n, std::size_t i) -> const Stream& {
    auto it = streams.find(n.inputs.at(i));
    if (it == streams.end())
      fail("node ", n.label(), ": input '", g.value(n.inputs[i]).name,
           "' is not an integer stream of the mapped network (a float op or a constant feeds it)");
    if (it->second.reshaped && n.op_type != "QGemm" && n.op_type != "Dequantize" && n.op_type != "Flatten" &&
        n.op_type != "Reshape" && n.op_type != "Identity" && n.op_type != "Squeeze")
      fail_unsupported("node ", n.label(), ": reads a reshaped stream (only a QGemm block may follow Flatten/Reshape)");
    return it->second;
  };
  auto const_of = [&](const Node& n, std::size_t i, const char* what) -> const Tensor& {
    if (!n.has_input(i) || !g.value(n.inputs[i]).is_constant())
      fail("node ", n.label(), ": ", what, " must be a constant (an initializer) for the hardware ROMs");
    return *g.value(n.inputs[i]).initializer;
  };
  for (graph::NodeId id : g.topo_order()) {
    const Node& n = g.node(id);
    const std::string& op = n.op_type;
    const bool q = n.domain == graph::kN2D2Domain;
    if (q && op == "Quantize") {
      if (have_input) fail("node ", n.label(), ": a second Quantize (the hardware has one input stream)");
      have_input = true;
      net.input = shape3(g.value(n.inputs[0]), n);
      net.input_bits = static_cast<int>(n.attrs.i("nbbits"));
      net.input_signed = n.attrs.i("signed") != 0;
      streams[n.outputs[0]] = {kNetworkInput, net.input, net.input_bits, net.input_signed};
    } else if (q && (op == "QConv" || op == "QGemm")) {
      const Stream& x = stream_of(n, 0);
      Layer l;
      l.name = n.name;
      l.inputs = {x.layer};
      l.in = x.shape;
      l.in_bits = x.bits;
      l.in_signed = x.is_signed;
      const Tensor& w = const_of(n, 1, "W");
      l.weights = int_values(w, n, "W");
      l.w_bits = bits_of(w.dtype());
      if (n.has_input(2)) l.bias = int_values(const_of(n, 2, "B"), n, "B");
      if (op == "QConv") {
        l.kind = LayerKind::Conv;
        const auto& wd = w.shape();
        if (wd.size() != 4) fail("node ", n.label(), ": ", wd.size() - 2, "-D convolution (the hardware maps 2-D)");
        l.kh = static_cast<int>(wd[2]);
        l.kw = static_cast<int>(wd[3]);
        auto st = n.attrs.ints_or("strides", {1, 1}), pads = n.attrs.ints_or("pads", {0, 0, 0, 0}),
             dil = n.attrs.ints_or("dilations", {1, 1});
        if (dil[0] != 1 || dil[1] != 1) fail("node ", n.label(), ": dilated convolution has no hardware block");
        if (n.attrs.s("auto_pad") != "NOTSET") fail("node ", n.label(), ": auto_pad ", n.attrs.s("auto_pad"), " (export explicit pads)");
        l.sh = static_cast<int>(st[0]);
        l.sw = static_cast<int>(st[1]);
        l.pad_t = static_cast<int>(pads[0]);
        l.pad_l = static_cast<int>(pads[1]);
        l.pad_b = static_cast<int>(pads[2]);
        l.pad_r = static_cast<int>(pads[3]);
        l.group = static_cast<int>(n.attrs.i("group"));
        l.out = shape3(g.value(n.outputs[0]), n);
      } else {
        l.kind = LayerKind::Dense;
        l.out = shape3(g.value(n.outputs[0]), n);
        if (w.shape().size() != 2 || w.shape()[1] != l.in.size())
          fail("node ", n.label(), ": W is ", w.shape().size() == 2 ? std::to_string(w.shape()[1]) : std::string("?"),
               " wide for a ", l.in.size(), "-value input");
      }
      accs[n.outputs[0]] = {id, static_cast<int>(net.layers.size())};
      net.layers.push_back(std::move(l));
    } else if (q && op == "QAdd") {
      const Stream& a = stream_of(n, 0);
      const Stream& b = stream_of(n, 1);
      if (!(a.shape == b.shape)) fail("node ", n.label(), ": inputs of different shapes");
      if (a.bits != b.bits || a.is_signed != b.is_signed) fail("node ", n.label(), ": inputs of different bit widths");
      Layer l;
      l.kind = LayerKind::Add;
      l.name = n.name;
      l.inputs = {a.layer, b.layer};
      l.in = l.out = a.shape;
      l.in_bits = a.bits;
      l.in_signed = a.is_signed;
      l.a_mult = n.attrs.i("a_multiplier");
      l.b_mult = n.attrs.i("b_multiplier");
      accs[n.outputs[0]] = {id, static_cast<int>(net.layers.size())};
      net.layers.push_back(std::move(l));
    } else if (q && op == "Requantize") {
      auto it = accs.find(n.inputs[0]);
      if (it == accs.end()) fail("node ", n.label(), ": Requantize must follow a QConv, QGemm or QAdd for the hardware");
      graph::RequantizeAttrs ra = graph::requantize_attrs(n);
      Layer& l = net.layers[static_cast<std::size_t>(it->second.second)];
      switch (ra.mode) {
        case quant::Rescaling::FloatingPoint:
          fail("node ", n.label(), ": Floating-point rescaling has no hardware block (quantize with Fixed-point, Single-shift or Double-shift)");
        case quant::Rescaling::FixedPoint: l.rescale = Rescale::FixedPoint; break;
        case quant::Rescaling::SingleShift: l.rescale = Rescale::SingleShift; break;
        case quant::Rescaling::DoubleShift: l.rescale = Rescale::DoubleShift; break;
      }
      l.rescale_params = ra.channels;
      l.out_bits = ra.nbbits;
      l.out_signed = ra.is_signed;
      streams[n.outputs[0]] = {it->second.second, l.out, l.out_bits, l.out_signed};
      accs.erase(it);
    } else if (!q && op == "MaxPool") {
      const Stream& x = stream_of(n, 0);
      auto k = n.attrs.ints("kernel_shape");
      if (k.size() != 2) fail("node ", n.label(), ": ", k.size(), "-D pooling (the hardware maps 2-D)");
      auto st = n.attrs.ints_or("strides", {1, 1}), pads = n.attrs.ints_or("pads", {0, 0, 0, 0});
      if (n.attrs.i_or("ceil_mode", 0) != 0) fail("node ", n.label(), ": ceil_mode 1 has no hardware block");
      if (n.outputs.size() > 1 && n.has_output(1)) fail("node ", n.label(), ": MaxPool indices output has no hardware block");
      for (int64_t p : pads)
        if (p != 0) fail("node ", n.label(), ": padded max pooling has no hardware block");
      Layer l;
      l.kind = LayerKind::MaxPool;
      l.name = n.name;
      l.inputs = {x.layer};
      l.in = x.shape;
      l.kh = static_cast<int>(k[0]);
      l.kw = static_cast<int>(k[1]);
      l.sh = static_cast<int>(st[0]);
      l.sw = static_cast<int>(st[1]);
      l.in_bits = l.out_bits = x.bits;
      l.in_signed = l.out_signed = x.is_signed;
      l.rescale = Rescale::None;
      l.out = shape3(g.value(n.outputs[0]), n);
      streams[n.outputs[0]] = {static_cast<int>(net.layers.size()), l.out, x.bits, x.is_signed};
      net.layers.push_back(std::move(l));
    } else if (!q && op == "Concat") {
      if (n.attrs.i("axis") != 1) fail("node ", n.label(), ": concat along axis ", n.attrs.i("axis"), " (the hardware concatenates channels)");
      Layer l;
      l.kind = LayerKind::Concat;
      l.name = n.name;
      l.rescale = Rescale::None;
      for (std::size_t i = 0; i < n.inputs.size(); ++i) {
        const Stream& x = stream_of(n, i);
        if (i == 0) l.in = x.shape, l.in_bits = l.out_bits = x.bits, l.in_signed = l.out_signed = x.is_signed;
        else if (x.bits != l.in_bits || x.is_signed != l.in_signed) fail("node ", n.label(), ": inputs of different bit widths");
        l.inputs.push_back(x.layer);
      }
      l.out = shape3(g.value(n.outputs[0]), n);
      streams[n.outputs[0]] = {static_cast<int>(net.layers.size()), l.out, l.out_bits, l.out_signed};
      net.layers.push_back(std::move(l));
    } else if (!q && (op == "Flatten" || op == "Reshape" || op == "Identity" || op == "Squeeze")) {
      // The stream keeps its C x H x W pixel order; the dense block indexes its weights by it.
      Stream s = stream_of(n, 0);
      if (shape3(g.value(n.outputs[0]), n).size() != s.shape.size()) fail("node ", n.label(), ": reshape changes the element count");
      s.reshaped = true;
      streams[n.outputs[0]] = s;
    } else if (q && op == "Dequantize") {
      const Stream& x = stream_of(n, 0);
      if (output) fail("node ", n.label(), ": a second network output (the hardware has one output stream)");
      output = n.inputs[0];
      net.output = x.layer;
      net.output_scale = n.attrs.f("scale");
    } else {
      fail_unsupported("node ", n.label(), ": no hardware block implements ", n.domain.empty() ? "" : n.domain + ".", op,
                       " (blocks: QConv, QGemm, QAdd + Requantize, MaxPool, Concat; Flatten/Reshape are free)");
    }
  }
  if (!have_input) fail("graph '", g.name, "' has no Quantize node feeding the hardware");
  if (!accs.empty()) fail("node ", g.node(accs.begin()->second.first).label(), ": its accumulator has no Requantize");
  if (!output) {
    // No Dequantize: the graph output itself must be an integer stream.
    if (g.outputs().size() != 1) fail("graph '", g.name, "' has ", g.outputs().size(), " outputs (the hardware has one)");
    auto it = streams.find(g.outputs()[0]);
    if (it == streams.end()) fail("graph output '", g.value(g.outputs()[0]).name, "' is not an integer stream");
    net.output = it->second.layer;
  }
  if (net.output == kNetworkInput) fail("graph '", g.name, "' has no hardware layer between Quantize and its output");
  validate(net);
  return net;
}

}  // namespace n2d2::hw
