#include "spike/transcode.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "graph/error.h"
#include "graph/passes/passes.h"
#include "spike/formal_eval.h"

namespace n2d2::spike {

namespace {

using graph::Graph;
using graph::Node;
using graph::NodeId;
using graph::ValueId;

// What a graph value stands for in the spiking network.
struct Src {
    bool known = false;
    int layer = -1;        // -1: the network input
    bool flat = false;     // a Flatten/Reshape of the map (read by an Fc in NCHW order)
    bool nonneg = true;    // false: a Conv/Fc output before any Relu
    std::int64_t pad_t = 0, pad_l = 0, pad_b = 0, pad_r = 0;  // zero padding from a Pad node
    bool padded() const { return pad_t || pad_l || pad_b || pad_r; }
};

std::uint32_t u32(std::int64_t v, const Node& n, const char* what) {
    if (v < 0 || v > std::int64_t(UINT32_MAX)) fail_unsupported("node ", n.label(), ": ", what, " ", v, " out of range");
    return std::uint32_t(v);
}

class Builder {
public:
    Builder(const Graph& g, const TranscodeOptions& o) : g_(g), o_(o), src_(g.num_values()), cons_(g.consumers()) {
        is_output_.assign(g.num_values(), false);
        for (ValueId v : g.outputs()) is_output_[std::size_t(v)] = true;
    }

    Network build() {
        if (g_.inputs().size() != 1) fail_unsupported("spike transcoding needs a model with one input, this one has ", g_.inputs().size());
        const graph::Value& in = g_.value(g_.inputs()[0]);
        const Shape& d = in.type.dims;
        auto known = [&](std::size_t from) {
            for (std::size_t i = from; i < d.size(); ++i)
                if (d[i] <= 0) return false;
            return true;
        };
        if (!in.type.rank_known || in.type.dtype != DType::F32 || d.size() < 2 || d.size() > 4 || !known(1))
            fail_unsupported("input '", in.name, "' is ", in.type.str(), ": spike transcoding needs a float input [N,C,H,W], [N,H,W] or [N,K]");
        if (d.size() == 4) net_.input = {u32(d[1], {}, "channels"), u32(d[2], {}, "height"), u32(d[3], {}, "width")};
        if (d.size() == 3) net_.input = {1, u32(d[1], {}, "height"), u32(d[2], {}, "width")};
        if (d.size() == 2) net_.input = {u32(d[1], {}, "features"), 1, 1};
        net_.rate_period = o_.rate_period;
        Src s;
        s.known = true;
        s.layer = -1;
        src_[std::size_t(g_.inputs()[0])] = s;

        for (NodeId id : g_.topo_order()) node(g_.node(id));

        if (g_.outputs().empty()) fail_unsupported("the model has no output");
        const ValueId out = g_.outputs()[0];
        const Src& os = src_[std::size_t(out)];
        if (!os.known || os.layer < 0 || (os.flat && net_.layers[std::size_t(os.layer)].out.h * net_.layers[std::size_t(os.layer)].out.w != 1))
            fail_unsupported("output '", g_.value(out).name, "' is not the output of a Conv, Gemm or Add layer");
        net_.output = os.layer;
        Layer& ol = net_.layers[std::size_t(os.layer)];
        if (ol.kind != LayerKind::Conv && ol.kind != LayerKind::Fc && ol.kind != LayerKind::Add)
            fail_unsupported("output '", g_.value(out).name, "' comes from ", layer_kind_name(ol.kind), " layer '", ol.name,
                             "': the output layer must have neurons (Conv, Gemm, Add)");
        ol.spiking = o_.spiking_output;
        validate(net_);
        return std::move(net_);
    }

private:
    const graph::Value& val(ValueId v) const { return g_.value(v); }

    // The constant tensor of a value: an initializer or a Constant node's `value`; else null.
    const Tensor* constant(ValueId v) const {
        if (v == graph::kNoValue) return nullptr;
        const graph::Value& x = val(v);
        if (x.initializer) return &*x.initializer;
        if (x.producer != graph::kNoNode) {
            const Node& p = g_.node(x.producer);
            if (p.op_type == "Constant" && p.domain.empty() && p.attrs.has("value")) return &p.attrs.t("value");
        }
        return nullptr;
    }

    std::vector<float> floats(const Tensor& t, const Node& n, const char* what) const {
        if (t.dtype() != DType::F32) fail_unsupported("node ", n.label(), ": ", what, " is ", dtype_name(t.dtype()), ", not float32");
        return t.to_vector<float>();
    }

    Shape3 shape_of(const Src& s) const { return s.layer < 0 ? net_.input : net_.layers[std::size_t(s.layer)].out; }

    // The map a node reads at input `i`: known, not flattened, non-negative, unpadded unless `pad_ok`.
    const Src& map_input(const Node& n, std::size_t i, bool pad_ok = false) const {
        if (!n.has_input(i)) fail_unsupported("node ", n.label(), ": input ", i, " is missing");
        const Src& s = src_[std::size_t(n.inputs[i])];
        const std::string& vn = val(n.inputs[i]).name;
        if (!s.known) fail_unsupported("node ", n.label(), ": input '", vn, "' is not a feature map of the network");
        if (s.flat) fail_unsupported("node ", n.label(), ": input '", vn, "' is flattened; only Gemm/MatMul read flat values");
        if (!s.nonneg)
            fail_unsupported("node ", n.label(), ": input '", vn,
                             "' is a Conv/Gemm output without Relu; spiking neurons only carry non-negative values");
        if (s.padded() && !pad_ok) fail_unsupported("node ", n.label(), ": input '", vn, "' comes from a Pad; only Conv and pooling take its padding");
        return s;
    }

    Shape3 out_shape(const Node& n) const {
        const TensorType& t = val(n.outputs.at(0)).type;
        const Shape& d = t.dims;
        if (!t.rank_known || d.size() != 4 || d[1] <= 0 || d[2] <= 0 || d[3] <= 0)
            fail_unsupported("node ", n.label(), ": output '", val(n.outputs[0]).name, "' is ", t.str(), ", expected [N,C,H,W] with C, H, W known");
        return {u32(d[1], n, "channels"), u32(d[2], n, "height"), u32(d[3], n, "width")};
    }

    void set(ValueId v, Src s) {
        s.known = true;
        src_[std::size_t(v)] = s;
    }

    int add_layer(Layer l) {
        net_.layers.push_back(std::move(l));
        return int(net_.layers.size()) - 1;
    }

    // Window geometry shared by Conv and the pools: kernel, strides, dilations, pads (own + Pad's).
    void window(const Node& n, const Src& s, Layer& l, std::int64_t kh, std::int64_t kw, bool has_dilations) {
        const auto& a = n.attrs;
        std::string auto_pad = a.s_or("auto_pad", "NOTSET");
        if (auto_pad != "NOTSET" && auto_pad != "VALID")
            fail_unsupported("node ", n.label(), ": auto_pad ", auto_pad, " is not supported (give explicit pads)");
        auto strides = a.ints_or("strides", {1, 1});
        auto pads = a.ints_or("pads", {0, 0, 0, 0});
        auto dil = has_dilations ? a.ints_or("dilations", {1, 1}) : std::vector<std::int64_t>{1, 1};
        if (strides.size() != 2 || pads.size() != 4 || dil.size() != 2)
            fail_unsupported("node ", n.label(), ": only 2-D windows are supported");
        const std::int64_t pt = pads[0] + s.pad_t, pl = pads[1] + s.pad_l, pb = pads[2] + s.pad_b, pr = pads[3] + s.pad_r;
        if (pb > pt || pr > pl)
            fail_unsupported("node ", n.label(), ": padding bottom/right (", pb, ",", pr, ") larger than top/left (", pt, ",", pl,
                             ") is not supported");
        l.kernel_h = u32(kh, n, "kernel height");
        l.kernel_w = u32(kw, n, "kernel width");
        l.stride_h = u32(strides[0], n, "stride");
        l.stride_w = u32(strides[1], n, "stride");
        l.dilation_h = u32(dil[0], n, "dilation");
        l.dilation_w = u32(dil[1], n, "dilation");
        l.pad_top = u32(pt, n, "padding");
        l.pad_left = u32(pl, n, "padding");
    }

    void node(const Node& n) {
        const std::string& op = n.op_type;
        if (!n.domain.empty()) refuse(n);
        if (op == "Constant") return;
        if (op == "Identity" || op == "Dropout") {
            if (op == "Dropout" && n.has_output(1) && !cons_[std::size_t(n.outputs[1])].empty())
                fail_unsupported("node ", n.label(), ": its mask output is used");
            const Src& s = src_[std::size_t(n.inputs.at(0))];
            if (s.known) src_[std::size_t(n.outputs.at(0))] = s;
            return;
        }
        if (op == "Relu") return relu(n);
        if (op == "Conv") return conv(n);
        if (op == "Gemm" || op == "MatMul") return gemm(n);
        if (op == "AveragePool" || op == "GlobalAveragePool") return avgpool(n);
        if (op == "MaxPool") return maxpool(n);
        if (op == "Add") return add(n);
        if (op == "Concat") return concat(n);
        if (op == "Pad") return pad(n);
        if (op == "Flatten" || op == "Reshape") return flatten(n);
        if (op == "Softmax" || op == "LogSoftmax") return softmax(n);
        if (op == "BatchNormalization")
            fail_unsupported("node ", n.label(), ": a BatchNormalization that does not follow a Conv/Gemm (whose output it alone reads) cannot be folded");
        refuse(n);
    }

    [[noreturn]] void refuse(const Node& n) const {
        fail_unsupported("node ", n.label(), ": op ", n.domain.empty() ? "" : n.domain + ".", n.op_type, " cannot be transcoded to spikes");
    }

    void relu(const Node& n) {
        const ValueId x = n.inputs.at(0);
        Src s = src_[std::size_t(x)];
        if (!s.known) fail_unsupported("node ", n.label(), ": input '", val(x).name, "' is not a feature map of the network");
        if (!s.nonneg) {
            // The Relu becomes the neuron non-linearity of the layer it follows.
            if (cons_[std::size_t(x)].size() != 1 || is_output_[std::size_t(x)])
                fail_unsupported("node ", n.label(), ": its input '", val(x).name,
                                 "' is also used elsewhere; a spiking layer cannot give both the value and its ReLU");
            s.nonneg = true;
        }
        set(n.outputs.at(0), s);
    }

    void conv(const Node& n) {
        const Src& s = map_input(n, 0, true);
        const Tensor* w = constant(n.inputs.at(1));
        if (!w || w->rank() != 4) fail_unsupported("node ", n.label(), ": the weights must be a constant [M, C/group, kH, kW]");
        Layer l;
        l.name = n.name;
        l.kind = LayerKind::Conv;
        l.inputs = {s.layer};
        l.in = shape_of(s);
        l.out = out_shape(n);
        l.groups = u32(n.attrs.i_or("group", 1), n, "group");
        window(n, s, l, w->dim(2), w->dim(3), true);
        l.weights = floats(*w, n, "the weight tensor");
        if (w->dim(0) != l.out.c || w->dim(1) * l.groups != l.in.c)
            fail_unsupported("node ", n.label(), ": weights ", w->type().str(), " do not fit input ", l.in.c, " and output ", l.out.c, " channels");
        if (n.has_input(2)) {
            const Tensor* b = constant(n.inputs[2]);
            if (!b) fail_unsupported("node ", n.label(), ": the bias must be a constant");
            l.bias = floats(*b, n, "the bias");
        }
        l.neuron = o_.neuron;
        Src o;
        o.layer = add_layer(std::move(l));
        o.nonneg = false;
        set(n.outputs.at(0), o);
    }

    void gemm(const Node& n) {
        const ValueId a = n.inputs.at(0);
        const Src& s = src_[std::size_t(a)];
        if (!s.known) fail_unsupported("node ", n.label(), ": input '", val(a).name, "' is not a feature map of the network");
        if (!s.nonneg)
            fail_unsupported("node ", n.label(), ": input '", val(a).name,
                             "' is a Conv/Gemm output without Relu; spiking neurons only carry non-negative values");
        if (s.padded()) fail_unsupported("node ", n.label(), ": input '", val(a).name, "' comes from a Pad");
        const Shape3 in = shape_of(s);
        if (!s.flat && (in.h != 1 || in.w != 1))
            fail_unsupported("node ", n.label(), ": input '", val(a).name, "' is a ", in.c, "x", in.h, "x", in.w, " map; flatten it first");
        const bool matmul = n.op_type == "MatMul";
        const Tensor* b = constant(n.inputs.at(1));
        if (!b || b->rank() != 2) fail_unsupported("node ", n.label(), ": the weights must be a constant matrix");
        if (!matmul && n.attrs.i_or("transA", 0) != 0) fail_unsupported("node ", n.label(), ": transA is not supported");
        const bool trans_b = !matmul && n.attrs.i_or("transB", 0) != 0;
        const double alpha = matmul ? 1.0 : n.attrs.f_or("alpha", 1.f), beta = matmul ? 1.0 : n.attrs.f_or("beta", 1.f);
        const std::int64_t k = trans_b ? b->dim(1) : b->dim(0), m = trans_b ? b->dim(0) : b->dim(1);
        if (std::uint64_t(k) != in.size())
            fail_unsupported("node ", n.label(), ": weights ", b->type().str(), " expect ", k, " inputs, the map has ", in.size());
        const std::vector<float> bw = floats(*b, n, "the weight matrix");
        Layer l;
        l.name = n.name;
        l.kind = LayerKind::Fc;
        l.inputs = {s.layer};
        l.in = in;
        l.out = {u32(m, n, "outputs"), 1, 1};
        l.weights.resize(std::size_t(m * k));
        // ONNX flattens NCHW: k = (c * h + y) * w + x; the network reads HWC: j = (y * w + x) * c + ch.
        for (std::int64_t o = 0; o < m; ++o)
            for (std::uint32_t c = 0; c < in.c; ++c)
                for (std::uint32_t p = 0; p < in.h * in.w; ++p) {
                    const std::int64_t kk = std::int64_t(c) * in.h * in.w + p;
                    const std::size_t j = std::size_t(p) * in.c + c;
                    const float v = trans_b ? bw[std::size_t(o * k + kk)] : bw[std::size_t(kk * m + o)];
                    l.weights[std::size_t(o) * std::size_t(k) + j] = float(alpha * v);
                }
        if (!matmul && n.has_input(2)) {
            const Tensor* c = constant(n.inputs[2]);
            if (!c) fail_unsupported("node ", n.label(), ": the bias C must be a constant");
            std::vector<float> cv = floats(*c, n, "the bias");
            if (cv.size() != std::size_t(m) && cv.size() != 1)
                fail_unsupported("node ", n.label(), ": bias ", c->type().str(), " is not one value per output");
            l.bias.resize(std::size_t(m));
            for (std::int64_t o = 0; o < m; ++o) l.bias[std::size_t(o)] = float(beta * cv[cv.size() == 1 ? 0 : std::size_t(o)]);
        }
        l.neuron = o_.neuron;
        Src o;
        o.layer = add_layer(std::move(l));
        o.nonneg = false;
        set(n.outputs.at(0), o);
    }

    void avgpool(const Node& n) {
        const Src& s = map_input(n, 0, true);
        const bool global = n.op_type == "GlobalAveragePool";
        Layer l;
        l.name = n.name;
        l.kind = LayerKind::Conv;
        l.inputs = {s.layer};
        l.in = shape_of(s);
        l.out = out_shape(n);
        if (global) {
            if (s.padded()) fail_unsupported("node ", n.label(), ": a padded GlobalAveragePool is not supported");
            l.kernel_h = l.in.h;
            l.kernel_w = l.in.w;
        } else {
            auto k = n.attrs.ints("kernel_shape");
            if (k.size() != 2) fail_unsupported("node ", n.label(), ": only 2-D pooling is supported");
            auto pads = n.attrs.ints_or("pads", {0, 0, 0, 0});
            const bool own_pads = std::any_of(pads.begin(), pads.end(), [](std::int64_t p) { return p != 0; });
            if (own_pads && n.attrs.i_or("count_include_pad", 0) == 0)
                fail_unsupported("node ", n.label(), ": padding excluded from the average (count_include_pad=0) is not supported");
            window(n, s, l, k[0], k[1], false);
        }
        l.groups = l.in.c;
        if (l.out.c != l.in.c) fail_unsupported("node ", n.label(), ": changes the channel count");
        const float inv = 1.0f / float(l.kernel_h * l.kernel_w);
        l.weights.assign(std::size_t(l.out.c) * l.kernel_h * l.kernel_w, inv);
        l.neuron = o_.neuron;
        Src o;
        o.layer = add_layer(std::move(l));
        o.nonneg = true;  // the average of non-negative values
        set(n.outputs.at(0), o);
    }

    void maxpool(const Node& n) {
        const Src& s = map_input(n, 0, true);
        if (n.has_output(1) && !cons_[std::size_t(n.outputs[1])].empty())
            fail_unsupported("node ", n.label(), ": its Indices output is used");
        auto k = n.attrs.ints("kernel_shape");
        if (k.size() != 2) fail_unsupported("node ", n.label(), ": only 2-D pooling is supported");
        Layer l;
        l.name = n.name;
        l.kind = LayerKind::MaxPool;
        l.inputs = {s.layer};
        l.in = shape_of(s);
        l.out = out_shape(n);
        window(n, s, l, k[0], k[1], true);
        Src o;
        o.layer = add_layer(std::move(l));
        set(n.outputs.at(0), o);
    }

    void add(const Node& n) {
        const Tensor* c0 = constant(n.inputs.at(0));
        const Tensor* c1 = constant(n.inputs.at(1));
        if (c0 || c1) return add_bias(n, c0 ? 1 : 0, c0 ? *c0 : *c1);
        const Src& a = map_input(n, 0);
        const Src& b = map_input(n, 1);
        Layer l;
        l.name = n.name;
        l.kind = LayerKind::Add;
        l.inputs = {a.layer, b.layer};
        l.in = shape_of(a);
        l.out = shape_of(b);
        if (!(l.in == l.out)) fail_unsupported("node ", n.label(), ": adds maps of different shapes (no broadcasting)");
        l.input_scale = {1.0f, 1.0f};
        l.neuron = o_.neuron;
        Src o;
        o.layer = add_layer(std::move(l));
        o.nonneg = true;
        set(n.outputs.at(0), o);
    }

    // x + constant right after a Conv/Gemm/MatMul (nothing else reads x): the layer's bias.
    void add_bias(const Node& n, std::size_t xi, const Tensor& c) {
        const ValueId x = n.inputs[xi];
        const Src& s = src_[std::size_t(x)];
        if (!s.known || s.nonneg || s.flat || cons_[std::size_t(x)].size() != 1 || is_output_[std::size_t(x)])
            fail_unsupported("node ", n.label(), ": adding a constant is only supported right after a Conv/Gemm/MatMul (as its bias)");
        Layer& l = net_.layers[std::size_t(s.layer)];
        std::vector<float> cv = floats(c, n, "the constant");
        const std::int64_t channels = c.numel();
        const Shape& d = c.shape();
        bool per_channel = channels == l.out.c || channels == 1;
        if (l.kind == LayerKind::Conv && c.rank() >= 3)
            per_channel = per_channel && d[d.size() - 1] == 1 && d[d.size() - 2] == 1;
        if (!per_channel) fail_unsupported("node ", n.label(), ": constant ", c.type().str(), " is not one value per output channel");
        if (l.bias.empty()) l.bias.assign(l.out.c, 0.0f);
        for (std::uint32_t o = 0; o < l.out.c; ++o) l.bias[o] += cv[channels == 1 ? 0 : o];
        set(n.outputs.at(0), s);
    }

    void concat(const Node& n) {
        const std::int64_t axis = n.attrs.i("axis");
        const TensorType& t = val(n.outputs.at(0)).type;
        if (!(axis == 1 || (t.rank_known && t.rank() == 4 && axis == -3)))
            fail_unsupported("node ", n.label(), ": only concatenation over channels (axis 1) is supported");
        Layer l;
        l.name = n.name;
        l.kind = LayerKind::Concat;
        for (std::size_t i = 0; i < n.inputs.size(); ++i) l.inputs.push_back(map_input(n, i).layer);
        l.in = shape_of(src_[std::size_t(n.inputs[0])]);
        l.out = out_shape(n);
        Src o;
        o.layer = add_layer(std::move(l));
        set(n.outputs.at(0), o);
    }

    void pad(const Node& n) {
        Src s = map_input(n, 0, true);
        if (n.attrs.s_or("mode", "constant") != "constant") fail_unsupported("node ", n.label(), ": only constant padding is supported");
        std::vector<std::int64_t> pads;
        if (n.has_input(1)) {
            const Tensor* p = constant(n.inputs[1]);
            if (!p) fail_unsupported("node ", n.label(), ": the pads must be a constant");
            pads = p->to_int64_vector();
        } else {
            pads = n.attrs.ints_or("pads", {});
        }
        if (n.has_input(2)) {
            const Tensor* v = constant(n.inputs[2]);
            if (!v || v->numel() != 1 || v->to_double_vector()[0] != 0.0)
                fail_unsupported("node ", n.label(), ": only padding with 0 is supported");
        } else if (n.attrs.f_or("value", 0.f) != 0.f) {
            fail_unsupported("node ", n.label(), ": only padding with 0 is supported");
        }
        if (n.has_input(3)) fail_unsupported("node ", n.label(), ": the axes input is not supported");
        if (pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5] ||
            std::any_of(pads.begin(), pads.end(), [](std::int64_t p) { return p < 0; }))
            fail_unsupported("node ", n.label(), ": only non-negative spatial padding of a 4-D map is supported");
        s.pad_t += pads[2];
        s.pad_l += pads[3];
        s.pad_b += pads[6];
        s.pad_r += pads[7];
        set(n.outputs.at(0), s);
    }

    void flatten(const Node& n) {
        const ValueId x = n.inputs.at(0);
        Src s = src_[std::size_t(x)];
        if (!s.known) fail_unsupported("node ", n.label(), ": input '", val(x).name, "' is not a feature map of the network");
        if (s.padded()) fail_unsupported("node ", n.label(), ": input '", val(x).name, "' comes from a Pad");
        const Shape3 in = shape_of(s);
        const TensorType& t = val(n.outputs.at(0)).type;
        if (!t.rank_known || t.rank() != 2 || std::uint64_t(t.dims[1]) != in.size())
            fail_unsupported("node ", n.label(), ": output ", t.str(), " is not the [N, ", in.size(), "] flattening of its input");
        s.flat = true;
        set(n.outputs.at(0), s);
    }

    void softmax(const Node& n) {
        const ValueId y = n.outputs.at(0);
        if (!is_output_[std::size_t(y)] || !cons_[std::size_t(y)].empty())
            fail_unsupported("node ", n.label(), ": only a Softmax producing the model output can be dropped");
        const Src& s = src_[std::size_t(n.inputs.at(0))];
        if (s.known) src_[std::size_t(y)] = s;
    }

    const Graph& g_;
    const TranscodeOptions& o_;
    Network net_;
    std::vector<Src> src_;
    std::vector<std::vector<NodeId>> cons_;
    std::vector<bool> is_output_;
};

double percentile_of(std::vector<float>& v, double pct) {
    if (v.empty()) return 0.0;
    if (pct >= 100.0) return *std::max_element(v.begin(), v.end());
    const double pos = pct / 100.0 * double(v.size() - 1);
    const std::size_t k = std::size_t(std::floor(pos));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
    const double lo = v[k];
    if (k + 1 >= v.size()) return lo;
    const double hi = *std::min_element(v.begin() + std::ptrdiff_t(k) + 1, v.end());
    return lo + (hi - lo) * (pos - double(k));
}

bool has_neurons(const Layer& l) { return l.kind == LayerKind::Conv || l.kind == LayerKind::Fc || l.kind == LayerKind::Add; }

// Per-channel lambdas of every layer from the raw network's activations on the calibration set.
std::vector<std::vector<double>> lambdas(const Network& raw, const TranscodeOptions& o, std::span<const float> calibration,
                                         TranscodeReport& rep) {
    const std::size_t px = raw.input.size();
    const std::size_t n = calibration.size() / px;
    const std::size_t L = raw.layers.size();
    // Positive activations per layer and channel (only the max when pct = 100).
    const bool keep = o.percentile < 100.0;
    std::vector<std::vector<std::vector<float>>> pos(L);
    std::vector<std::vector<double>> maxv(L);
    std::vector<std::uint64_t> count(L, 0);
    for (std::size_t l = 0; l < L; ++l) {
        pos[l].resize(raw.layers[l].out.c);
        maxv[l].assign(raw.layers[l].out.c, 0.0);
    }
    const std::size_t chunk = 64;
    for (std::size_t b = 0; b < n; b += chunk) {
        const std::size_t m = std::min(chunk, n - b);
        std::vector<std::vector<std::vector<float>>> acts(m);
        tbb::parallel_for(std::size_t(0), m, [&](std::size_t i) {
            std::vector<float> hwc = nchw_to_hwc(calibration.subspan((b + i) * px, px), raw.input);
            acts[i] = formal_eval_layers(raw, hwc);
        });
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t l = 0; l < L; ++l) {
                const std::uint32_t c = raw.layers[l].out.c;
                const auto& a = acts[i][l];
                for (std::size_t j = 0; j < a.size(); ++j) {
                    if (!(a[j] > 0.0f)) continue;
                    const std::size_t ch = j % c;
                    maxv[l][ch] = std::max(maxv[l][ch], double(a[j]));
                    ++count[l];
                    if (keep) pos[l][ch].push_back(a[j]);
                }
            }
    }
    rep.calibration_images = n;
    // Layers whose lambda must be one value: Add inputs (scalar input_scale) and the output.
    std::vector<bool> uniform(L, false);
    uniform[std::size_t(raw.output)] = true;
    for (std::size_t l = L; l-- > 0;) {
        const Layer& ly = raw.layers[l];
        if (ly.kind == LayerKind::Add) uniform[l] = true;
        const bool pass = ly.kind == LayerKind::MaxPool || ly.kind == LayerKind::Concat;
        if (ly.kind == LayerKind::Add || (pass && uniform[l]))
            for (int s : ly.inputs)
                if (s >= 0) uniform[std::size_t(s)] = true;
    }
    std::vector<std::vector<double>> lam(L);
    auto in_lambda = [&](int s, std::uint32_t channels) {
        return s < 0 ? std::vector<double>(channels, 1.0) : lam[std::size_t(s)];
    };
    for (std::size_t l = 0; l < L; ++l) {
        const Layer& ly = raw.layers[l];
        const std::uint32_t c = ly.out.c;
        if (ly.kind == LayerKind::MaxPool) {
            lam[l] = in_lambda(ly.inputs[0], c);
        } else if (ly.kind == LayerKind::Concat) {
            for (int s : ly.inputs) {
                auto v = in_lambda(s, s < 0 ? raw.input.c : raw.layers[std::size_t(s)].out.c);
                lam[l].insert(lam[l].end(), v.begin(), v.end());
            }
        } else if (o.per_channel && !uniform[l]) {
            lam[l].resize(c);
            for (std::uint32_t ch = 0; ch < c; ++ch) {
                double v = keep ? percentile_of(pos[l][ch], o.percentile) : maxv[l][ch];
                lam[l][ch] = v > 0 ? v : 1.0;
            }
        } else {
            double v = 0;
            if (keep) {
                std::vector<float> all;
                for (auto& p : pos[l]) all.insert(all.end(), p.begin(), p.end());
                v = percentile_of(all, o.percentile);
            } else {
                v = *std::max_element(maxv[l].begin(), maxv[l].end());
            }
            lam[l].assign(c, v > 0 ? v : 1.0);
        }
        LayerNormalization ln;
        ln.name = ly.name;
        ln.lambda = lam[l];
        ln.max_activation = *std::max_element(maxv[l].begin(), maxv[l].end());
        ln.samples = count[l];
        rep.layers.push_back(std::move(ln));
    }
    for (std::size_t l = 0; l < L; ++l) {
        const Layer& ly = raw.layers[l];
        if (ly.kind != LayerKind::Add) continue;
        for (int s : ly.inputs) {
            auto v = in_lambda(s, ly.in.c);
            if (*std::max_element(v.begin(), v.end()) != *std::min_element(v.begin(), v.end()))
                fail_unsupported("spike layer '", ly.name, "' (Add): an input carries per-channel scales (a Concat of layers with different scales)");
        }
    }
    return lam;
}

void apply_lambdas(Network& net, const std::vector<std::vector<double>>& lam) {
    auto in_lambda = [&](int s, std::uint32_t ch) { return s < 0 ? 1.0 : lam[std::size_t(s)][ch]; };
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        Layer& ly = net.layers[l];
        const auto& out = lam[l];
        if (ly.kind == LayerKind::Conv) {
            const std::uint32_t ic_g = ly.in.c / ly.groups, oc_g = ly.out.c / ly.groups, k = ly.kernel_h * ly.kernel_w;
            for (std::uint32_t o = 0; o < ly.out.c; ++o)
                for (std::uint32_t c = 0; c < ic_g; ++c) {
                    const double f = in_lambda(ly.inputs[0], (o / oc_g) * ic_g + c) / out[o];
                    float* w = ly.weights.data() + (std::size_t(o) * ic_g + c) * k;
                    for (std::uint32_t i = 0; i < k; ++i) w[i] = float(w[i] * f);
                }
        } else if (ly.kind == LayerKind::Fc) {
            const std::size_t n = ly.in.size();
            for (std::uint32_t o = 0; o < ly.out.c; ++o)
                for (std::size_t j = 0; j < n; ++j) {
                    float& w = ly.weights[std::size_t(o) * n + j];
                    w = float(w * in_lambda(ly.inputs[0], std::uint32_t(j % ly.in.c)) / out[o]);
                }
        } else if (ly.kind == LayerKind::Add) {
            for (std::size_t i = 0; i < ly.inputs.size(); ++i)
                ly.input_scale[i] = float(ly.input_scale[i] * in_lambda(ly.inputs[i], 0) / out[0]);
        }
        if (has_neurons(ly))
            for (std::uint32_t o = 0; o < ly.bias.size(); ++o) ly.bias[o] = float(ly.bias[o] / out[o]);
    }
}

}  // namespace

std::vector<float> nchw_to_hwc(std::span<const float> nchw, const Shape3& s) {
    std::vector<float> out(s.size());
    const std::size_t hw = std::size_t(s.h) * s.w;
    for (std::uint32_t c = 0; c < s.c; ++c)
        for (std::size_t p = 0; p < hw; ++p) out[p * s.c + c] = nchw[c * hw + p];
    return out;
}

Network transcode(const graph::Graph& g, const TranscodeOptions& opts, std::span<const float> calibration,
                  TranscodeReport* report) {
    if (!(opts.percentile > 0.0 && opts.percentile <= 100.0))
        fail("spike normalization percentile must be in (0, 100], got ", opts.percentile);
    if (opts.rate_period == 0) fail("spike rate period must be positive");
    Graph gc = g;
    graph::fold_batchnorm(gc);
    graph::remove_dead_nodes(gc);
    Network net = Builder(gc, opts).build();
    TranscodeReport rep;
    const std::size_t px = net.input.size();
    if (calibration.size() % px != 0)
        fail("spike calibration: ", calibration.size(), " values are not a whole number of images of ", px);
    if (opts.normalize && !calibration.empty()) {
        auto lam = lambdas(net, opts, calibration, rep);
        apply_lambdas(net, lam);
        rep.output_lambda = lam[std::size_t(net.output)][0];
    } else {
        for (const Layer& l : net.layers) rep.layers.push_back({l.name, std::vector<double>(l.out.c, 1.0), 0, 0});
    }
    if (report) *report = std::move(rep);
    return net;
}

std::vector<std::string> layer_aliases(const Network& net) {
    std::map<std::string, int> count;
    std::vector<std::string> out;
    for (const Layer& l : net.layers) {
        std::string k;
        switch (l.kind) {
        case LayerKind::Conv: k = l.groups > 1 && l.groups == l.in.c && l.bias.empty() ? "pool" : "conv"; break;
        case LayerKind::Fc: k = "fc"; break;
        case LayerKind::MaxPool: k = "pool"; break;
        case LayerKind::Add: k = "add"; break;
        case LayerKind::Concat: k = "concat"; break;
        }
        out.push_back(k + std::to_string(++count[k]));
    }
    return out;
}

}  // namespace n2d2::spike
