#include "apps/n2d2-flow/args.h"

#include <charconv>

#include "graph/error.h"

namespace n2d2::cli {

Args::Args(int argc, char** argv, int first, const std::set<std::string>& with_value,
           const std::set<std::string>& flags) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 1 && a[0] == '-') {
      std::string name = a, val;
      auto eq = a.find('=');
      bool inline_value = a.rfind("--", 0) == 0 && eq != std::string::npos;
      if (inline_value) {
        name = a.substr(0, eq);
        val = a.substr(eq + 1);
      }
      if (flags.count(name)) {
        if (inline_value) fail("option ", name, " takes no value");
        values_[name].push_back("1");
      } else if (with_value.count(name)) {
        if (!inline_value) {
          if (i + 1 >= argc) fail("option ", name, " needs a value");
          val = argv[++i];
        }
        values_[name].push_back(val);
      } else {
        fail("unknown option '", name, "' (see --help)");
      }
    } else {
      positional_.push_back(a);
    }
  }
}

std::string Args::get(const std::string& opt, const std::string& def) const {
  auto it = values_.find(opt);
  return it == values_.end() ? def : it->second.back();
}

const std::vector<std::string>& Args::all(const std::string& opt) const {
  static const std::vector<std::string> kNone;
  auto it = values_.find(opt);
  return it == values_.end() ? kNone : it->second;
}

int64_t Args::get_int(const std::string& opt, int64_t def, int64_t min_value) const {
  if (!has(opt)) return def;
  std::string s = get(opt);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) fail("option ", opt, ": '", s, "' is not an integer");
  if (v < min_value) fail("option ", opt, ": ", v, " is below the minimum ", min_value);
  return v;
}

double Args::get_double(const std::string& opt, double def, double min_value) const {
  if (!has(opt)) return def;
  std::string s = get(opt);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !(v == v)) fail("option ", opt, ": '", s, "' is not a number");
  if (v < min_value) fail("option ", opt, ": ", v, " is below the minimum ", min_value);
  return v;
}

std::pair<std::string, std::string> split_assignment(const std::string& s, const std::string& option) {
  auto eq = s.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == s.size())
    fail("option ", option, ": expected NAME=VALUE, got '", s, "'");
  return {s.substr(0, eq), s.substr(eq + 1)};
}

std::vector<int64_t> parse_dims(const std::string& s, const std::string& option) {
  std::vector<int64_t> dims;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t end = s.find_first_of("x,", pos);
    if (end == std::string::npos) end = s.size();
    std::string tok = s.substr(pos, end - pos);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (tok.empty() || ec != std::errc() || p != tok.data() + tok.size() || v < 0)
      fail("option ", option, ": '", s, "' is not a shape like 1x3x224x224");
    dims.push_back(v);
    pos = end + 1;
  }
  return dims;
}

}  // namespace n2d2::cli
