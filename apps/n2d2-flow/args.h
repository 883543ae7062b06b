// Command-line parsing shared by the subcommands: options with values, repeated options,
// positional arguments; unknown options are errors.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace n2d2::cli {

class Args {
 public:
  // `with_value`: options that take a value ("--threads"); `flags`: options without one.
  Args(int argc, char** argv, int first, const std::set<std::string>& with_value, const std::set<std::string>& flags);

  const std::vector<std::string>& positional() const { return positional_; }
  bool has(const std::string& opt) const { return values_.count(opt) != 0; }
  std::string get(const std::string& opt, const std::string& def = "") const;
  const std::vector<std::string>& all(const std::string& opt) const;
  int64_t get_int(const std::string& opt, int64_t def, int64_t min_value) const;
  double get_double(const std::string& opt, double def, double min_value) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> values_;
};

// "NAME=VALUE" → {NAME, VALUE}; throws naming the option when '=' is missing.
std::pair<std::string, std::string> split_assignment(const std::string& s, const std::string& option);

// "1x3x224x224" (or "1,3,224,224") → dims; throws on anything else.
std::vector<int64_t> parse_dims(const std::string& s, const std::string& option);

}  // namespace n2d2::cli
