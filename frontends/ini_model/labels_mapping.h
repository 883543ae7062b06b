// N2D2's Target LabelsMapping: a two-column text table "LABEL_NAME OUTPUT_INDEX" mapping the
// database's label names to the outputs of the scored layer (manual, "LabelsMapping").
//  - '#' starts a comment; blank lines are skipped.
//  - "*" alone is the invalid label (label id -1; the databases here have none, so it only
//    needs a valid index or -1); "default" is any valid label not matched by another line.
//  - In a name, '*' matches one or more characters and '+' exactly one.
//  - A name matches its exact line first, then the wildcard lines in file order, then
//    "default". Index -1 ignores the label (its stimuli are not scored).
// Errors (n2d2::Error) name FILE:LINE: a malformed line, a non-integer or < -1 index, a repeated
// name; and a database label that no line maps (without "default").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace n2d2::ini {

struct LabelsMappingRule {
  std::string name;
  int32_t output = 0;
  int line = 0;
};

struct LabelsMapping {
  std::string file;
  std::vector<LabelsMappingRule> rules;
};

LabelsMapping read_labels_mapping(const std::string& file);
LabelsMapping parse_labels_mapping(const std::string& text, const std::string& file);

// '*' = one or more characters, '+' = exactly one.
bool label_pattern_matches(const std::string& pattern, const std::string& name);

// Per database label (by id), its output index or -1 (ignored).
std::vector<int32_t> map_labels(const LabelsMapping& m, const std::vector<std::string>& label_names);

// "LABEL OUTPUT" per database label: what N2D2 writes as <target>/labels_mapping.log.dat.
std::string labels_mapping_log(const std::vector<int32_t>& mapped, const std::vector<std::string>& label_names);

}  // namespace n2d2::ini
