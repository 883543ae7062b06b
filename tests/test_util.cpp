#include "tests/test_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

namespace n2d2::test {

graph::Node make_node(const std::string& op_type, int num_inputs, int num_outputs, graph::Attributes attrs,
                      int64_t opset, const std::string& domain) {
  graph::Node n;
  n.name = "test_" + op_type;
  n.op_type = op_type;
  n.domain = domain;
  n.attrs = std::move(attrs);
  for (int i = 0; i < num_inputs; ++i) n.inputs.push_back(i);
  for (int i = 0; i < num_outputs; ++i) n.outputs.push_back(num_inputs + i);
  graph::OpRegistry::builtin().bind(n, opset);
  return n;
}

graph::Attributes attrs(std::initializer_list<std::pair<const char*, graph::AttrValue>> kv) {
  graph::Attributes a;
  for (const auto& [k, v] : kv) a.set(k, v);
  return a;
}

std::vector<TensorType> infer(const std::string& op, const std::vector<TensorType>& in, graph::Attributes a,
                              int64_t opset, std::vector<const Tensor*> values) {
  graph::Node n = make_node(op, static_cast<int>(in.size()), 1, std::move(a), opset);
  std::vector<const TensorType*> types;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].dtype == DType::Undefined) n.inputs[i] = graph::kNoValue;
    types.push_back(in[i].dtype == DType::Undefined ? nullptr : &in[i]);
  }
  values.resize(in.size(), nullptr);
  return graph::OpRegistry::builtin().infer(n, types, values);
}

std::vector<Tensor> run_op(const std::string& op_type, const std::vector<Tensor>& inputs, graph::Attributes attrs,
                           int num_outputs, int64_t opset) {
  graph::Node n = make_node(op_type, static_cast<int>(inputs.size()), num_outputs, std::move(attrs), opset);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].empty()) n.inputs[i] = graph::kNoValue;
  std::vector<const Tensor*> ptrs;
  for (const auto& t : inputs) ptrs.push_back(t.empty() ? nullptr : &t);
  return kernels::evaluate_node(n, ptrs);
}

void expect_near(const Tensor& actual, const Tensor& expected, double atol, double rtol) {
  ASSERT_EQ(actual.dtype(), expected.dtype());
  ASSERT_EQ(actual.shape(), expected.shape()) << shape_str(actual.shape()) << " vs " << shape_str(expected.shape());
  auto a = actual.to_double_vector();
  auto e = expected.to_double_vector();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(e[i])) {
      ASSERT_TRUE(std::isnan(a[i])) << "at index " << i;
      continue;
    }
    if (std::isinf(e[i])) {
      ASSERT_EQ(a[i], e[i]) << "at index " << i;
      continue;
    }
    ASSERT_LE(std::abs(a[i] - e[i]), atol + rtol * std::abs(e[i])) << "at index " << i << ": " << a[i] << " vs " << e[i];
  }
}

void expect_equal(const Tensor& actual, const Tensor& expected) {
  ASSERT_EQ(actual.dtype(), expected.dtype());
  ASSERT_EQ(actual.shape(), expected.shape());
  ASSERT_EQ(0, std::memcmp(actual.raw(), expected.raw(), actual.nbytes()));
}

Tensor random_tensor(Shape shape, uint64_t seed, float lo, float hi) {
  Tensor t(DType::F32, std::move(shape));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  float* p = t.data_mut<float>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = d(rng);
  return t;
}

std::string source_path(const std::string& rel) { return std::string(N2D2_SOURCE_DIR) + "/" + rel; }

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

double max_abs(const Tensor& t) {
  double m = 0;
  for (double v : t.to_double_vector()) m = std::max(m, std::abs(v));
  return m;
}

double max_abs_diff(const Tensor& got, const Tensor& want) {
  auto g = got.to_double_vector(), w = want.to_double_vector();
  double err = 0;
  for (std::size_t i = 0; i < g.size() && i < w.size(); ++i) err = std::max(err, std::abs(g[i] - w[i]));
  return err;
}

double normalized_max_error(const Tensor& got, const Tensor& want) {
  const double scale = max_abs(want), err = max_abs_diff(got, want);
  return scale == 0 ? err : err / scale;
}

int count_op(const graph::Graph& g, const std::string& op) {
  int n = 0;
  for (graph::NodeId i = 0; i < static_cast<graph::NodeId>(g.num_nodes()); ++i) n += !g.is_removed(i) && g.node(i).op_type == op;
  return n;
}

const graph::Node* find_op(const graph::Graph& g, const std::string& op) {
  for (const graph::Node& n : g.nodes())
    if (n.op_type == op) return &n;
  return nullptr;
}

const kernels::KernelImpl& kernel_impl(const std::string& op, const std::string& name) {
  for (const kernels::KernelImpl& k : kernels::KernelRegistry::builtin().implementations(op))
    if (name == k.name) return k;
  throw Error("no kernel " + name + " for " + op);
}

}  // namespace n2d2::test
