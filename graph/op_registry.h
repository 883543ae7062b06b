// The op registry: one schema per (op, domain, since_version) with its inputs, outputs,
// attributes (with defaults) and shape inference. Every frontend, pass, executor and `info` asks
// this registry; nothing else knows op signatures. The registry is filled from an explicit list
// (graph/ops/op_list.cpp), never by static self-registration.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/attribute.h"
#include "graph/graph.h"

namespace n2d2::graph {

struct AttrSpec {
  std::string name;
  AttrType type;
  std::optional<AttrValue> default_value;  // none: optional without default, or required
  bool required = false;
};

// What shape inference sees of one node: its attributes, its input types and, where known,
// its input values (initializers at load time; every input at run time).
class InferContext {
 public:
  InferContext(const Node& node, std::vector<const TensorType*> input_types,
               std::vector<const n2d2::Tensor*> input_values)
      : node_(node), types_(std::move(input_types)), values_(std::move(input_values)) {}

  // The node as it stands in `g`: input types from the graph's values, values from initializers.
  static InferContext of(const Graph& g, const Node& node);

  const Node& node() const { return node_; }
  const Attributes& attrs() const { return node_.attrs; }
  int since_version() const { return node_.since_version; }
  std::size_t num_inputs() const { return types_.size(); }
  std::size_t num_outputs() const { return node_.outputs.size(); }
  bool has_input(std::size_t i) const { return i < types_.size() && types_[i] != nullptr; }
  // Throws naming the node when the input is absent.
  const TensorType& input_type(std::size_t i) const;
  // Nullptr when the value is not known (or the input absent).
  const n2d2::Tensor* input_value(std::size_t i) const { return i < values_.size() ? values_[i] : nullptr; }
  // The input's shape; throws an error naming the node when the rank is unknown.
  const Shape& input_shape(std::size_t i) const;

  template <class... Args>
  [[noreturn]] void fail(Args&&... args) const {
    throw n2d2::Error(detail::concat("node ", node_.label(), ": ", std::forward<Args>(args)...));
  }
  template <class... Args>
  [[noreturn]] void fail_unsupported(Args&&... args) const {
    throw n2d2::UnsupportedError(detail::concat("node ", node_.label(), ": ", std::forward<Args>(args)...));
  }

 private:
  const Node& node_;
  std::vector<const TensorType*> types_;
  std::vector<const n2d2::Tensor*> values_;
};

// Returns the output types. With every input value known, shapes must come out fully known.
using InferFn = std::function<std::vector<TensorType>(const InferContext&)>;
// Multiply-accumulates of one run of the node, given its inferred output types.
using MacsFn = std::function<int64_t(const InferContext&, const std::vector<TensorType>&)>;

struct OpSchema {
  std::string op_type;
  std::string domain;  // "" = ai.onnx
  int since_version = 1;
  int min_inputs = 1, max_inputs = 1;
  int min_outputs = 1, max_outputs = 1;
  std::vector<AttrSpec> attrs;
  InferFn infer;
  MacsFn macs;  // optional
};

class OpRegistry {
 public:
  void add(OpSchema s);
  // The schema with the highest since_version <= opset, or nullptr.
  const OpSchema* find(const std::string& op_type, const std::string& domain, int64_t opset) const;
  bool knows(const std::string& op_type, const std::string& domain) const;
  std::vector<std::string> op_types() const;  // sorted, default domain first

  // Finds the node's schema for `opset`, checks input/output counts and attribute types, fills
  // in attribute defaults and sets node.since_version. Throws UnsupportedError when no schema
  // exists, n2d2::Error naming the node when the node does not fit its schema.
  const OpSchema& bind(Node& node, int64_t opset) const;

  // Infers the node's output types from the types and constants of graph `g` (node bound).
  std::vector<TensorType> infer(const Graph& g, const Node& node) const;

  // Infers the node's output types (node must be bound).
  std::vector<TensorType> infer(const Node& node, const std::vector<const TensorType*>& input_types,
                                const std::vector<const n2d2::Tensor*>& input_values) const;

  // The registry of every op defined in graph/ops/.
  static const OpRegistry& builtin();

 private:
  std::vector<TensorType> infer_context(const InferContext& ctx) const;
  std::map<std::pair<std::string, std::string>, std::vector<OpSchema>> schemas_;  // sorted by version
};

// Fills `r` with every built-in op (graph/ops/op_list.cpp).
void register_builtin_ops(OpRegistry& r);

}  // namespace n2d2::graph
