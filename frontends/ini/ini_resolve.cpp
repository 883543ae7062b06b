#include "frontends/ini/ini_resolve.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "frontends/ini/ini_template.h"
#include "frontends/io/npy.h"
#include "graph/error.h"

namespace n2d2::ini {

namespace {

namespace fs = std::filesystem;

using Vars = std::map<std::string, std::string>;

// Replaces ${NAME} by a variable or an environment variable.
std::string substitute(const std::string& s, const Vars& vars, const Location& where) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = s.find("${", pos);
    if (open == std::string::npos) break;
    std::size_t close = s.find('}', open + 2);
    if (close == std::string::npos) fail(where.str(), ": '${' without a closing '}' in '", s, "'");
    std::string name = s.substr(open + 2, close - open - 2);
    // "\${X}" (as printed in the manual) means the same as "${X}".
    out += s.substr(pos, open - pos - (open > pos && s[open - 1] == '\\' ? 1 : 0));
    if (auto it = vars.find(name); it != vars.end()) {
      out += it->second;
    } else if (const char* env = std::getenv(name.c_str())) {
      out += env;
    } else {
      std::vector<std::string> names;
      for (const auto& [k, v] : vars) names.push_back(k);
      std::string hint = closest(name, names);
      fail(where.str(), ": undefined variable ${", name, "} (neither a $", name, "= property nor an environment variable)",
           hint.empty() ? "" : " (did you mean ${" + hint + "}?)");
    }
    pos = close + 1;
  }
  return out + s.substr(pos);
}

struct Expander {
  Vars vars;
  std::vector<std::string> chain;  // template files being expanded
  std::vector<Section> out;
  Section global;

  // Substitutes variables in a section in place, taking its $NAME= definitions out.
  void variables(Section& s) {
    s.name = substitute(s.name, vars, s.where);
    std::vector<Property> kept;
    for (auto& p : s.properties) {
      p.value = substitute(p.value, vars, p.where);
      if (!p.name.empty() && p.name[0] == '$') {
        std::string name = p.name.substr(1);
        if (name.empty()) fail(p.where.str(), ": '$=' defines a variable without a name");
        vars[name] = p.value;
        continue;
      }
      kept.push_back(std::move(p));
    }
    s.properties = std::move(kept);
  }

  void sections(Document doc, bool top) {
    for (auto& s : doc.sections()) {
      variables(s);
      if (s.name.empty()) {
        if (top) {
          global = s;
        } else if (!s.properties.empty()) {
          fail(s.properties[0].where.str(), ": a template's properties must follow a [section] (", s.properties[0].name, ")");
        }
        continue;
      }
      auto at = s.name.find('@');
      if (at == std::string::npos) {
        out.push_back(std::move(s));
        continue;
      }
      std::string name = s.name.substr(0, at), file = s.name.substr(at + 1);
      if (name.empty() || file.empty()) fail(s.where.str(), ": expected [name@file.ini.tpl], got [", s.name, "]");
      fs::path p = fs::path(file).is_absolute() ? fs::path(file) : fs::path(s.where.file).parent_path() / file;
      std::string path = p.lexically_normal().string();
      for (const auto& f : chain)
        if (f == path) {
          std::string c;
          for (const auto& g : chain) c += g + " -> ";
          fail(s.where.str(), ": template recursion: ", c, path);
        }
      if (chain.size() >= static_cast<std::size_t>(kMaxTemplateDepth)) fail(s.where.str(), ": templates nested deeper than ", kMaxTemplateDepth);
      if (!fs::is_regular_file(p)) fail(s.where.str(), ": [", s.name, "]: no template file ", path);
      TemplateParams params;
      for (const auto& q : s.properties) params[q.name] = q.value;
      params["SECTION_NAME"] = name;
      chain.push_back(path);
      auto lines = expand_template_file(path, params);
      sections(Document::parse_lines(lines, path), false);
      chain.pop_back();
    }
  }
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    auto c = s.find(',', pos);
    std::string item = s.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
    auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    if (c == std::string::npos) break;
    pos = c + 1;
  }
  return out;
}

std::vector<std::string> section_names(const Document& d) {
  std::vector<std::string> names;
  for (const auto& s : d.sections()) names.push_back(s.name);
  return names;
}

// The properties of section `name` with its ConfigSection lists flattened (own ones last).
std::vector<Property> flattened(const Document& d, const Section& s, std::vector<std::string>& stack, std::set<std::string>& configs) {
  for (const auto& n : stack)
    if (n == s.name) {
      std::string c;
      for (const auto& g : stack) c += "[" + g + "] -> ";
      fail(s.where.str(), ": ConfigSection cycle: ", c, "[", s.name, "]");
    }
  stack.push_back(s.name);
  std::vector<Property> out, own;
  for (const auto& p : s.properties) {
    if (p.name != "ConfigSection") {
      own.push_back(p);
      continue;
    }
    for (const auto& c : split_list(p.value)) {
      const Section* cs = d.find(c);
      if (!cs) {
        std::string hint = closest(c, section_names(d));
        fail(p.where.str(), ": [", s.name, "] ConfigSection: no section [", c, "]", hint.empty() ? "" : " (did you mean [" + hint + "]?)");
      }
      configs.insert(c);
      auto props = flattened(d, *cs, stack, configs);
      out.insert(out.end(), props.begin(), props.end());
    }
  }
  stack.pop_back();
  out.insert(out.end(), own.begin(), own.end());
  return out;
}

// "[section]Property" -> {section, Property}; false when the value has another form.
bool parse_reference(const std::string& v, std::string& section, std::string& property) {
  if (v.size() < 4 || v[0] != '[') return false;
  auto close = v.find(']');
  if (close == std::string::npos || close == 1 || close + 1 >= v.size()) return false;
  section = v.substr(1, close - 1);
  property = v.substr(close + 1);
  for (char c : property)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

std::string dereference(const Document& d, const Property& p, std::vector<const Property*>& stack) {
  std::string sec, prop;
  if (!parse_reference(p.value, sec, prop)) return p.value;
  for (const Property* q : stack)
    if (q == &p) fail(p.where.str(), ": reference cycle through ", p.name, "=", p.value);
  const Section* s = d.find(sec);
  if (!s) {
    std::string hint = closest(sec, section_names(d));
    fail(p.where.str(), ": ", p.name, "=", p.value, ": no section [", sec, "]", hint.empty() ? "" : " (did you mean [" + hint + "]?)");
  }
  const Property* target = s->find(prop);
  if (!target) {
    std::vector<std::string> names;
    for (const auto& q : s->properties) names.push_back(q.name);
    std::string hint = closest(prop, names);
    fail(p.where.str(), ": ", p.name, "=", p.value, ": section [", sec, "] (", s->where.str(), ") has no property ", prop,
         hint.empty() ? "" : " (did you mean " + hint + "?)");
  }
  stack.push_back(&p);
  std::string v = dereference(d, *target, stack);
  stack.pop_back();
  return v;
}

}  // namespace

Document resolve(const Document& raw) {
  Expander e;
  e.global = Section{"", {raw.file(), 1}, {}};
  e.sections(raw, true);
  std::vector<Section> all;
  all.push_back(std::move(e.global));
  for (auto& s : e.out) all.push_back(std::move(s));
  Document expanded = Document::from_sections(raw.file(), std::move(all));

  // ConfigSection lists.
  std::set<std::string> configs;
  std::vector<std::vector<Property>> merged;
  for (const auto& s : expanded.sections()) {
    std::vector<std::string> stack;
    merged.push_back(flattened(expanded, s, stack, configs));
  }
  for (std::size_t i = 0; i < merged.size(); ++i) expanded.sections()[i].properties = std::move(merged[i]);

  // References, against the merged document (values are read from a copy so that the order of
  // replacement does not matter).
  const Document snapshot = expanded;
  for (std::size_t i = 0; i < snapshot.sections().size(); ++i)
    for (std::size_t j = 0; j < snapshot.sections()[i].properties.size(); ++j) {
      std::vector<const Property*> stack;
      expanded.sections()[i].properties[j].value = dereference(snapshot, snapshot.sections()[i].properties[j], stack);
    }
  for (const auto& c : configs) expanded.mark_config(c);
  return expanded;
}

Document load_document(const std::string& path) {
  if (!fs::is_regular_file(path)) fail(path, ": no such INI file");
  return resolve(Document::parse_file(path));
}

Document load_document_string(const std::string& text, const std::string& file_name) {
  return resolve(Document::parse_string(text, file_name));
}

}  // namespace n2d2::ini
