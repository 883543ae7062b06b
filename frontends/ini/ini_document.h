// N2D2 INI files as a document: sections of properties, each remembered with its file and line
// so that every later error can name them. Syntax (manual, "INI file interface"): [section]
// headers, name=value properties, ';' or '#' comments (at the start or in the middle of a line,
// outside quotes), double-quoted values, leading/trailing whitespace ignored, a backslash at the
// end of a line joins the next one. Names are case sensitive. A property before any section
// belongs to the unnamed global section "".
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace n2d2::ini {

struct Location {
  std::string file;
  int line = 0;
  std::string str() const { return file + ":" + std::to_string(line); }
};

struct Property {
  std::string name, value;
  bool quoted = false;  // the value was written in double quotes
  Location where;
};

struct Section {
  std::string name;
  Location where;
  std::vector<Property> properties;
  // The last property of that name (a later one overrides an earlier one), or null.
  const Property* find(const std::string& name) const;
};

// One physical line of INI text with where it came from (templates expand into such lines, each
// keeping the template file's line).
struct SourceLine {
  Location where;
  std::string text;
};

// Splits text into lines numbered from 1 in `file_name`.
std::vector<SourceLine> split_lines(const std::string& text, const std::string& file_name);

class Document {
 public:
  // The raw syntax only; ini_resolve.h adds variables, references, ConfigSection and templates.
  static Document parse_file(const std::string& path);
  static Document parse_string(const std::string& text, const std::string& file_name);
  static Document parse_lines(const std::vector<SourceLine>& lines, const std::string& file_name);
  // A document made of already-parsed sections (names must be unique; checked).
  static Document from_sections(const std::string& file_name, std::vector<Section> sections);

  const std::vector<Section>& sections() const { return sections_; }
  std::vector<Section>& sections() { return sections_; }
  // The section of that name, or null. Section names are unique (a repeat is a parse error).
  const Section* find(const std::string& name) const;
  const Section& at(const std::string& name) const;  // throws naming the file

  std::string file() const { return file_; }

  // Sections named by some ConfigSection= list: they hold shared properties, not layers.
  bool is_config(const std::string& name) const { return config_sections_.count(name) != 0; }
  void mark_config(const std::string& name) { config_sections_.insert(name); }

 private:
  std::string file_;
  std::vector<Section> sections_;
  std::set<std::string> config_sections_;
};

// Typed, checked access to one section's properties. Every property read is marked used;
// finish() then fails on the first property nobody read, naming file:line and suggesting the
// closest known name. Values: numbers accept thousands separators (1,000,000 or 1'000'000),
// booleans are 0/1/true/false/yes/no.
class SectionReader {
 public:
  explicit SectionReader(const Section& s) : s_(s) {}
  const Section& section() const { return s_; }

  bool has(const std::string& name) const { return s_.find(name) != nullptr; }
  std::string get_string(const std::string& name, const std::string& def);
  std::string require_string(const std::string& name);
  int64_t get_int(const std::string& name, int64_t def);
  uint64_t get_uint64(const std::string& name, uint64_t def);
  double get_double(const std::string& name, double def);
  bool get_bool(const std::string& name, bool def);
  // One of `choices` (exact, case-sensitive); errors list them.
  std::string get_choice(const std::string& name, const std::string& def, const std::vector<std::string>& choices);
  // Marks a property as known without reading it (e.g. one handled elsewhere).
  void accept(const std::string& name) { known_.insert(name); }

  // Throws on any property that was not read or accepted. `known_elsewhere` adds names that
  // are legal in this section but read by another component.
  void finish(const std::vector<std::string>& known_elsewhere = {}) const;

 private:
  const Property* use(const std::string& name);
  [[noreturn]] void bad(const Property& p, const std::string& why) const;
  const Section& s_;
  std::set<std::string> known_;
};

// Number parsing shared by readers: thousands separators ',' '\'' and '_' between digits accepted.
std::optional<int64_t> parse_int(const std::string& text);
std::optional<uint64_t> parse_uint64(const std::string& text);
std::optional<double> parse_double(const std::string& text);
std::optional<bool> parse_bool(const std::string& text);

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);
// The candidate closest to `word` (edit distance <= max(2, |word|/3), or sharing its first 4
// letters), or "".
std::string closest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace n2d2::ini
