#include "frontends/ini/ini_document.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "frontends/io/npy.h"
#include "graph/error.h"

namespace n2d2::ini {

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Removes a comment (';' or '#' outside double quotes).
std::string strip_comment(const std::string& line) {
  bool in_quotes = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') in_quotes = !in_quotes;
    if (!in_quotes && (line[i] == ';' || line[i] == '#')) return line.substr(0, i);
  }
  return line;
}

std::string digits_only(const std::string& text) {
  std::string t = text, out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    bool sep = (c == ',' || c == '\'' || c == '_') && i > 0 && i + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[i - 1])) &&
               std::isdigit(static_cast<unsigned char>(t[i + 1]));
    if (!sep) out += c;
  }
  return out;
}

}  // namespace

const Property* Section::find(const std::string& n) const {
  for (auto it = properties.rbegin(); it != properties.rend(); ++it)
    if (it->name == n) return &*it;
  return nullptr;
}

std::vector<SourceLine> split_lines(const std::string& text, const std::string& file_name) {
  std::vector<SourceLine> out;
  std::istringstream in(text);
  std::string raw;
  int lineno = 0;
  while (std::getline(in, raw)) out.push_back(SourceLine{{file_name, ++lineno}, raw});
  return out;
}

Document Document::parse_file(const std::string& path) { return parse_string(io::read_file(path), path); }

Document Document::parse_string(const std::string& text, const std::string& file_name) {
  return parse_lines(split_lines(text, file_name), file_name);
}

Document Document::from_sections(const std::string& file_name, std::vector<Section> sections) {
  Document d;
  d.file_ = file_name;
  for (auto& s : sections) {
    for (const auto& o : d.sections_)
      if (o.name == s.name) fail(s.where.str(), ": section [", s.name, "] already defined at ", o.where.str());
    d.sections_.push_back(std::move(s));
  }
  return d;
}

Document Document::parse_lines(const std::vector<SourceLine>& lines, const std::string& file_name) {
  Document d;
  d.file_ = file_name;
  d.sections_.push_back(Section{"", {file_name, 1}, {}});
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Location where = lines[i].where;
    std::string line = lines[i].text;
    // A backslash immediately before the end of line joins the next line.
    while (!line.empty() && (line.back() == '\\' || (line.back() == '\r' && line.size() >= 2 && line[line.size() - 2] == '\\'))) {
      if (line.back() == '\r') line.pop_back();
      line.pop_back();
      if (i + 1 >= lines.size()) break;
      line += lines[++i].text;
    }
    line = trim(strip_comment(line));
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') fail(where.str(), ": section header without a closing ']': ", line);
      std::string name = trim(line.substr(1, line.size() - 2));
      if (name.empty()) fail(where.str(), ": empty section name");
      for (const auto& s : d.sections_)
        if (s.name == name) fail(where.str(), ": section [", name, "] already defined at ", s.where.str());
      d.sections_.push_back(Section{name, where, {}});
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos) fail(where.str(), ": expected 'name=value' or '[section]', got '", line, "'");
    Property p;
    p.name = trim(line.substr(0, eq));
    p.value = trim(line.substr(eq + 1));
    p.where = where;
    if (p.name.empty()) fail(where.str(), ": property without a name");
    if (p.value.size() >= 2 && p.value.front() == '"' && p.value.back() == '"') {
      p.value = p.value.substr(1, p.value.size() - 2);
      p.quoted = true;
    } else if (!p.value.empty() && (p.value.front() == '"' || p.value.back() == '"')) {
      fail(where.str(), ": unbalanced double quotes in the value of ", p.name);
    }
    d.sections_.back().properties.push_back(std::move(p));
  }
  return d;
}

const Section* Document::find(const std::string& name) const {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

const Section& Document::at(const std::string& name) const {
  if (const Section* s = find(name)) return *s;
  std::vector<std::string> names;
  for (const auto& s : sections_) names.push_back(s.name);
  std::string hint = closest(name, names);
  fail(file_, ": no section [", name, "]", hint.empty() ? "" : " (did you mean [" + hint + "]?)");
}

std::optional<int64_t> parse_int(const std::string& text) {
  std::string t = digits_only(trim(text));
  if (t.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(t.c_str(), &end, 10);
  if (errno || *end) return std::nullopt;
  return v;
}

std::optional<uint64_t> parse_uint64(const std::string& text) {
  std::string t = digits_only(trim(text));
  if (t.empty() || t[0] == '-') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(t.c_str(), &end, 10);
  if (errno || *end) return std::nullopt;
  return v;
}

std::optional<double> parse_double(const std::string& text) {
  std::string t = digits_only(trim(text));
  if (t.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (errno || *end) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(const std::string& text) {
  std::string t = trim(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "1" || t == "true" || t == "yes") return true;
  if (t == "0" || t == "false" || t == "no") return false;
  return std::nullopt;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::size_t best_d = limit + 1;
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    // A prefix of at least 4 characters also counts as close ("Poison" -> "Poissonian").
    const std::string lw = lower(word), lc = lower(c);
    // (as far as the limit: a closer candidate still wins over a shared prefix)
    if (d > limit && lw.size() >= 4 && lc.compare(0, 4, lw, 0, 4) == 0) d = limit;
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

const Property* SectionReader::use(const std::string& name) {
  known_.insert(name);
  return s_.find(name);
}

void SectionReader::bad(const Property& p, const std::string& why) const {
  fail(p.where.str(), ": [", s_.name, "] ", p.name, "=", p.value, ": ", why);
}

std::string SectionReader::get_string(const std::string& name, const std::string& def) {
  const Property* p = use(name);
  return p ? p->value : def;
}

std::string SectionReader::require_string(const std::string& name) {
  const Property* p = use(name);
  if (!p) fail(s_.where.str(), ": [", s_.name, "] needs a ", name, "= property");
  return p->value;
}

int64_t SectionReader::get_int(const std::string& name, int64_t def) {
  const Property* p = use(name);
  if (!p) return def;
  auto v = parse_int(p->value);
  if (!v) bad(*p, "not an integer");
  return *v;
}

uint64_t SectionReader::get_uint64(const std::string& name, uint64_t def) {
  const Property* p = use(name);
  if (!p) return def;
  auto v = parse_uint64(p->value);
  if (!v) bad(*p, "not a non-negative integer");
  return *v;
}

double SectionReader::get_double(const std::string& name, double def) {
  const Property* p = use(name);
  if (!p) return def;
  auto v = parse_double(p->value);
  if (!v) bad(*p, "not a number");
  return *v;
}

bool SectionReader::get_bool(const std::string& name, bool def) {
  const Property* p = use(name);
  if (!p) return def;
  auto v = parse_bool(p->value);
  if (!v) bad(*p, "not a boolean (0/1, true/false, yes/no)");
  return *v;
}

std::string SectionReader::get_choice(const std::string& name, const std::string& def, const std::vector<std::string>& choices) {
  const Property* p = use(name);
  if (!p) return def;
  if (std::find(choices.begin(), choices.end(), p->value) != choices.end()) return p->value;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  std::string hint = closest(p->value, choices);
  bad(*p, "must be one of " + list + (hint.empty() ? "" : " (did you mean " + hint + "?)"));
}

void SectionReader::finish(const std::vector<std::string>& known_elsewhere) const {
  std::vector<std::string> all(known_.begin(), known_.end());
  all.insert(all.end(), known_elsewhere.begin(), known_elsewhere.end());
  for (const auto& p : s_.properties) {
    if (std::find(all.begin(), all.end(), p.name) != all.end()) continue;
    std::string hint = closest(p.name, all);
    fail(p.where.str(), ": [", s_.name, "] unknown property ", p.name, hint.empty() ? "" : " (did you mean " + hint + "?)");
  }
}

}  // namespace n2d2::ini
