// A minimal streaming JSON writer for the CLI's --json summaries.
#pragma once

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace n2d2::cli {

class JsonWriter {
 public:
  JsonWriter& begin_object() { prefix(); os_ << '{'; first_.push_back(true); return *this; }
  JsonWriter& end_object() { first_.pop_back(); os_ << '}'; return *this; }
  JsonWriter& begin_array() { prefix(); os_ << '['; first_.push_back(true); return *this; }
  JsonWriter& end_array() { first_.pop_back(); os_ << ']'; return *this; }
  JsonWriter& key(const std::string& k) {
    prefix();
    string_literal(k);
    os_ << ':';
    after_key_ = true;
    return *this;
  }
  JsonWriter& value(const std::string& s) { prefix(); string_literal(s); return *this; }
  JsonWriter& value(const char* s) { return value(std::string(s)); }
  JsonWriter& value(bool b) { prefix(); os_ << (b ? "true" : "false"); return *this; }
  JsonWriter& value(double d) {
    prefix();
    if (!std::isfinite(d)) {
      os_ << "null";
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.9g", d);
      os_ << buf;
    }
    return *this;
  }
  JsonWriter& value(int64_t i) { prefix(); os_ << i; return *this; }
  JsonWriter& value(int i) { return value(static_cast<int64_t>(i)); }
  JsonWriter& value(std::size_t i) { return value(static_cast<int64_t>(i)); }
  template <class T>
  JsonWriter& array(const std::vector<T>& v) {
    begin_array();
    for (const auto& x : v) value(x);
    return end_array();
  }
  std::string str() const { return os_.str() + "\n"; }

 private:
  void prefix() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) os_ << ',';
      first_.back() = false;
    }
  }
  void string_literal(const std::string& s) {
    os_ << '"';
    for (char c : s) {
      switch (c) {
        case '"': os_ << "\\\""; break;
        case '\\': os_ << "\\\\"; break;
        case '\n': os_ << "\\n"; break;
        case '\t': os_ << "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            os_ << buf;
          } else {
            os_ << c;
          }
      }
    }
    os_ << '"';
  }
  std::ostringstream os_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

// {"a":1} and {"b":2} -> {"a":1,"b":2}: the fields of two JSON objects in one (trailing
// whitespace of `a` dropped; `b` must start with '{').
inline std::string merge_json_objects(std::string a, const std::string& b) {
  while (!a.empty() && a.back() != '}') a.pop_back();
  if (!a.empty()) a.pop_back();
  return a + "," + b.substr(1);
}

}  // namespace n2d2::cli
