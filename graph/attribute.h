// Node attributes: a small typed map. Missing attributes take their schema default at load
// (see OpRegistry::apply_defaults), so kernels read them without repeating defaults.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "graph/tensor.h"

namespace n2d2::graph {

enum class AttrType { Int, Float, String, Ints, Floats, Strings, Tensor };
const char* attr_type_name(AttrType t);

using AttrValue = std::variant<int64_t, float, std::string, std::vector<int64_t>, std::vector<float>,
                               std::vector<std::string>, n2d2::Tensor>;
AttrType attr_value_type(const AttrValue& v);
std::string attr_value_str(const AttrValue& v);  // short printable form

class Attributes {
 public:
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  void set(const std::string& name, AttrValue v) { values_[name] = std::move(v); }
  void erase(const std::string& name) { values_.erase(name); }
  const AttrValue* find(const std::string& name) const;

  // Typed getters: throw n2d2::Error naming the attribute when missing or of another type.
  int64_t i(const std::string& name) const;
  float f(const std::string& name) const;
  const std::string& s(const std::string& name) const;
  const std::vector<int64_t>& ints(const std::string& name) const;
  const std::vector<float>& floats(const std::string& name) const;
  const std::vector<std::string>& strings(const std::string& name) const;
  const n2d2::Tensor& t(const std::string& name) const;

  // Getters with a fallback for attributes a schema leaves without default.
  int64_t i_or(const std::string& name, int64_t def) const { return has(name) ? i(name) : def; }
  float f_or(const std::string& name, float def) const { return has(name) ? f(name) : def; }
  std::string s_or(const std::string& name, const std::string& def) const { return has(name) ? s(name) : def; }
  std::vector<int64_t> ints_or(const std::string& name, std::vector<int64_t> def) const {
    return has(name) ? ints(name) : def;
  }
  std::vector<float> floats_or(const std::string& name, std::vector<float> def) const {
    return has(name) ? floats(name) : def;
  }

  const std::map<std::string, AttrValue>& all() const { return values_; }

 private:
  template <class T>
  const T& get(const std::string& name, AttrType want) const;
  std::map<std::string, AttrValue> values_;
};

}  // namespace n2d2::graph
