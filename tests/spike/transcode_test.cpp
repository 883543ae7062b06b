// The transcoder against the graph it came from: formal_eval(transcode(g)) == graph output /
// lambda_out on Fashion-MNIST images (both sample LeNets) and on a small residual Add/Concat net
// built here, plus hand-checked normalization and refusals naming the node.
#include "spike/transcode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "frontends/data/idx.h"
#include "frontends/onnx/onnx_loader.h"
#include "graph/error.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#include "scheduler/plan.h"
#include "spike/formal_eval.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::spike;

namespace {

const char* kFashion = "/usr/share/datasets/fashion-mnist";

// The graph's first output for `images` [n, C, H, W] (NCHW floats), through the CPU executor.
std::vector<float> run_graph(graph::Graph g, const std::vector<float>& images, Shape dims) {
    sched::optimize_graph(g);
    sched::Plan plan = sched::Plan::compile(std::move(g));
    Tensor x = Tensor::from_vector<float>(dims, images);
    return sched::make_executor(plan, sched::Engine::Sequential, 1)->run({x})[0].to_vector<float>();
}

std::size_t argmax(std::span<const float> v) { return std::size_t(std::max_element(v.begin(), v.end()) - v.begin()); }

// Compares formal_eval(net) on each image with the graph's output / lambda.
void expect_matches(const Network& net, double lambda, const std::vector<float>& images, const std::vector<float>& ref,
                    std::size_t classes, double tol) {
    const std::size_t px = net.input.size(), n = images.size() / px;
    ASSERT_EQ(ref.size(), n * classes);
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto hwc = nchw_to_hwc(std::span<const float>(images).subspan(i * px, px), net.input);
        std::vector<float> got = formal_eval(net, hwc);
        ASSERT_EQ(got.size(), classes);
        std::span<const float> want(ref.data() + i * classes, classes);
        EXPECT_EQ(argmax(got), argmax(want)) << "image " << i;
        for (std::size_t c = 0; c < classes; ++c) worst = std::max(worst, std::abs(got[c] - want[c] / lambda));
    }
    EXPECT_LT(worst, tol);
}

void check_lenet(const std::string& file, double percentile, bool per_channel) {
    if (!std::filesystem::exists(kFashion)) GTEST_SKIP() << kFashion << " missing (Debian dataset-fashion-mnist)";
    graph::Graph g = onnx::load_model(test::source_path("samples/spike/" + file));
    data::LabelledImages train = data::read_mnist(kFashion, data::Split::Train, 300);
    data::LabelledImages test = data::read_mnist(kFashion, data::Split::Test, 40);
    Tensor cal = data::images_to_float(train, 0, train.size());
    Tensor te = data::images_to_float(test, 0, test.size());
    TranscodeOptions o;
    o.percentile = percentile;
    o.per_channel = per_channel;
    TranscodeReport rep;
    Network net = transcode(g, o, cal.span<float>(), &rep);
    EXPECT_EQ(rep.calibration_images, 300u);
    ASSERT_EQ(rep.layers.size(), net.layers.size());
    EXPECT_GT(rep.output_lambda, 0.1);
    std::vector<float> images = te.to_vector<float>();
    std::vector<float> ref = run_graph(g, images, {test.size(), 1, 28, 28});
    expect_matches(net, rep.output_lambda, images, ref, 10, 1e-4);
    // Every hidden neuron layer's activations on the calibration set are <= 1 at the max.
    if (percentile == 100.0) {
        for (std::size_t i = 0; i < 20; ++i) {
            auto hwc = nchw_to_hwc(cal.span<float>().subspan(i * 784, 784), net.input);
            auto acts = formal_eval_layers(net, hwc);
            for (std::size_t l = 0; l < acts.size(); ++l)
                for (float v : acts[l]) ASSERT_LE(v, 1.0f + 1e-5f) << net.layers[l].name;
        }
    }
}

}  // namespace

TEST(SpikeTranscode, LenetMaxPoolMatchesGraph) {
    check_lenet("lenet_fmnist.onnx", 100.0, false);
    graph::Graph g = onnx::load_model(test::source_path("samples/spike/lenet_fmnist.onnx"));
    Network net = transcode(g, {}, {});
    ASSERT_EQ(net.layers.size(), 6u);
    EXPECT_EQ(net.layers[1].kind, LayerKind::MaxPool);
    EXPECT_EQ(net.layers[4].kind, LayerKind::Fc);
    EXPECT_EQ(net.layers[4].in, (Shape3{32, 5, 5}));
    EXPECT_EQ(net.output, 5);
    EXPECT_EQ(layer_aliases(net), (std::vector<std::string>{"conv1", "pool1", "conv2", "pool2", "fc1", "fc2"}));
}

TEST(SpikeTranscode, LenetAvgPoolMatchesGraph) {
    check_lenet("lenet_fmnist_avg.onnx", 100.0, false);
    graph::Graph g = onnx::load_model(test::source_path("samples/spike/lenet_fmnist_avg.onnx"));
    Network net = transcode(g, {}, {});
    ASSERT_EQ(net.layers.size(), 6u);
    EXPECT_EQ(net.layers[1].kind, LayerKind::Conv);  // the average pool: depthwise, 1/4
    EXPECT_EQ(net.layers[1].groups, 16u);
    EXPECT_FLOAT_EQ(net.layers[1].weights[0], 0.25f);
    EXPECT_EQ(layer_aliases(net)[1], "pool1");
}

TEST(SpikeTranscode, PercentileAndPerChannelStillMatchGraph) {
    check_lenet("lenet_fmnist.onnx", 99.9, true);
}

namespace {

// input 1x8x8 -> a: conv 4 3x3 pad 1 + relu -> b: conv 4 3x3 pad 1 + relu (on a)
// -> s = relu(a + b) -> c: conv 3 3x3 pad 1 + relu (on s) -> concat(s, c) 7ch -> maxpool 2
// -> flatten -> gemm 5 (+ bias)
struct Tiny {
    graph::Graph g;
    graph::ValueId in;
};

graph::ValueId map_value(graph::Graph& g, const std::string& name, int64_t c, int64_t h, int64_t w) {
    return g.add_value(name, TensorType(DType::F32, {-1, c, h, w}));
}

graph::ValueId node(graph::Graph& g, const std::string& op, std::vector<graph::ValueId> in, graph::ValueId out,
                    graph::Attributes a = {}) {
    graph::Node n;
    n.name = op + "_" + std::to_string(g.num_nodes());
    n.op_type = op;
    n.inputs = std::move(in);
    n.outputs = {out};
    n.attrs = std::move(a);
    g.add_node(std::move(n));
    return out;
}

graph::ValueId conv(graph::Graph& g, graph::ValueId x, int64_t ci, int64_t co, int64_t h, uint64_t seed) {
    auto w = g.add_initializer("w" + std::to_string(seed), test::random_tensor({co, ci, 3, 3}, seed, -0.6f, 0.8f));
    auto b = g.add_initializer("b" + std::to_string(seed), test::random_tensor({co}, seed + 100, -0.2f, 0.3f));
    auto y = map_value(g, "conv" + std::to_string(seed), co, h, h);
    node(g, "Conv", {x, w, b}, y, test::attrs({{"pads", std::vector<int64_t>{1, 1, 1, 1}}}));
    auto r = map_value(g, "relu" + std::to_string(seed), co, h, h);
    return node(g, "Relu", {y}, r);
}

graph::Graph tiny_net() {
    graph::Graph g;
    auto x = map_value(g, "x", 1, 8, 8);
    g.add_input(x);
    auto a = conv(g, x, 1, 4, 8, 1);
    auto b = conv(g, a, 4, 4, 8, 2);
    auto s0 = node(g, "Add", {a, b}, map_value(g, "sum", 4, 8, 8));
    auto s = node(g, "Relu", {s0}, map_value(g, "sum_relu", 4, 8, 8));
    auto c = conv(g, s, 4, 3, 8, 3);
    auto cat = node(g, "Concat", {s, c}, map_value(g, "cat", 7, 8, 8), test::attrs({{"axis", int64_t{1}}}));
    auto mp = node(g, "MaxPool", {cat}, map_value(g, "mp", 7, 4, 4),
                   test::attrs({{"kernel_shape", std::vector<int64_t>{2, 2}}, {"strides", std::vector<int64_t>{2, 2}}}));
    auto fl = node(g, "Flatten", {mp}, g.add_value("flat", TensorType(DType::F32, {-1, 112})), test::attrs({{"axis", int64_t{1}}}));
    auto w = g.add_initializer("fcw", test::random_tensor({5, 112}, 7, -0.3f, 0.3f));
    auto bb = g.add_initializer("fcb", test::random_tensor({5}, 8, -0.1f, 0.1f));
    auto y = node(g, "Gemm", {fl, w, bb}, g.add_value("y", TensorType(DType::F32, {-1, 5})), test::attrs({{"transB", int64_t{1}}}));
    g.add_output(y);
    return g;
}

// The tiny net's reference output, node by node through the kernels (NCHW).
std::vector<float> tiny_reference(const graph::Graph& g, const std::vector<float>& image) {
    std::vector<Tensor> vals(g.num_values());
    for (std::size_t v = 0; v < g.num_values(); ++v)
        if (g.values()[v].initializer) vals[v] = *g.values()[v].initializer;
    vals[std::size_t(g.inputs()[0])] = Tensor::from_vector<float>({1, 1, 8, 8}, image);
    for (graph::NodeId id : g.topo_order()) {
        const graph::Node& n = g.node(id);
        std::vector<Tensor> ins;
        for (auto v : n.inputs) ins.push_back(vals[std::size_t(v)]);
        vals[std::size_t(n.outputs[0])] = test::run_op(n.op_type, ins, n.attrs)[0];
    }
    return vals[std::size_t(g.outputs()[0])].to_vector<float>();
}

}  // namespace

TEST(SpikeTranscode, ResidualAddConcatNetMatchesKernels) {
    graph::Graph g = tiny_net();
    std::vector<float> cal(64 * 30), images(64 * 12);
    Tensor r1 = test::random_tensor({30 * 64}, 11, 0.f, 1.f), r2 = test::random_tensor({12 * 64}, 12, 0.f, 1.f);
    cal = r1.to_vector<float>();
    images = r2.to_vector<float>();
    for (bool per_channel : {false, true}) {
        TranscodeOptions o;
        o.per_channel = per_channel;
        TranscodeReport rep;
        Network net = transcode(g, o, cal, &rep);
        ASSERT_EQ(net.layers.size(), 7u);  // conv conv add conv concat maxpool fc
        EXPECT_EQ(net.layers[2].kind, LayerKind::Add);
        EXPECT_EQ(net.layers[4].kind, LayerKind::Concat);
        // Add: input scales lambda_in / lambda_out, hand-checked from the report.
        const double la = rep.layers[0].lambda[0], lb = rep.layers[1].lambda[0], ls = rep.layers[2].lambda[0];
        EXPECT_NEAR(net.layers[2].input_scale[0], la / ls, 1e-6);
        EXPECT_NEAR(net.layers[2].input_scale[1], lb / ls, 1e-6);
        std::vector<float> ref;
        for (std::size_t i = 0; i < 12; ++i) {
            auto y = tiny_reference(g, std::vector<float>(images.begin() + i * 64, images.begin() + (i + 1) * 64));
            ref.insert(ref.end(), y.begin(), y.end());
        }
        expect_matches(net, rep.output_lambda, images, ref, 5, 1e-4);
    }
}

TEST(SpikeTranscode, NormalizationHandChecked) {
    // x (2 features) -> fc 2 + relu -> fc 1: lambda_1 = max relu output, lambda_2 = max output.
    graph::Graph g;
    auto x = g.add_value("x", TensorType(DType::F32, {-1, 2}));
    g.add_input(x);
    auto w1 = g.add_initializer("w1", Tensor::from_vector<float>({2, 2}, {2, 0, 1, 1}));  // [K][M]
    auto h = node(g, "MatMul", {x, w1}, g.add_value("h", TensorType(DType::F32, {-1, 2})));
    auto r = node(g, "Relu", {h}, g.add_value("r", TensorType(DType::F32, {-1, 2})));
    auto w2 = g.add_initializer("w2", Tensor::from_vector<float>({1, 2}, {1, 3}));
    auto b2 = g.add_initializer("b2", Tensor::from_vector<float>({1}, {0.5f}));
    auto y = node(g, "Gemm", {r, w2, b2}, g.add_value("y", TensorType(DType::F32, {-1, 1})), test::attrs({{"transB", int64_t{1}}}));
    g.add_output(y);
    // h = (2 x0 + x1, x1); images (1, 0), (0, 1): h = (2, 0), (1, 1); max 2.
    // y = h0 + 3 h1 + 0.5 = 2.5, 4.5; max 4.5.
    std::vector<float> cal = {1, 0, 0, 1};
    TranscodeReport rep;
    Network net = transcode(g, {}, cal, &rep);
    ASSERT_EQ(net.layers.size(), 2u);
    EXPECT_DOUBLE_EQ(rep.layers[0].lambda[0], 2.0);
    EXPECT_DOUBLE_EQ(rep.output_lambda, 4.5);
    // W1' = W1 / 2 (input lambda 1), stored [out][in]: out0 = (2, 1)/2, out1 = (0, 1)/2.
    EXPECT_EQ(net.layers[0].weights, (std::vector<float>{1.0f, 0.5f, 0.0f, 0.5f}));
    // W2' = W2 * 2 / 4.5, b2' = 0.5 / 4.5.
    EXPECT_FLOAT_EQ(net.layers[1].weights[1], float(3 * 2 / 4.5));
    EXPECT_FLOAT_EQ(net.layers[1].bias[0], float(0.5 / 4.5));
    // Per-channel: lambda_1 = (2, 1).
    TranscodeOptions pc;
    pc.per_channel = true;
    transcode(g, pc, cal, &rep);
    EXPECT_EQ(rep.layers[0].lambda, (std::vector<double>{2.0, 1.0}));
    // The 50th percentile of the positive activations {2, 1, 1} of layer 1 is 1.
    TranscodeOptions p50;
    p50.percentile = 50;
    transcode(g, p50, cal, &rep);
    EXPECT_DOUBLE_EQ(rep.layers[0].lambda[0], 1.0);
}

TEST(SpikeTranscode, RefusesUnsupportedNodesByName) {
    graph::Graph g;
    auto x = g.add_value("x", TensorType(DType::F32, {-1, 1, 4, 4}));
    g.add_input(x);
    auto y = node(g, "Sigmoid", {x}, g.add_value("y", TensorType(DType::F32, {-1, 1, 4, 4})));
    g.add_output(y);
    try {
        transcode(g, {}, {});
        FAIL() << "expected a throw";
    } catch (const UnsupportedError& e) {
        EXPECT_NE(std::string(e.what()).find("Sigmoid_0"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("Sigmoid"), std::string::npos) << e.what();
    }
    // A Conv without Relu feeding a pool: signed values cannot be carried by spikes.
    graph::Graph g2;
    auto x2 = map_value(g2, "x", 1, 4, 4);
    g2.add_input(x2);
    auto w = g2.add_initializer("w", test::random_tensor({2, 1, 3, 3}, 1));
    auto c = node(g2, "Conv", {x2, w}, map_value(g2, "c", 2, 2, 2));
    auto p = node(g2, "MaxPool", {c}, map_value(g2, "p", 2, 1, 1), test::attrs({{"kernel_shape", std::vector<int64_t>{2, 2}}}));
    g2.add_output(p);
    try {
        transcode(g2, {}, {});
        FAIL() << "expected a throw";
    } catch (const UnsupportedError& e) {
        EXPECT_NE(std::string(e.what()).find("MaxPool_1"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("without Relu"), std::string::npos) << e.what();
    }
}

#include "spike/stats.h"

TEST(SpikeStats, HandChecked) {
    // input 1x4x4 -> conv 2ch 3x3 (2x2 out: 8 neurons x 9 MACs = 72) -> fc 3 (24 MACs): 96 MACs.
    Network net;
    net.input = {1, 4, 4};
    Layer c;
    c.name = "c";
    c.inputs = {-1};
    c.in = {1, 4, 4};
    c.out = {2, 2, 2};
    c.kernel_h = c.kernel_w = 3;
    c.weights.assign(18, 0.1f);
    Layer f;
    f.name = "f";
    f.kind = LayerKind::Fc;
    f.inputs = {0};
    f.in = c.out;
    f.out = {3, 1, 1};
    f.weights.assign(24, 0.1f);
    net.layers = {c, f};
    net.output = 1;
    SpikeStats s(net);
    EXPECT_EQ(s.formal_macs(), 96u);
    s.add({{4, 1}, {30, 18}, 10, 500, false});
    s.add({{2, 3}, {18, 30}, 6, 1500, true});
    EXPECT_EQ(s.patterns(), 2u);
    EXPECT_EQ(s.synaptic_events(), 96u);
    EXPECT_EQ(s.spikes(), 10u);
    EXPECT_DOUBLE_EQ(s.read_events_per_virtual_synapse(), 0.5);  // 96 / 96 / 2
    EXPECT_DOUBLE_EQ(s.mean_latency_fs(), 1000.0);
    EXPECT_EQ(s.max_latency_fs(), 1500u);
    EXPECT_EQ(s.terminated(), 1u);
    EXPECT_DOUBLE_EQ(s.input_spikes_per_pattern(), 8.0);
    EnergyModel e{1.0, 4.0};
    EXPECT_DOUBLE_EQ(s.energy_spike_pj(e), 48.0);   // 48 accumulations per pattern
    EXPECT_DOUBLE_EQ(s.energy_formal_pj(e), 384.0); // 96 MACs
    EXPECT_EQ(s.rows()[0].alias, "conv1");
    EXPECT_NE(s.csv().find("c,conv1,Conv,8,3,24,72,0.333333"), std::string::npos) << s.csv();
    EXPECT_NE(s.table().find("total"), std::string::npos);
    EXPECT_THROW(s.add({{1}, {1}, 0, 0, false}), std::invalid_argument);
}
