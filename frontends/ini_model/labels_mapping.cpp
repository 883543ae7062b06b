#include "frontends/ini_model/labels_mapping.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "graph/error.h"

namespace n2d2::ini {

LabelsMapping parse_labels_mapping(const std::string& text, const std::string& file) {
  LabelsMapping m;
  m.file = file;
  std::istringstream in(text);
  std::string line;
  std::set<std::string> seen;
  for (int no = 1; std::getline(in, line); ++no) {
    if (auto h = line.find('#'); h != std::string::npos) line.erase(h);
    std::istringstream f(line);
    std::string name, index, extra;
    if (!(f >> name)) continue;
    if (!(f >> index) || (f >> extra))
      fail(file, ":", no, ": expected 'LABEL_NAME OUTPUT_INDEX', got '", line, "'");
    int32_t v = 0;
    auto [p, ec] = std::from_chars(index.data(), index.data() + index.size(), v);
    if (ec != std::errc() || p != index.data() + index.size() || v < -1)
      fail(file, ":", no, ": output index '", index, "' is not an integer >= -1");
    if (!seen.insert(name).second) fail(file, ":", no, ": label '", name, "' is mapped twice");
    m.rules.push_back({name, v, no});
  }
  return m;
}

LabelsMapping read_labels_mapping(const std::string& file) {
  std::ifstream f(file, std::ios::binary);
  if (!f) fail(file, ": cannot open the LabelsMapping file");
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse_labels_mapping(ss.str(), file);
}

namespace {

bool match_from(const std::string& p, std::size_t i, const std::string& s, std::size_t j) {
  if (i == p.size()) return j == s.size();
  if (p[i] == '*') {
    for (std::size_t k = j + 1; k <= s.size(); ++k)  // one or more characters
      if (match_from(p, i + 1, s, k)) return true;
    return false;
  }
  if (j == s.size()) return false;
  if (p[i] != '+' && p[i] != s[j]) return false;
  return match_from(p, i + 1, s, j + 1);
}

bool is_pattern(const std::string& name) {
  return name != "*" && name != "default" && name.find_first_of("*+") != std::string::npos;
}

}  // namespace

bool label_pattern_matches(const std::string& pattern, const std::string& name) {
  return match_from(pattern, 0, name, 0);
}

std::vector<int32_t> map_labels(const LabelsMapping& m, const std::vector<std::string>& label_names) {
  std::vector<int32_t> out;
  const LabelsMappingRule* def = nullptr;
  for (const auto& r : m.rules)
    if (r.name == "default") def = &r;
  for (const std::string& label : label_names) {
    const LabelsMappingRule* hit = nullptr;
    for (const auto& r : m.rules)
      if (r.name == label && !is_pattern(r.name)) hit = &r;
    for (const auto& r : m.rules)
      if (!hit && is_pattern(r.name) && label_pattern_matches(r.name, label)) hit = &r;
    if (!hit) hit = def;
    if (!hit) fail(m.file, ": the database label '", label, "' is not mapped (add it, a pattern or a 'default' line)");
    out.push_back(hit->output);
  }
  return out;
}

std::string labels_mapping_log(const std::vector<int32_t>& mapped, const std::vector<std::string>& label_names) {
  std::string s;
  for (std::size_t i = 0; i < mapped.size() && i < label_names.size(); ++i)
    s += label_names[i] + " " + std::to_string(mapped[i]) + "\n";
  return s;
}

}  // namespace n2d2::ini
