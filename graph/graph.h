// The graph IR: index-based values and nodes. A value is a tensor edge (graph input, initializer
// or node output); a node is one op application. Ids are plain indices into the graph's vectors;
// passes that delete things call compact(), which renumbers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/attribute.h"
#include "graph/tensor.h"

namespace n2d2::graph {

using ValueId = int32_t;
using NodeId = int32_t;
constexpr ValueId kNoValue = -1;  // an absent optional input/output
constexpr NodeId kNoNode = -1;

struct Value {
  std::string name;
  TensorType type;
  NodeId producer = kNoNode;                 // kNoNode for graph inputs and initializers
  std::optional<n2d2::Tensor> initializer;   // constant data (initializer or folded constant)
  bool is_constant() const { return initializer.has_value(); }
};

struct Node {
  std::string name;       // unique within the graph after load (generated when the model has none)
  std::string op_type;    // "Conv"
  std::string domain;     // "" for the default ONNX domain
  int since_version = 0;  // version of the schema that matched (set at load)
  std::vector<ValueId> inputs;   // kNoValue for an absent optional input
  std::vector<ValueId> outputs;  // kNoValue for an absent optional output
  Attributes attrs;

  bool has_input(std::size_t i) const { return i < inputs.size() && inputs[i] != kNoValue; }
  bool has_output(std::size_t i) const { return i < outputs.size() && outputs[i] != kNoValue; }
  std::string label() const;  // "'conv1' (Conv)"
};

class Graph {
 public:
  std::string name;
  std::map<std::string, int64_t> opset_imports;  // domain -> version ("" is ai.onnx)

  // --- construction
  ValueId add_value(std::string name, TensorType type = {});
  ValueId add_initializer(std::string name, n2d2::Tensor t);
  NodeId add_node(Node n);  // sets the producer of each output
  void add_input(ValueId v) { inputs_.push_back(v); }
  void add_output(ValueId v) { outputs_.push_back(v); }
  void set_outputs(std::vector<ValueId> v) { outputs_ = std::move(v); }
  void set_inputs(std::vector<ValueId> v) { inputs_ = std::move(v); }

  // --- access
  std::size_t num_values() const { return values_.size(); }
  std::size_t num_nodes() const { return nodes_.size(); }
  Value& value(ValueId id) { return values_.at(static_cast<std::size_t>(id)); }
  const Value& value(ValueId id) const { return values_.at(static_cast<std::size_t>(id)); }
  Node& node(NodeId id) { return nodes_.at(static_cast<std::size_t>(id)); }
  const Node& node(NodeId id) const { return nodes_.at(static_cast<std::size_t>(id)); }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Value>& values() const { return values_; }
  const std::vector<ValueId>& inputs() const { return inputs_; }
  const std::vector<ValueId>& outputs() const { return outputs_; }
  std::optional<ValueId> find_value(const std::string& name) const;
  int64_t opset(const std::string& domain = "") const;

  // Nodes reading each value: consumers()[v] lists node ids (a node twice if it reads v twice).
  std::vector<std::vector<NodeId>> consumers() const;

  // --- editing
  // Marks nodes for removal; compact() drops them and every value no longer referenced.
  void remove_node(NodeId id) { removed_.at(static_cast<std::size_t>(id)) = true; }
  bool is_removed(NodeId id) const { return removed_.at(static_cast<std::size_t>(id)); }
  // Replaces every use of `from` (node inputs, graph outputs) by `to`.
  void replace_uses(ValueId from, ValueId to);
  void compact();

  // Node ids in a topological order (Boost.Graph). Throws n2d2::Error naming a node on a cycle.
  std::vector<NodeId> topo_order() const;

 private:
  std::vector<Value> values_;
  std::vector<Node> nodes_;
  std::vector<bool> removed_;
  std::vector<ValueId> inputs_;
  std::vector<ValueId> outputs_;
};

}  // namespace n2d2::graph
