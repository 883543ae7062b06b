// INI native layer sections -> graph IR (frontends/ini_model/ini_layers.h): geometry properties,
// mappings (groups, depthwise, masked weights), activations, fillers, multiple inputs, the
// element-wise layers, hand-checked outputs; N2D2 text weights (ini_weights.h): round trip, the
// single-file layout, malformed and missing files; errors with file:line and suggestions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>

#include "frontends/ini_model/ini_model.h"
#include "frontends/ini_model/ini_weights.h"
#include "graph/error.h"
#include "scheduler/executor.h"
#include "scheduler/pipeline.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace n2d2;

namespace {

class IniLayers : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("n2d2_ini_layers_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  ini::IniModel load(const std::string& text, ini::IniOptions io = {}) {
    return ini::load_ini_model(write("m.ini", text), {}, io);
  }
  std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  std::string load_error(const std::string& text) { return error_of([&] { load(text); }); }
  fs::path dir_;
};

const graph::Node* find_op(const graph::Graph& g, const std::string& op, int nth = 0) {
  for (const auto& n : g.nodes())
    if (n.op_type == op && nth-- == 0) return &n;
  return nullptr;
}

std::vector<std::string> ops(const graph::Graph& g) {
  std::vector<std::string> r;
  for (const auto& n : g.nodes()) r.push_back(n.op_type);
  return r;
}

Tensor run(graph::Graph g, const Tensor& x) {
  sched::optimize_graph(g);
  sched::Plan p = sched::Plan::compile(std::move(g));
  return sched::make_executor(p, sched::Engine::Sequential, 1)->run({x})[0];
}

const std::string kSp = "[sp]\nSizeX=6\nSizeY=5\nNbChannels=2\nBatchSize=1\n";

}  // namespace

TEST_F(IniLayers, ConvGeometry) {
  auto m = load(kSp + "[c]\nInput=sp\nType=Conv\nKernelWidth=3\nKernelHeight=1\nNbOutputs=4\nStrideX=2\nPaddingY=1\n"
                      "Dilation=1\nNoBias=1\nActivationFunction=Rectifier\n");
  const graph::Node* c = find_op(m.graph, "Conv");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attrs.ints("kernel_shape"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(c->attrs.ints("strides"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(c->attrs.ints("pads"), (std::vector<int64_t>{1, 0, 1, 0}));
  EXPECT_EQ(c->inputs.size(), 2u);  // NoBias
  EXPECT_EQ(ops(m.graph), (std::vector<std::string>{"Conv", "Relu"}));
  EXPECT_EQ(m.graph.value(m.graph.outputs()[0]).name, "c");
  EXPECT_EQ(m.graph.value(m.graph.outputs()[0]).type.str(), "float32[1x4x7x2]");
  // KernelDims lists width first; default activation of a Conv is Tanh (N2D2's default).
  m = load(kSp + "[c]\nInput=sp\nType=Conv\nKernelDims=3 1\nStrideDims=2 1\nNbOutputs=4\n");
  EXPECT_EQ(find_op(m.graph, "Conv")->attrs.ints("kernel_shape"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(find_op(m.graph, "Conv")->attrs.ints("strides"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(ops(m.graph), (std::vector<std::string>{"Conv", "Tanh"}));
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].kernel, 3);
  EXPECT_EQ(m.params[0].channels, 2);
}

TEST_F(IniLayers, MappingsBecomeGroupsOrMasks) {
  std::string sp4 = "[sp]\nSizeX=4\nSizeY=4\nNbChannels=4\nBatchSize=1\n";
  auto group_of = [&](const std::string& props) {
    auto m = load(sp4 + "[c]\nInput=sp\nType=Conv\nKernelSize=1\nNbOutputs=4\n" + props);
    return std::make_pair(find_op(m.graph, "Conv")->attrs.i("group"), m.params.at(0));
  };
  EXPECT_EQ(group_of("").first, 1);
  EXPECT_EQ(group_of("Mapping.NbGroups=2\n").first, 2);
  EXPECT_EQ(group_of("Mapping.ChannelsPerGroup=1\n").first, 4);
  EXPECT_EQ(group_of("Mapping.Size=1\n").first, 4);  // one-to-one: depthwise
  auto [g, p] = group_of("Mapping(sp)=1 1 0 0 1 1 0 0 0 0 1 1 0 0 1 1\n");  // block diagonal
  EXPECT_EQ(g, 2);
  EXPECT_TRUE(p.mask.empty());
  std::tie(g, p) = group_of("Mapping(sp)=1 0 0 0 1 1 0 0 0 1 1 0 0 0 1 1\n");  // not a group pattern
  EXPECT_EQ(g, 1);
  ASSERT_EQ(p.mask.size(), 16u);
  EXPECT_TRUE(p.connected(0, 1));   // row = input channel 1, column = output 0
  EXPECT_FALSE(p.connected(1, 0));  // row 0, column 1
  std::tie(g, p) = group_of("Mapping(env)=1 0 0 0 1 1 0 0 0 1 1 0 0 0 1 1\n");  // N2D2's name of the input
  EXPECT_FALSE(p.mask.empty());
}

TEST_F(IniLayers, MaskedConvHandChecked) {
  // 2 inputs (1 and 10 everywhere) -> 3 outputs: ch0 feeds o0 and o2, ch1 feeds o1 and o2.
  auto m = load("[sp]\nSizeX=2\nSizeY=2\nNbChannels=2\n[c]\nInput=sp\nType=Conv\nKernelSize=1\nNbOutputs=3\nNoBias=1\n"
                "Mapping(sp)=1 0 1 \\\n0 1 1\nWeightsFiller=ConstantFiller\nWeightsFiller.Value=1\nActivationFunction=Linear\n");
  std::vector<float> x = {1, 1, 1, 1, 10, 10, 10, 10};
  Tensor y = run(m.graph, Tensor::from_vector<float>({1, 2, 2, 2}, x));
  std::vector<float> want = {1, 1, 1, 1, 10, 10, 10, 10, 11, 11, 11, 11};
  test::expect_near(y, Tensor::from_vector<float>({1, 3, 2, 2}, want));
}

TEST_F(IniLayers, PoolFcSoftmaxAndActivations) {
  auto m = load(kSp + "[p]\nInput=sp\nType=Pool\nPoolWidth=6\nPoolHeight=5\nPooling=Average\n"
                      "[f]\nInput=p\nType=Fc\nNbOutputs=3\n[s]\nInput=f\nType=Softmax\nWithLoss=1\n");
  EXPECT_EQ(ops(m.graph), (std::vector<std::string>{"GlobalAveragePool", "Flatten", "Gemm", "Tanh", "Softmax"}));
  m = load(kSp + "[p]\nInput=sp\nType=Pool\nPoolSize=2\nStride=2\nPadding=1\nPooling=Max\nNbOutputs=2\n");
  const graph::Node* mp = find_op(m.graph, "MaxPool");
  ASSERT_NE(mp, nullptr);
  EXPECT_EQ(m.graph.value(m.graph.outputs()[0]).type.str(), "float32[1x2x3x4]");
  m = load(kSp + "[a]\nInput=sp\nType=Activation\nActivationFunction=Rectifier\nActivationFunction.LeakSlope=0.25\n"
                 "ActivationFunction.Clipping=2\n");
  EXPECT_EQ(ops(m.graph), (std::vector<std::string>{"LeakyRelu", "Clip"}));
  EXPECT_FLOAT_EQ(find_op(m.graph, "LeakyRelu")->attrs.f("alpha"), 0.25f);
  Tensor y = run(m.graph, Tensor::from_vector<float>({1, 2, 5, 6}, std::vector<float>(60, -4.f)));
  EXPECT_FLOAT_EQ(y.data<float>()[0], -1.f);
  y = run(m.graph, Tensor::from_vector<float>({1, 2, 5, 6}, std::vector<float>(60, 5.f)));
  EXPECT_FLOAT_EQ(y.data<float>()[7], 2.f);
  for (auto [fn, x, want] : {std::tuple{"Saturation", 3.f, 1.f}, {"Logistic", 0.f, 0.5f}, {"Softplus", 0.f, std::log(2.f)},
                             {"TanhLeCun", 1.5f, 1.7159f * std::tanh(1.f)}, {"Linear", 3.f, 3.f}}) {
    SCOPED_TRACE(fn);
    m = load(kSp + "[a]\nInput=sp\nType=Activation\nActivationFunction=" + fn + "\n");
    y = run(m.graph, Tensor::from_vector<float>({1, 2, 5, 6}, std::vector<float>(60, x)));
    EXPECT_NEAR(y.data<float>()[11], want, 1e-6);
  }
}

TEST_F(IniLayers, ElemWiseWeightsShiftsAndMultipleInputs) {
  // 0.5 * x + 0.1 + 2 * (3 x) = 6.5 x + 0.1
  auto m = load(kSp + "[s]\nInput=sp\nType=Scaling\nFactor=3\n[e]\nInput=sp,s\nType=ElemWise\nOperation=Sum\n"
                      "Weights=0.5 2\nShifts=0.1 0\n");
  Tensor y = run(m.graph, Tensor::from_vector<float>({1, 2, 5, 6}, std::vector<float>(60, 2.f)));
  EXPECT_NEAR(y.data<float>()[5], 13.1f, 1e-5);
  m = load(kSp + "[s]\nInput=sp\nType=Scaling\nFactor=3\n[e]\nInput=sp,s,s\nType=ElemWise\nOperation=Prod\n");
  y = run(m.graph, Tensor::from_vector<float>({1, 2, 5, 6}, std::vector<float>(60, 2.f)));
  EXPECT_NEAR(y.data<float>()[5], 72.f, 1e-4);
  m = load(kSp + "[s]\nInput=sp\nType=Scaling\nFactor=-1\n[e]\nInput=sp,s\nType=ElemWise\nOperation=Max\n");
  y = run(m.graph, Tensor::from_vector<float>({1, 2, 5, 6}, std::vector<float>(60, -2.f)));
  EXPECT_FLOAT_EQ(y.data<float>()[5], 2.f);
  // Several Inputs of a Conv are concatenated along the channels; Input may name a later section.
  m = load(kSp + "[c]\nInput=sp,d\nType=Conv\nKernelSize=1\nNbOutputs=3\n[d]\nInput=sp\nType=Dropout\n");
  EXPECT_EQ(ops(m.graph), (std::vector<std::string>{"Identity", "Concat", "Conv", "Tanh"}));
  EXPECT_EQ(m.params.at(0).channels, 4);
}

TEST_F(IniLayers, TensorLayers) {
  auto m = load(kSp + "[p]\nInput=sp\nType=Padding\nTopPadding=1\nBottomPadding=0\nLeftPadding=2\nRightPadding=1\n");
  EXPECT_EQ(m.graph.value(m.graph.outputs()[0]).type.str(), "float32[1x2x6x9]");
  m = load(kSp + "[r]\nInput=sp\nType=Resize\nOutputWidth=12\nOutputHeight=10\nMode=NearestNeighbor\n");
  EXPECT_EQ(m.graph.value(m.graph.outputs()[0]).type.str(), "float32[1x2x10x12]");
  m = load(kSp + "[r]\nInput=sp\nType=Reshape\nDims=30 2\n");  // width first, without the batch
  EXPECT_EQ(m.graph.value(m.graph.outputs()[0]).type.str(), "float32[1x2x30]");
  m = load(kSp + "[t]\nInput=sp\nType=Transpose\nPerm=1 0 2 3\n");  // swaps x and y
  EXPECT_EQ(m.graph.value(m.graph.outputs()[0]).type.str(), "float32[1x2x6x5]");
  EXPECT_EQ(find_op(m.graph, "Transpose")->attrs.ints("perm"), (std::vector<int64_t>{0, 1, 3, 2}));
  m = load("InsertBatchNormalization=1\n" + kSp + "[c]\nInput=sp\nType=Conv\nKernelSize=1\nNbOutputs=3\nActivationFunction=Rectifier\n");
  EXPECT_EQ(ops(m.graph), (std::vector<std::string>{"Conv", "BatchNormalization", "Relu"}));
  EXPECT_EQ(m.params.at(1).name, "c_batchnorm");
}

TEST_F(IniLayers, FillersAreSeededAndFollowTheirProperties) {
  std::string net = "[sp]\nSizeX=8\nSizeY=8\nNbChannels=16\n[c]\nInput=sp\nType=Conv\nKernelSize=3\nNbOutputs=64\n"
                    "WeightsFiller=HeFiller\nBiasFiller=UniformFiller\nBiasFiller.Min=2\nBiasFiller.Max=3\n";
  auto a = load(net, {"", 1}), b = load(net, {"", 1}), c = load(net, {"", 2});
  const Tensor& wa = *a.graph.value(a.params[0].weights).initializer;
  test::expect_equal(wa, *b.graph.value(b.params[0].weights).initializer);
  EXPECT_NE(wa.data<float>()[0], c.graph.value(c.params[0].weights).initializer->data<float>()[0]);
  double sum2 = 0;
  for (float v : wa.span<float>()) sum2 += double(v) * v;
  double sd = std::sqrt(sum2 / wa.numel()), want = std::sqrt(2.0 / (16 * 9));
  EXPECT_NEAR(sd, want, 0.05 * want);  // 9216 samples
  for (float v : a.graph.value(a.params[0].bias).initializer->span<float>()) {
    EXPECT_GE(v, 2.f);
    EXPECT_LT(v, 3.f);
  }
}

TEST_F(IniLayers, TextWeightsRoundTripAndLayouts) {
  std::string net = kSp + "[c]\nInput=sp\nType=Conv\nKernelSize=1\nNbOutputs=2\nMapping(sp)=1 0 1 1\n"
                          "[b]\nInput=c\nType=BatchNorm\n[f]\nInput=b\nType=Fc\nNbOutputs=2\n";
  auto a = load(net, {"", 7});
  fs::path w = dir_ / "w";
  ini::export_weights(w.string(), a.params, a.graph);
  for (const char* f : {"c_weights", "c_biases", "b_scales", "b_biases", "b_means", "b_variances", "f_weights", "f_biases"})
    EXPECT_TRUE(fs::exists(w / (std::string(f) + ".syntxt"))) << f;
  // conv: Mapping rows are the input channels: output 0 reads channels 0 and 1, output 1 channel 1
  std::ifstream cw(w / "c_weights.syntxt");
  std::string l0, l1;
  std::getline(cw, l0);
  std::getline(cw, l1);
  EXPECT_EQ(std::count(l0.begin(), l0.end(), ' '), 2) << l0;
  EXPECT_EQ(std::count(l1.begin(), l1.end(), ' '), 1) << l1;
  auto b = load(net, {w.string(), 99});  // other fillers, then the files
  Tensor x = test::random_tensor({1, 2, 5, 6}, 3);
  test::expect_equal(run(b.graph, x), run(a.graph, x));
  // One file per layer (N2D2's alternative layout): per output its weights then its bias.
  fs::path one = dir_ / "one";
  fs::create_directories(one);
  std::ofstream(one / "c.syntxt") << "1 2 0.5\n3 0.25\n";
  std::ofstream(one / "b.syntxt") << "1 0 0 1\n2 1 0 4\n";
  std::string f0 = "1", f1 = "0";
  for (int i = 1; i < 60; ++i) {
    f0 += " 0";
    f1 += i == 30 ? " 1" : " 0";
  }
  std::ofstream(one / "f.syntxt") << f0 << " 0\n" << f1 << " 0.5\n";
  auto c = load(net, {one.string(), 1});
  Tensor y = run(c.graph, Tensor::from_vector<float>({1, 2, 5, 6}, std::vector<float>(60, 1.f)));
  // c (Tanh): tanh(1 + 2 + 0.5), tanh(3 + 0.25); b (Tanh): scale (x - mean) / sqrt(var + 1e-5) + bias;
  // f (Tanh): output 0 = input 0 (channel 0), output 1 = input 30 (channel 1) + 0.5
  double b0 = std::tanh(std::tanh(3.5) / std::sqrt(1 + 1e-5)), b1 = std::tanh(2 * std::tanh(3.25) / std::sqrt(4 + 1e-5) + 1);
  ASSERT_EQ(y.numel(), 2);
  EXPECT_NEAR(y.data<float>()[0], std::tanh(b0), 1e-6);
  EXPECT_NEAR(y.data<float>()[1], std::tanh(b1 + 0.5), 1e-6);
  auto e = error_of([&] { load(net, {(dir_ / "nope").string(), 1}); });
  EXPECT_NE(e.find("nope: not a directory"), std::string::npos) << e;
}

TEST_F(IniLayers, TextWeightsErrorsNameFileAndLine) {
  std::string net = kSp + "[f]\nInput=sp\nType=Fc\nNbOutputs=2\nNoBias=1\n[g]\nInput=f\nType=Fc\nNbOutputs=1\nNoBias=1\n";
  fs::path w = dir_ / "w";
  fs::create_directories(w);
  std::string row(60 * 2, ' ');
  for (int i = 0; i < 60; ++i) row[static_cast<std::size_t>(2 * i)] = '1';
  std::ofstream(w / "f_weights.syntxt") << row << "\n" << row << "\n";
  auto e = error_of([&] { load(net, {w.string(), 1}); });
  EXPECT_NE(e.find("g_weights.syntxt: cannot open the weights file"), std::string::npos) << e;
  std::ofstream(w / "g_weights.syntxt") << "1\nx\n";
  e = error_of([&] { load(net, {w.string(), 1}); });
  EXPECT_NE(e.find("g_weights.syntxt:2: 'x' is not a number"), std::string::npos) << e;
  std::ofstream(w / "g_weights.syntxt") << "1 2\n3\n";
  e = error_of([&] { load(net, {w.string(), 1}); });
  EXPECT_NE(e.find("g_weights.syntxt:2: more values than the layer has (2 expected)"), std::string::npos) << e;
  std::ofstream(w / "f_weights.syntxt") << row << "\n";
  e = error_of([&] { load(net, {w.string(), 1}); });
  EXPECT_NE(e.find("f_weights.syntxt:2: the file ends early: weight of output 1, channel 0 missing (60 values read)"),
            std::string::npos) << e;
}

TEST_F(IniLayers, ErrorsNameFileLineAndSuggest) {
  std::string c = "[c]\nInput=sp\nType=Conv\nKernelSize=1\nNbOutputs=2\n";
  EXPECT_NE(load_error(kSp + c + "KernelWdth=3\n").find("m.ini:11: [c] unknown property KernelWdth (did you mean KernelWidth?)"),
            std::string::npos) << load_error(kSp + c + "KernelWdth=3\n");
  std::string e = load_error(kSp + c + "ActivationFunction=Rectifier\nActivationFunction.LeakySlope=0.1\n");
  EXPECT_NE(e.find("m.ini:12: [c] unknown property ActivationFunction.LeakySlope (did you mean ActivationFunction.LeakSlope?)"),
            std::string::npos) << e;
  e = load_error(kSp + "[c]\nInput=conv0\nType=Conv\nKernelSize=1\nNbOutputs=2\n[conv1]\nInput=sp\nType=Pool\nPoolSize=1\nPooling=Max\n");
  EXPECT_NE(e.find("m.ini:7: [c] Input=conv0: no such layer (did you mean conv1?)"), std::string::npos) << e;
  e = load_error(kSp + "[a]\nInput=b\nType=Dropout\n[b]\nInput=a\nType=Dropout\n");
  EXPECT_NE(e.find("Input cycle: a -> b -> a"), std::string::npos) << e;
  e = load_error(kSp + "[c]\nInput=sp\nType=Conv\nKernelSize=1\n");
  EXPECT_NE(e.find("m.ini:6: [c] needs NbOutputs="), std::string::npos) << e;
  e = load_error(kSp + c + "Mapping(sp)=1 0 1\n");
  EXPECT_NE(e.find("m.ini:11: [c] Mapping(sp) has 3 values, expected 2 rows (input channels) of 2 (outputs)"), std::string::npos) << e;
  e = load_error(kSp + "[c]\nInput=sp\nType=Conv\nKernelSize=7\nNbOutputs=2\n");
  EXPECT_NE(e.find("m.ini:6: [c] Conv: "), std::string::npos) << e;  // the kernel exceeds the 5x6 input
  e = load_error(kSp + "[p]\nInput=sp\nType=Pool\nPoolSize=2\nPooling=Mx\n");
  EXPECT_NE(e.find("m.ini:10: [p] Pooling=Mx"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean Max?"), std::string::npos) << e;
  EXPECT_THROW(load(kSp + "[d]\nInput=sp\nType=Deconv\n"), UnsupportedError);
  e = load_error(kSp + "[d]\nInput=sp\nType=Pool\nPoolSize=1\nPooling=Max\nNbOutputs=1\nMapping.SizeY=2\nMapping.StrideY=2\n");
  EXPECT_NE(e.find("a Pool mapping other than one-to-one (Maxout) is not supported"), std::string::npos) << e;
}

TEST_F(IniLayers, LayersAfterAnOnnxSection) {
  // N2D2 inserts an ONNX graph like a layer: native layers may read it.
  auto m = load("[sp]\nSizeX=28\nSizeY=28\nBatchSize=8\n[onnx]\nInput=sp\nType=ONNX\nFile=" +
                test::source_path("samples/lenet_fmnist/model.onnx") + "\n[soft]\nInput=onnx\nType=Softmax\n[soft.Target]\nTopN=5\n");
  EXPECT_EQ(m.graph.nodes().back().op_type, "Softmax");
  EXPECT_EQ(m.graph.value(m.graph.outputs().at(0)).name, "soft");
  EXPECT_EQ(m.graph.value(m.graph.outputs().at(0)).type.str(), "float32[8x10]");
  EXPECT_EQ(m.target.top_n, 5);
  Tensor y = run(m.graph, test::random_tensor({8, 1, 28, 28}, 4, 0.f, 1.f));
  double sum = 0;
  for (int i = 0; i < 10; ++i) sum += y.data<float>()[i];
  EXPECT_NEAR(sum, 1.0, 1e-5);
}
