#include "frontends/ini/ini_resolve.h"

#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

#include "graph/error.h"

namespace n2d2::ini {

namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Resolver {
 public:
  explicit Resolver(Document& d) : doc_(d) {
    if (const Section* g = doc_.find(""))
      for (const Property& p : g->properties)
        if (!p.name.empty() && p.name[0] == '$') globals_[p.name.substr(1)] = &p;
  }

  std::string value(const Property& p, std::set<const Property*>& active) {
    if (!active.insert(&p).second) fail(p.where.str(), ": ", p.name, ": reference cycle");
    std::string v = substitute(p, active);
    // [section]Property: the whole value is a reference.
    if (v.size() > 2 && v[0] == '[') {
      auto close = v.find(']');
      if (close != std::string::npos && close + 1 < v.size() && v.find_first_of(" \t") == std::string::npos) {
        std::string sec = v.substr(1, close - 1), prop = v.substr(close + 1);
        const Section* s = doc_.find(sec);
        if (!s) fail(p.where.str(), ": ", p.name, "=", v, ": no section [", sec, "]");
        const Property* q = s->find(prop);
        if (!q) fail(p.where.str(), ": ", p.name, "=", v, ": section [", sec, "] has no property ", prop);
        v = value(*q, active);
      }
    }
    active.erase(&p);
    return v;
  }

 private:
  std::string substitute(const Property& p, std::set<const Property*>& active) {
    const std::string& in = p.value;
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (in[i] != '$' || i + 1 >= in.size()) {
        out += in[i];
        continue;
      }
      std::string name;
      std::size_t end;
      if (in[i + 1] == '{') {
        end = in.find('}', i + 2);
        if (end == std::string::npos) fail(p.where.str(), ": ", p.name, ": unterminated ${ in '", in, "'");
        name = in.substr(i + 2, end - i - 2);
      } else if (!std::isalpha(static_cast<unsigned char>(in[i + 1])) && in[i + 1] != '_') {
        out += '$';  // "$5": not a variable
        continue;
      } else {
        end = i + 1;
        while (end < in.size() && name_char(in[end])) ++end;
        name = in.substr(i + 1, end - i - 1);
        --end;
        if (name.empty()) {
          out += '$';
          continue;
        }
      }
      auto g = globals_.find(name);
      if (g != globals_.end()) {
        out += value(*g->second, active);
      } else if (const char* env = std::getenv(name.c_str())) {
        out += env;
      } else {
        fail(p.where.str(), ": ", p.name, ": unknown variable $", name, " (define $", name, "=... before the first section)");
      }
      i = end;
    }
    return out;
  }

  Document& doc_;
  std::map<std::string, const Property*> globals_;
};

}  // namespace

Document resolve(const Document& doc) {
  Document original = doc;  // references read the original values
  Document out = doc;
  Resolver r(original);
  for (std::size_t s = 0; s < out.sections().size(); ++s)
    for (std::size_t k = 0; k < out.sections()[s].properties.size(); ++k) {
      std::set<const Property*> active;
      out.sections()[s].properties[k].value = r.value(original.sections()[s].properties[k], active);
    }
  return out;
}

}  // namespace n2d2::ini
