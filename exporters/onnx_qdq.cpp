#include "exporters/onnx_qdq.h"

#include <cmath>
#include <map>

#include "graph/ops/quant_ops.h"

namespace n2d2::exporters {

namespace {

using namespace graph;

class Qdq {
 public:
  Qdq(const Graph& q, bool integer_ops) : q_(q), int_ops_(integer_ops) {}

  Graph run() {
    g_.name = q_.name;
    g_.opset_imports[""] = std::max<int64_t>(13, q_.opset(""));
    for (ValueId in : q_.inputs()) {
      ValueId v = g_.add_value(q_.value(in).name, q_.value(in).type);
      g_.add_input(v);
      map_[in] = v;
    }
    for (NodeId id : q_.topo_order()) node(q_.node(id));
    std::vector<ValueId> outs;
    for (ValueId o : q_.outputs()) {
      ValueId v = map_.at(o);
      g_.value(v).type = q_.value(o).type;
      outs.push_back(v);
    }
    g_.set_outputs(outs);
    return std::move(g_);
  }

 private:
  ValueId add(const std::string& op, const std::string& name, std::vector<ValueId> ins, Attributes a = {},
              const std::string& out_name = "") {
    Node n;
    n.name = name;
    n.op_type = op;
    n.inputs = std::move(ins);
    n.attrs = std::move(a);
    n.outputs = {g_.add_value(out_name.empty() ? name + "_out" : out_name)};
    ValueId out = n.outputs[0];
    g_.add_node(std::move(n));
    return out;
  }

  ValueId constant(const std::string& name, Tensor t) { return g_.add_initializer(name, std::move(t)); }
  ValueId scalar_f(const std::string& name, float v) { return constant(name, Tensor::scalar<float>(v)); }

  // Float tensor of the integer constant's values.
  Tensor as_float(const Tensor& t) {
    Tensor f(DType::F32, t.shape());
    std::vector<double> v = t.to_double_vector();
    for (std::size_t i = 0; i < v.size(); ++i) f.data_mut<float>()[i] = static_cast<float>(v[i]);
    return f;
  }

  ValueId in(const Node& n, std::size_t i) {
    ValueId v = n.inputs[i];
    if (auto it = map_.find(v); it != map_.end()) return it->second;
    if (!q_.value(v).is_constant()) fail("ONNX int8 export: node ", n.label(), ": input ", i, " is not computed");
    ValueId c = constant(q_.value(v).name, *q_.value(v).initializer);
    map_[v] = c;
    return c;
  }

  // QuantizeLinear(x / scale) to (u)int8 and back to float integer units (or kept as (u)int8).
  ValueId qdq(ValueId x, const std::string& name, float scale, bool sg, bool keep_int) {
    ValueId zp = constant(name + "_zp", sg ? Tensor::scalar<int8_t>(0) : Tensor::scalar<uint8_t>(0));
    ValueId q = add("QuantizeLinear", name + "_quant", {x, scalar_f(name + "_scale", scale), zp});
    if (keep_int) return q;
    return add("DequantizeLinear", name + "_dequant", {q, scalar_f(name + "_one", 1.f), zp});
  }

  // An integer-units float value of `v`: (u)int8 tensors (integer ops mode) are dequantized.
  ValueId units(ValueId v, const std::string& name) {
    if (auto it = int_vals_.find(v); it != int_vals_.end()) {
      ValueId zp = constant(name + "_zp", it->second ? Tensor::scalar<int8_t>(0) : Tensor::scalar<uint8_t>(0));
      return add("DequantizeLinear", name + "_dequant", {v, scalar_f(name + "_one", 1.f), zp});
    }
    return v;
  }

  void node(const Node& n) {
    const std::string& op = n.op_type;
    bool ours = n.domain == kN2D2Domain;
    ValueId y = n.outputs[0];
    if (ours && op == "Quantize") {
      if (n.attrs.i("nbbits") != 8) fail("ONNX int8 export: node ", n.label(), ": only 8-bit graphs are exported");
      bool sg = n.attrs.i("signed") != 0;
      map_[y] = qdq(in(n, 0), n.name, n.attrs.f("scale"), sg, int_ops_);
      if (int_ops_) int_vals_[map_[y]] = sg;
    } else if (ours && (op == "QConv" || op == "QGemm")) {
      bool conv = op == "QConv";
      ValueId x = map_.at(n.inputs[0]);
      bool x_int = int_vals_.count(x) != 0;
      if (int_ops_ && x_int && q_.value(n.inputs[1]).initializer->dtype() == DType::I8) {
        // ConvInteger / MatMulInteger: (u)int8 x int8 -> int32, + int32 bias, Cast to float.
        ValueId w = in(n, 1), acc;
        if (conv) {
          Attributes a = n.attrs;
          acc = add("ConvInteger", n.name, {x, w}, a);
        } else {
          const Tensor& wq = *q_.value(n.inputs[1]).initializer;  // N x K -> K x N
          int64_t N = wq.dim(0), K = wq.dim(1);
          Tensor wt(DType::I8, {K, N});
          for (int64_t i = 0; i < N; ++i)
            for (int64_t k = 0; k < K; ++k) wt.data_mut<int8_t>()[k * N + i] = wq.data<int8_t>()[i * K + k];
          acc = add("MatMulInteger", n.name, {x, constant(n.name + "_WqT", wt)});
        }
        if (n.has_input(2)) {
          Tensor b = *q_.value(n.inputs[2]).initializer;
          if (conv) b = b.reshaped({b.dim(0), 1, 1});
          acc = add("Add", n.name + "_bias", {acc, constant(n.name + "_Bq", b)});
        }
        Attributes c;
        c.set("to", int64_t{1});
        map_[y] = add("Cast", n.name + "_cast", {acc}, c);
        return;
      }
      ValueId xu = units(x, n.name + "_x");
      ValueId w = constant(n.name + "_Wf", as_float(*q_.value(n.inputs[1]).initializer));
      std::vector<ValueId> ins = {xu, w};
      if (n.has_input(2)) ins.push_back(constant(n.name + "_Bf", as_float(*q_.value(n.inputs[2]).initializer)));
      Attributes a;
      if (conv) a = n.attrs;
      else a.set("transB", int64_t{1});
      map_[y] = add(conv ? "Conv" : "Gemm", n.name, ins, a);
    } else if (ours && op == "Requantize") {
      RequantizeAttrs r = requantize_attrs(n);
      if (r.nbbits != 8) fail("ONNX int8 export: node ", n.label(), ": only 8-bit graphs are exported");
      const TensorType& t = q_.value(n.inputs[0]).type;
      std::vector<float> f;
      for (const auto& c : r.channels) {
        switch (r.mode) {
          case quant::Rescaling::FloatingPoint: f.push_back(c.scale); break;
          case quant::Rescaling::FixedPoint: f.push_back(static_cast<float>(std::ldexp(static_cast<double>(c.multiplier), -c.shift))); break;
          case quant::Rescaling::SingleShift: f.push_back(static_cast<float>(std::ldexp(1.0, -c.shift))); break;
          case quant::Rescaling::DoubleShift:
            f.push_back(static_cast<float>(std::ldexp(std::ldexp(1.0, c.left) + 1.0, -c.shift)));
            break;
        }
      }
      Shape fs = {static_cast<int64_t>(f.size())};
      if (f.size() > 1)
        for (std::size_t i = 2; i < t.rank(); ++i) fs.push_back(1);
      if (f.size() == 1) fs = {};
      ValueId x = units(map_.at(n.inputs[0]), n.name + "_x");
      ValueId m = add("Mul", n.name + "_rescale", {x, constant(n.name + "_factor", Tensor::from_vector<float>(fs, f))});
      map_[y] = qdq(m, n.name, 1.f, r.is_signed, int_ops_);
      if (int_ops_) int_vals_[map_[y]] = r.is_signed;
    } else if (ours && op == "QAdd") {
      ValueId a = units(map_.at(n.inputs[0]), n.name + "_a"), b = units(map_.at(n.inputs[1]), n.name + "_b");
      ValueId ma = add("Mul", n.name + "_ma", {a, scalar_f(n.name + "_mav", static_cast<float>(n.attrs.i("a_multiplier")))});
      ValueId mb = add("Mul", n.name + "_mb", {b, scalar_f(n.name + "_mbv", static_cast<float>(n.attrs.i("b_multiplier")))});
      map_[y] = add("Add", n.name, {ma, mb});
    } else if (ours && op == "QGlobalSumPool") {
      const TensorType& t = q_.value(n.inputs[0]).type;
      int64_t hw = 1;
      for (std::size_t i = 2; i < t.rank(); ++i) hw *= t.dims[i];
      ValueId avg = add("GlobalAveragePool", n.name, {units(map_.at(n.inputs[0]), n.name + "_x")});
      map_[y] = add("Mul", n.name + "_sum", {avg, scalar_f(n.name + "_hw", static_cast<float>(hw))});
    } else if (ours && op == "Dequantize") {
      ValueId x = units(map_.at(n.inputs[0]), n.name + "_x");
      map_[y] = add("Mul", n.name, {x, scalar_f(n.name + "_scale", n.attrs.f("scale"))}, {}, q_.value(y).name);
    } else if (!ours && n.domain.empty() &&
               (op == "MaxPool" || op == "Flatten" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze" ||
                op == "Concat" || op == "Softmax" || op == "LogSoftmax")) {
      std::vector<ValueId> ins;
      for (std::size_t i = 0; i < n.inputs.size(); ++i) {
        if (!n.has_input(i)) { ins.push_back(kNoValue); continue; }
        auto it = map_.find(n.inputs[i]);
        // Data inputs: integer-units floats (a Concat of (u)int8 tensors would need equal types: use units).
        ins.push_back(it != map_.end() ? (op == "Concat" ? units(it->second, n.name + std::to_string(i)) : it->second)
                                       : in(n, i));
      }
      ValueId out = add(op, n.name, ins, n.attrs, q_.value(y).name + (op == "Softmax" || op == "LogSoftmax" ? "" : "_x"));
      if (op != "Concat" && !ins.empty())
        if (auto it = int_vals_.find(ins[0]); it != int_vals_.end()) int_vals_[out] = it->second;
      map_[y] = out;
    } else {
      fail("ONNX int8 export: node ", n.label(), ": op ", (n.domain.empty() ? "" : n.domain + "::"), op,
           " is not supported (export a model written by n2d2-flow quantize)");
    }
  }

  const Graph& q_;
  bool int_ops_;
  Graph g_;
  std::map<ValueId, ValueId> map_;
  std::map<ValueId, bool> int_vals_;  // (u)int8 tensors in integer-ops mode: signedness
};

}  // namespace

graph::Graph onnx_int8_graph(const graph::Graph& q, bool integer_ops) { return Qdq(q, integer_ops).run(); }

}  // namespace n2d2::exporters
