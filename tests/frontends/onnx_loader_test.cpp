// The ONNX frontend on models built here as ModelProtos: storage forms, Constant nodes, shape
// options, and one test per kind of bad input, each checking that the message names the culprit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>

#include "frontends/onnx/onnx_loader.h"
#include "onnx/onnx_pb.h"

namespace fs = std::filesystem;
using namespace n2d2;

namespace {

void set_type(::onnx::ValueInfoProto* v, const std::string& name, std::vector<int64_t> dims, const std::string& sym = "") {
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(::onnx::TensorProto::FLOAT);
  auto* sh = tt->mutable_shape();
  sh->clear_dim();
  for (std::size_t i = 0; i < dims.size(); ++i) {
    auto* d = sh->add_dim();
    if (i == 0 && !sym.empty()) d->set_dim_param(sym);
    else d->set_dim_value(dims[i]);
  }
}

::onnx::NodeProto* add_node(::onnx::GraphProto* g, const std::string& op, std::vector<std::string> in,
                            std::vector<std::string> out, const std::string& name = "") {
  auto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (auto& s : in) n->add_input(s);
  for (auto& s : out) n->add_output(s);
  return n;
}

// x[2,3] -> Add(x, w) -> Relu -> y
::onnx::ModelProto base_model() {
  ::onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  auto* g = m.mutable_graph();
  g->set_name("test");
  set_type(g->add_input(), "x", {2, 3});
  set_type(g->add_output(), "y", {2, 3});
  auto* w = g->add_initializer();
  w->set_name("w");
  w->set_data_type(::onnx::TensorProto::FLOAT);
  w->add_dims(3);
  for (float v : {1.f, -2.f, 3.f}) w->add_float_data(v);
  add_node(g, "Add", {"x", "w"}, {"s"}, "add");
  add_node(g, "Relu", {"s"}, {"y"}, "relu");
  return m;
}

graph::Graph load(const ::onnx::ModelProto& m, const n2d2::onnx::LoadOptions& o = {}, const std::string& dir = ".") {
  return n2d2::onnx::load_model_from_bytes(m.SerializeAsString(), dir, "model.onnx", o);
}

template <class E = Error>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return "";
}

#define EXPECT_HAS(hay, needle) EXPECT_NE(std::string(hay).find(needle), std::string::npos) << (hay)

class OnnxFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("n2d2_onnx_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "model");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& rel, const std::string& bytes) {
    std::ofstream((dir_ / rel).string(), std::ios::binary) << bytes;
    return (dir_ / rel).string();
  }
  fs::path dir_;
};

}  // namespace

TEST(OnnxLoader, LoadsNodesInitializersAndTypes) {
  graph::Graph g = load(base_model());
  ASSERT_EQ(g.num_nodes(), 2u);
  ASSERT_EQ(g.inputs().size(), 1u);
  EXPECT_EQ(g.value(g.inputs()[0]).type.str(), "float32[2x3]");
  auto w = g.find_value("w");
  ASSERT_TRUE(w);
  EXPECT_EQ(g.value(*w).initializer->to_vector<float>(), (std::vector<float>{1, -2, 3}));
  EXPECT_EQ(g.value(g.outputs()[0]).type.str(), "float32[2x3]");
  EXPECT_GT(g.node(1).since_version, 0);  // bound to the schema in force at opset 13
  EXPECT_LE(g.node(1).since_version, 13);
}

TEST(OnnxLoader, RawDataAndInitializerListedAsInput) {
  ::onnx::ModelProto m = base_model();
  auto* w = m.mutable_graph()->mutable_initializer(0);
  w->clear_float_data();
  float vals[3] = {0.5f, 1.5f, -1.f};
  w->set_raw_data(std::string(reinterpret_cast<const char*>(vals), sizeof vals));
  set_type(m.mutable_graph()->add_input(), "w", {3});  // old exporters list initializers as inputs
  graph::Graph g = load(m);
  EXPECT_EQ(g.inputs().size(), 1u);
  EXPECT_EQ(g.value(*g.find_value("w")).initializer->to_vector<float>(), (std::vector<float>{0.5f, 1.5f, -1.f}));
}

TEST(OnnxLoader, ConstantNodesBecomeInitializers) {
  ::onnx::ModelProto m = base_model();
  auto* g = m.mutable_graph();
  g->clear_initializer();
  auto* c = add_node(g, "Constant", {}, {"w"}, "const_w");
  auto* a = c->add_attribute();
  a->set_name("value_floats");
  a->set_type(::onnx::AttributeProto::FLOATS);
  for (float v : {4.f, 5.f, 6.f}) a->add_floats(v);
  graph::Graph gr = load(m);
  EXPECT_EQ(gr.num_nodes(), 2u);
  EXPECT_EQ(gr.value(*gr.find_value("w")).initializer->to_vector<float>(), (std::vector<float>{4, 5, 6}));

  a->Clear();  // a scalar
  a->set_name("value_float");
  a->set_type(::onnx::AttributeProto::FLOAT);
  a->set_f(-3.f);
  graph::Graph gs = load(m);
  EXPECT_EQ(gs.value(*gs.find_value("w")).initializer->shape(), Shape{});
  EXPECT_EQ(gs.value(*gs.find_value("w")).initializer->to_vector<float>(), (std::vector<float>{-3}));
}

TEST(OnnxLoader, UnconvertibleConstantsAreListedAsUnsupported) {
  ::onnx::ModelProto m = base_model();
  auto* g = m.mutable_graph();
  g->clear_initializer();
  auto* a = add_node(g, "Constant", {}, {"w"}, "sparse_w")->add_attribute();
  a->set_name("sparse_value");
  a->set_type(::onnx::AttributeProto::SPARSE_TENSOR);
  std::string msg = error_of<UnsupportedError>([&] { load(m); });
  EXPECT_HAS(msg, "model.onnx: 1 node not supported");
  EXPECT_HAS(msg, "sparse_w: Constant (opset 13): Constant with 'sparse_value' is not supported");
}

TEST(OnnxLoader, SymbolicDimsAndShapeOptions) {
  ::onnx::ModelProto m = base_model();
  set_type(m.mutable_graph()->mutable_input(0), "x", {0, 3}, "batch");
  graph::Graph g = load(m);
  EXPECT_EQ(g.value(g.inputs()[0]).type.str(), "float32[batchx3]");
  n2d2::onnx::LoadOptions o;
  o.batch = 8;
  graph::Graph g8 = load(m, o);
  EXPECT_EQ(g8.value(g8.inputs()[0]).type.str(), "float32[8x3]");
  EXPECT_EQ(g8.value(g8.outputs()[0]).type.dims, (Shape{8, 3}));  // inferred through Add and Relu
  // A fixed first dimension is an error for --batch (never silently ignored), unless forced.
  ::onnx::ModelProto fixed = base_model();
  set_type(fixed.mutable_graph()->mutable_input(0), "x", {1, 3});
  set_type(fixed.mutable_graph()->mutable_output(0), "y", {1, 3});
  EXPECT_HAS(error_of([&] { load(fixed, o); }), "--batch 8: no input has a dynamic first dimension (x: float32[1x3])");
  o.force_batch = true;
  fixed.mutable_graph()->mutable_output(0)->clear_type();
  graph::Graph forced = load(fixed, o);
  EXPECT_EQ(forced.value(forced.inputs()[0]).type.str(), "float32[8x3]");
  n2d2::onnx::LoadOptions s;
  s.input_shapes["x"] = {5, 3};
  graph::Graph g5 = load(m, s);
  EXPECT_EQ(g5.value(g5.outputs()[0]).type.dims, (Shape{5, 3}));
  n2d2::onnx::LoadOptions bad;
  bad.input_shapes["nosuch"] = {1};
  std::string msg = error_of([&] { load(m, bad); });
  EXPECT_HAS(msg, "model.onnx: --shape nosuch: the model has no input of that name (inputs: x)");
  n2d2::onnx::LoadOptions rank;
  rank.input_shapes["x"] = {1, 2, 3};
  EXPECT_HAS(error_of([&] { load(m, rank); }), "rank 2");
}

TEST(OnnxLoader, MalformedBytesNameTheFile) {
  EXPECT_HAS(error_of([] { n2d2::onnx::load_model_from_bytes("", ".", "empty.onnx"); }), "empty.onnx: empty file");
  EXPECT_HAS(error_of([] { n2d2::onnx::load_model_from_bytes("hello, I am text", ".", "text.onnx"); }), "text.onnx");
  std::string bytes = base_model().SerializeAsString();
  EXPECT_HAS(error_of([&] { n2d2::onnx::load_model_from_bytes(bytes.substr(0, bytes.size() - 7), ".", "cut.onnx"); }), "cut.onnx");
  EXPECT_HAS(error_of([] { n2d2::onnx::load_model("/nonexistent/dir/m.onnx"); }), "/nonexistent/dir/m.onnx: no such file");
}

TEST(OnnxLoader, CycleIsNamed) {
  ::onnx::ModelProto m = base_model();
  auto* g = m.mutable_graph();
  g->mutable_node(0)->set_input(0, "y2");  // add reads the output of a later node...
  add_node(g, "Relu", {"y"}, {"y2"}, "back");  // ...which reads relu's output: a cycle
  std::string msg = error_of([&] { load(m); });
  EXPECT_EQ(msg.rfind("model.onnx: ", 0), 0u) << msg;
  EXPECT_HAS(msg, "cycle");
  EXPECT_HAS(msg, "'add'");
  EXPECT_HAS(msg, "'back'");
}

TEST(OnnxLoader, MissingInitializerAndDanglingEdgeAreNamed) {
  ::onnx::ModelProto m = base_model();
  m.mutable_graph()->clear_initializer();
  std::string msg = error_of([&] { load(m); });
  EXPECT_EQ(msg.rfind("model.onnx: ", 0), 0u) << msg;
  EXPECT_HAS(msg, "'add'");
  EXPECT_HAS(msg, "input 'w'");
  EXPECT_HAS(msg, "missing initializer or dangling edge");
  ::onnx::ModelProto d = base_model();
  d.mutable_graph()->mutable_node(1)->set_input(0, "nowhere");
  EXPECT_HAS(error_of([&] { load(d); }), "'nowhere'");
  ::onnx::ModelProto o = base_model();
  set_type(o.mutable_graph()->add_output(), "ghost", {1});
  EXPECT_HAS(error_of([&] { load(o); }), "graph output 'ghost'");
}

TEST(OnnxLoader, UnsupportedOpsAreAllListed) {
  ::onnx::ModelProto m = base_model();
  auto* g = m.mutable_graph();
  add_node(g, "FancyOp", {"y"}, {"z"}, "fancy1");
  add_node(g, "GRU", {"z"}, {"z2"}, "gru1");
  add_node(g, "Foo", {"z2"}, {"z3"}, "custom")->set_domain("com.example");
  m.add_opset_import()->set_domain("com.example");
  m.mutable_opset_import(1)->set_version(1);
  auto* branch = add_node(g, "If", {"z3"}, {"z4"}, "if1")->add_attribute();
  branch->set_name("then_branch");
  branch->set_type(::onnx::AttributeProto::GRAPH);
  branch->mutable_g()->set_name("then");
  std::string msg = error_of<UnsupportedError>([&] { load(m); });
  EXPECT_HAS(msg, "model.onnx: 4 nodes not supported");
  EXPECT_HAS(msg, "if1: If (opset 13): attribute 'then_branch' is a subgraph");
  EXPECT_HAS(msg, "fancy1: FancyOp (opset 13)");
  EXPECT_HAS(msg, "gru1: GRU");
  EXPECT_HAS(msg, "com.example::Foo");
  n2d2::onnx::LoadOptions o;
  o.allow_unsupported = true;
  graph::Graph gr = load(m, o);
  EXPECT_TRUE(n2d2::onnx::is_unbound(gr.node(2)));
  EXPECT_TRUE(n2d2::onnx::is_unbound(gr.node(5)));
  EXPECT_FALSE(n2d2::onnx::is_unbound(gr.node(1)));
  EXPECT_EQ(gr.value(gr.outputs()[0]).type.str(), "float32[2x3]");  // still inferred before them
}

TEST(OnnxLoader, NodeNamesAreMadeUniqueAndDomainsMapped) {
  ::onnx::ModelProto m = base_model();
  m.mutable_opset_import(0)->set_domain("ai.onnx");
  auto* g = m.mutable_graph();
  g->mutable_node(0)->set_name("");
  g->mutable_node(1)->set_name("");
  add_node(g, "Relu", {"y"}, {"z"}, "Relu_1");  // collides with the name generated for node 1
  graph::Graph gr = load(m);
  EXPECT_EQ(gr.opset(""), 13);
  EXPECT_EQ(gr.node(0).name, "Add_0");
  EXPECT_EQ(gr.node(1).name, "Relu_1");
  EXPECT_NE(gr.node(2).name, "Relu_1");
  m.clear_opset_import();
  EXPECT_HAS(error_of([&] { load(m); }), "model.onnx: model has no opset_import");
}

TEST(OnnxLoader, DuplicateProducersAreNamed) {
  ::onnx::ModelProto m = base_model();
  add_node(m.mutable_graph(), "Relu", {"x"}, {"s"}, "again");
  std::string msg = error_of([&] { load(m); });
  EXPECT_HAS(msg, "'again'");
  EXPECT_HAS(msg, "tensor 's' is produced twice");
}

TEST(OnnxLoader, WrongAttributeTypeIsNamed) {
  ::onnx::ModelProto m = base_model();
  auto* n = add_node(m.mutable_graph(), "LeakyRelu", {"y"}, {"z"}, "leaky");
  auto* a = n->add_attribute();
  a->set_name("alpha");
  a->set_type(::onnx::AttributeProto::STRING);
  a->set_s("much");
  std::string msg = error_of([&] { load(m); });
  EXPECT_HAS(msg, "'leaky'");
  EXPECT_HAS(msg, "alpha");
}

TEST(OnnxLoader, DeclaredTensorLargerThanTheLimitIsRefused) {
  ::onnx::ModelProto m = base_model();
  set_type(m.mutable_graph()->mutable_input(0), "x", {1000000, 1000000});
  n2d2::onnx::LoadOptions o;
  o.max_tensor_bytes = 1 << 20;
  EXPECT_HAS(error_of([&] { load(m, o); }), "input 'x'");
  ::onnx::ModelProto w = base_model();
  w.mutable_graph()->mutable_initializer(0)->set_dims(0, 1LL << 40);
  EXPECT_HAS(error_of([&] { load(w); }), "initializer 'w'");
}

TEST_F(OnnxFiles, ExternalDataInsideTheFolderOnly) {
  float vals[3] = {7.f, 8.f, 9.f};
  write("model/weights.bin", std::string("PAD!") + std::string(reinterpret_cast<const char*>(vals), sizeof vals));
  auto model_with_location = [&](const std::string& loc) {
    ::onnx::ModelProto m = base_model();
    auto* w = m.mutable_graph()->mutable_initializer(0);
    w->clear_float_data();
    w->set_data_location(::onnx::TensorProto::EXTERNAL);
    auto* kv = w->add_external_data();
    kv->set_key("location");
    kv->set_value(loc);
    kv = w->add_external_data();
    kv->set_key("offset");
    kv->set_value("4");
    return write("model/m.onnx", m.SerializeAsString());
  };
  graph::Graph g = n2d2::onnx::load_model(model_with_location("weights.bin"));
  EXPECT_EQ(g.value(*g.find_value("w")).initializer->to_vector<float>(), (std::vector<float>{7, 8, 9}));
  EXPECT_HAS(error_of([&] { n2d2::onnx::load_model(model_with_location("/etc/passwd")); }), "absolute");
  EXPECT_HAS(error_of([&] { n2d2::onnx::load_model(model_with_location("../secret.bin")); }), "leaves the model's folder");
  std::string msg = error_of([&] { n2d2::onnx::load_model(model_with_location("nothere.bin")); });
  EXPECT_EQ(msg.rfind((dir_ / "model/m.onnx").string() + ": initializer 'w'", 0), 0u) << msg;
  EXPECT_HAS(msg, "nothere.bin");
  write("model/short.bin", "PAD!12345678");  // 8 bytes after the offset, 12 needed
  EXPECT_HAS(error_of([&] { n2d2::onnx::load_model(model_with_location("short.bin")); }),
             "external data holds 8 bytes, the tensor needs 12");
  // A link inside the folder that leads out of it is refused too.
  write("outside.bin", std::string("PAD!") + std::string(reinterpret_cast<const char*>(vals), sizeof vals));
  fs::create_symlink(dir_ / "outside.bin", dir_ / "model/link.bin");
  EXPECT_HAS(error_of([&] { n2d2::onnx::load_model(model_with_location("link.bin")); }), "outside the model's folder");
}

TEST_F(OnnxFiles, BadModelFilesAreNamed) {
  std::string empty = write("model/empty.onnx", "");
  EXPECT_EQ(error_of([&] { n2d2::onnx::load_model(empty); }), empty + ": empty file, not an ONNX model");
  std::string text = write("model/text.onnx", "ir_version: 8\ngraph { }\n");
  EXPECT_EQ(error_of([&] { n2d2::onnx::load_model(text); }).rfind(text + ": not ", 0), 0u);
  std::string bytes = base_model().SerializeAsString();
  std::string cut = write("model/cut.onnx", bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(error_of([&] { n2d2::onnx::load_model(cut); }).rfind(cut + ": not ", 0), 0u);
  std::string folder = (dir_ / "model").string();
  EXPECT_EQ(error_of([&] { n2d2::onnx::load_model(folder); }), folder + ": is a directory, not a file");
  EXPECT_EQ(n2d2::onnx::load_model(write("model/ok.onnx", bytes)).num_nodes(), 2u);
}

TEST_F(OnnxFiles, TensorPbFiles) {
  ::onnx::TensorProto p;
  p.set_name("input_0");
  p.set_data_type(::onnx::TensorProto::FLOAT);
  p.add_dims(2);
  p.add_float_data(1.f);
  p.add_float_data(2.f);
  std::string name;
  Tensor t = n2d2::onnx::load_tensor_pb(write("t.pb", p.SerializeAsString()), &name);
  EXPECT_EQ(name, "input_0");
  EXPECT_EQ(t.to_vector<float>(), (std::vector<float>{1, 2}));
  EXPECT_HAS(error_of([&] { n2d2::onnx::load_tensor_pb(write("bad.pb", "\xff\xff\xff garbage")); }), "bad.pb");
}
