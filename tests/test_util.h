// Helpers for op tests: build one node, run it through shape inference + kernel selection.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "graph/op_registry.h"
#include "kernels/run_node.h"

namespace n2d2::test {

// A node of `op_type` bound to its schema at `opset` (attribute defaults filled in).
// Inputs/outputs get dummy value ids: only their count matters to evaluate_node.
graph::Node make_node(const std::string& op_type, int num_inputs, int num_outputs, graph::Attributes attrs = {},
                      int64_t opset = 17, const std::string& domain = "");

// Attributes from {name, value} pairs: attrs({{"axis", int64_t{1}}, {"alpha", 0.1f}}).
graph::Attributes attrs(std::initializer_list<std::pair<const char*, graph::AttrValue>> kv);

// Output types that shape inference gives `op` (bound at `opset`) for input types (TensorType{}
// for an absent input) and, where given, known input values.
std::vector<TensorType> infer(const std::string& op, const std::vector<TensorType>& in, graph::Attributes a = {},
                              int64_t opset = 17, std::vector<const Tensor*> values = {});

// Binds and runs a node on the given inputs (empty Tensor = absent optional input).
std::vector<Tensor> run_op(const std::string& op_type, const std::vector<Tensor>& inputs, graph::Attributes attrs = {},
                           int num_outputs = 1, int64_t opset = 17);

// Element-wise comparison with tolerance; reports the first mismatching index.
void expect_near(const Tensor& actual, const Tensor& expected, double atol = 1e-5, double rtol = 1e-5);
void expect_equal(const Tensor& actual, const Tensor& expected);  // same dtype, shape and bits
// The builtin registry's implementation `name` of `op` (throws n2d2::Error when there is none).
const kernels::KernelImpl& kernel_impl(const std::string& op, const std::string& name);
// The live nodes of type `op` in g; the first node of that type in g.nodes(), or nullptr.
int count_op(const graph::Graph& g, const std::string& op);
const graph::Node* find_op(const graph::Graph& g, const std::string& op);
// Error measures of the differential tests: max |t|, max |got - want|, and the latter / max |want|
// (the plain error when want is all zeros).
double max_abs(const Tensor& t);
double max_abs_diff(const Tensor& got, const Tensor& want);
double normalized_max_error(const Tensor& got, const Tensor& want);

// Seeded uniform random float32 tensor in [lo, hi).
Tensor random_tensor(Shape shape, uint64_t seed, float lo = -1.f, float hi = 1.f);

// Seeded uniform random integer tensor of element type T, values in [lo, hi].
template <class T>
Tensor random_int(Shape shape, uint64_t seed, int lo, int hi) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  Tensor t(DTypeOf<T>::value, std::move(shape));
  T* p = t.data_mut<T>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<T>(d(rng));
  return t;
}

// The whole content of a file (binary), "" when it cannot be opened.
std::string read_file(const std::string& path);

// Path of a file under the source tree.
std::string source_path(const std::string& rel);

}  // namespace n2d2::test
