#include "graph/attribute.h"

#include <sstream>

namespace n2d2::graph {

const char* attr_type_name(AttrType t) {
  switch (t) {
    case AttrType::Int: return "int";
    case AttrType::Float: return "float";
    case AttrType::String: return "string";
    case AttrType::Ints: return "ints";
    case AttrType::Floats: return "floats";
    case AttrType::Strings: return "strings";
    case AttrType::Tensor: return "tensor";
  }
  return "?";
}

AttrType attr_value_type(const AttrValue& v) { return static_cast<AttrType>(v.index()); }

std::string attr_value_str(const AttrValue& v) {
  std::ostringstream os;
  std::visit(
      [&](const auto& x) {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, n2d2::Tensor>) {
          os << "tensor " << x.type().str();
        } else if constexpr (std::is_same_v<X, int64_t> || std::is_same_v<X, float> ||
                             std::is_same_v<X, std::string>) {
          os << x;
        } else {
          os << '[';
          for (std::size_t i = 0; i < x.size(); ++i) os << (i ? "," : "") << x[i];
          os << ']';
        }
      },
      v);
  return os.str();
}

const AttrValue* Attributes::find(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

template <class T>
const T& Attributes::get(const std::string& name, AttrType want) const {
  const AttrValue* v = find(name);
  if (!v) fail("missing attribute '", name, "'");
  if (const T* p = std::get_if<T>(v)) return *p;
  fail("attribute '", name, "' is of type ", attr_type_name(attr_value_type(*v)), ", expected ",
       attr_type_name(want));
}

int64_t Attributes::i(const std::string& name) const { return get<int64_t>(name, AttrType::Int); }
float Attributes::f(const std::string& name) const { return get<float>(name, AttrType::Float); }
const std::string& Attributes::s(const std::string& name) const {
  return get<std::string>(name, AttrType::String);
}
const std::vector<int64_t>& Attributes::ints(const std::string& name) const {
  return get<std::vector<int64_t>>(name, AttrType::Ints);
}
const std::vector<float>& Attributes::floats(const std::string& name) const {
  return get<std::vector<float>>(name, AttrType::Floats);
}
const std::vector<std::string>& Attributes::strings(const std::string& name) const {
  return get<std::vector<std::string>>(name, AttrType::Strings);
}
const n2d2::Tensor& Attributes::t(const std::string& name) const {
  return get<n2d2::Tensor>(name, AttrType::Tensor);
}

}  // namespace n2d2::graph
