#include "frontends/ini/ini_template.h"

#include <filesystem>
#include <memory>
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

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

// A parsed template: text runs and control statements.
struct Node {
  enum Kind { Text, Block, For, If, Include } kind = Text;
  int line = 0;          // where it starts
  std::string text;      // Text: the run; Include: the file name
  std::string name;      // Block: the array; For: the variable; If: the variable
  std::string a, b;      // For: start, end; If: operator, value
  std::vector<Node> body, other;  // If: then / else
};

struct Parser {
  const std::string& src;
  const std::string& file;
  std::size_t pos = 0;
  int line = 1;

  std::string where(int l) const { return file + ":" + std::to_string(l); }

  // Parses nodes until one of `ends` ({% endblock %}, ...) or the end of text; returns the end
  // statement's keyword (or "" at the end of text).
  std::string parse(std::vector<Node>& out, const std::vector<std::string>& ends, int opened_at, const std::string& opener) {
    while (pos < src.size()) {
      std::size_t open = src.find("{%", pos);
      std::string run = src.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
      if (!run.empty()) {
        out.push_back(Node{Node::Text, line, run, {}, {}, {}, {}, {}});
        for (char c : run) line += c == '\n';
      }
      if (open == std::string::npos) {
        pos = src.size();
        break;
      }
      std::size_t close = src.find("%}", open + 2);
      if (close == std::string::npos) fail(where(line), ": '{%' without a closing '%}'");
      std::string stmt = trim(src.substr(open + 2, close - open - 2));
      const int at = line;
      for (std::size_t i = open; i < close; ++i) line += src[i] == '\n';
      pos = close + 2;
      auto w = words(stmt);
      if (w.empty()) fail(where(at), ": empty control statement {% %}");
      const std::string& kw = w[0];
      for (const auto& e : ends)
        if (kw == e) {
          if (w.size() != 1) fail(where(at), ": {% ", kw, " %} takes no argument");
          return kw;
        }
      Node n;
      n.line = at;
      if (kw == "block") {
        if (w.size() != 2) fail(where(at), ": expected {% block NAME %}, got {% ", stmt, " %}");
        n.kind = Node::Block;
        n.name = w[1];
        parse(n.body, {"endblock"}, at, "block");
      } else if (kw == "for") {
        // for VAR in range([START, ]END)
        auto in_pos = stmt.find(" in ");
        auto lp = stmt.find("range(", in_pos == std::string::npos ? 0 : in_pos);
        auto rp = stmt.rfind(')');
        if (w.size() < 4 || w[2] != "in" || in_pos == std::string::npos || lp == std::string::npos || rp == std::string::npos || rp < lp ||
            !trim(stmt.substr(rp + 1)).empty())
          fail(where(at), ": expected {% for VAR in range([START, ]END) %}, got {% ", stmt, " %}");
        n.kind = Node::For;
        n.name = w[1];
        std::string args = stmt.substr(lp + 6, rp - lp - 6);
        auto comma = args.find(',');
        if (comma == std::string::npos) {
          n.a = "0", n.b = trim(args);
        } else {
          n.a = trim(args.substr(0, comma)), n.b = trim(args.substr(comma + 1));
        }
        if (n.a.empty() || n.b.empty()) fail(where(at), ": empty bound in {% ", stmt, " %}");
        parse(n.body, {"endfor"}, at, "for");
      } else if (kw == "if") {
        n.kind = Node::If;
        if (w.size() == 3 && (w[2] == "exists" || w[2] == "not_exists")) {
          n.name = w[1], n.a = w[2];
        } else if (w.size() >= 4 && (w[2] == "==" || w[2] == "!=")) {
          n.name = w[1], n.a = w[2];
          // The value is the rest of the statement after the operator (may hold spaces).
          auto op = stmt.find(w[2], stmt.find(w[1]) + w[1].size());
          n.b = trim(stmt.substr(op + 2));
          if (n.b.size() >= 2 && n.b.front() == '"' && n.b.back() == '"') n.b = n.b.substr(1, n.b.size() - 2);
        } else {
          fail(where(at), ": expected {% if VAR ==|!= VALUE %} or {% if VAR exists|not_exists %}, got {% ", stmt, " %}");
        }
        std::string end = parse(n.body, {"else", "endif"}, at, "if");
        if (end == "else") parse(n.other, {"endif"}, at, "if");
      } else if (kw == "include") {
        if (w.size() != 2) fail(where(at), ": expected {% include FILE %}, got {% ", stmt, " %}");
        n.kind = Node::Include;
        n.text = w[1];
      } else {
        fail(where(at), ": unknown control statement {% ", kw, " %} (block, for, if, include)");
      }
      out.push_back(std::move(n));
    }
    if (!ends.empty()) fail(where(opened_at), ": {% ", opener, " %} without {% ", ends.back(), " %}");
    return "";
  }
};

struct Scope {
  std::string var, value;  // for loop: variable; block: prefix "ARRAY[i]" and index
  bool block = false;
};

class Expander {
 public:
  Expander(const TemplateParams& params) : params_(params) {}

  void expand_text(const std::string& text, const std::string& file) {
    if (stack_.size() > static_cast<std::size_t>(kMaxTemplateDepth)) fail(file, ": templates nested deeper than ", kMaxTemplateDepth);
    Parser p{text, file};
    std::vector<Node> nodes;
    p.parse(nodes, {}, 1, "");
    stack_.push_back(file);
    run(nodes, file);
    stack_.pop_back();
  }

  std::vector<SourceLine> finish() {
    if (started_) out_.push_back(pending_);
    started_ = false;
    return std::move(out_);
  }

  std::vector<std::string> stack_;

 private:
  static std::string at(const std::string& file, int line) { return file + ":" + std::to_string(line); }

  // The innermost block's "ARRAY[i]" prefix, or "".
  const Scope* block() const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)
      if (it->block) return &*it;
    return nullptr;
  }

  // Resolves a parameter name: "#", ".P" (current block item), loop variables, parameters.
  const std::string* lookup(const std::string& name, std::string& tmp) const {
    if (name == "#") {
      const Scope* b = block();
      if (!b) return nullptr;
      tmp = b->value;
      return &tmp;
    }
    if (!name.empty() && name[0] == '.') {
      const Scope* b = block();
      if (!b) return nullptr;
      auto it = params_.find(b->var + name);
      return it == params_.end() ? nullptr : &it->second;
    }
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)
      if (!it->block && it->var == name) return &it->value;
    auto it = params_.find(name);
    return it == params_.end() ? nullptr : &it->second;
  }

  std::string missing(const std::string& name) const {
    if (name == "#" || (!name.empty() && name[0] == '.')) {
      const Scope* b = block();
      if (!b) return "{{" + name + "}} outside any {% block %}";
      return "undefined template parameter " + b->var + name;
    }
    std::vector<std::string> names;
    for (const auto& [k, v] : params_) names.push_back(k);
    std::string hint = closest(name, names);
    return "undefined template parameter " + name + (hint.empty() ? "" : " (did you mean " + hint + "?)");
  }

  // Replaces every {{NAME}} in `s`.
  std::string subst(const std::string& s, const std::string& file, int line) const {
    std::string out;
    std::size_t pos = 0;
    while (true) {
      std::size_t open = s.find("{{", pos);
      if (open == std::string::npos) break;
      out += s.substr(pos, open - pos);
      std::size_t close = s.find("}}", open + 2);
      int l = line;
      for (std::size_t i = 0; i < open; ++i) l += s[i] == '\n';
      if (close == std::string::npos) fail(at(file, l), ": '{{' without a closing '}}'");
      std::string name = trim(s.substr(open + 2, close - open - 2));
      std::string tmp;
      const std::string* v = lookup(name, tmp);
      if (!v) fail(at(file, l), ": ", missing(name));
      out += *v;
      pos = close + 2;
    }
    return out + s.substr(pos);
  }

  void emit(const std::string& text, const std::string& file, int line) {
    for (char c : text) {
      if (!started_) pending_ = SourceLine{{file, line}, ""}, started_ = true;
      if (c == '\n') {
        out_.push_back(pending_);
        started_ = false;
        ++line;
      } else {
        pending_.text += c;
      }
    }
  }

  int64_t bound(const std::string& raw, const std::string& file, int line) const {
    std::string s = subst(raw, file, line);
    if (auto v = parse_int(s)) return *v;
    std::string tmp;
    if (const std::string* p = lookup(s, tmp))
      if (auto v = parse_int(*p)) return *v;
    fail(at(file, line), ": range bound '", s, "' is neither an integer nor an integer parameter");
  }

  void run(const std::vector<Node>& nodes, const std::string& file) {
    for (const Node& n : nodes) {
      switch (n.kind) {
        case Node::Text:
          emit(subst(n.text, file, n.line), file, n.line);
          break;
        case Node::Block: {
          std::string name = n.name;
          if (name[0] == '.') {
            const Scope* b = block();
            if (!b) fail(at(file, n.line), ": relative {% block ", name, " %} outside any block");
            name = b->var + name;
          }
          auto it = params_.find(name);
          if (it == params_.end()) fail(at(file, n.line), ": {% block ", name, " %}: ", missing(name), " (the number of items)");
          auto count = parse_int(it->second);
          if (!count || *count < 0) fail(at(file, n.line), ": {% block ", name, " %}: ", name, "=", it->second, " is not a count");
          if (*count > kMaxLoopItems) fail(at(file, n.line), ": {% block ", name, " %}: ", *count, " items (at most ", kMaxLoopItems, ")");
          for (int64_t i = 0; i < *count; ++i) {
            scopes_.push_back(Scope{name + "[" + std::to_string(i) + "]", std::to_string(i), true});
            run(n.body, file);
            scopes_.pop_back();
          }
          break;
        }
        case Node::For: {
          int64_t a = bound(n.a, file, n.line), b = bound(n.b, file, n.line);
          if (b - a > kMaxLoopItems) fail(at(file, n.line), ": {% for %} over ", b - a, " items (at most ", kMaxLoopItems, ")");
          for (int64_t i = a; i < b; ++i) {
            scopes_.push_back(Scope{n.name, std::to_string(i), false});
            run(n.body, file);
            scopes_.pop_back();
          }
          break;
        }
        case Node::If: {
          std::string tmp;
          const std::string* v = lookup(subst(n.name, file, n.line), tmp);
          bool yes;
          if (n.a == "exists") {
            yes = v != nullptr;
          } else if (n.a == "not_exists") {
            yes = v == nullptr;
          } else {
            if (!v) fail(at(file, n.line), ": {% if %}: ", missing(n.name));
            std::string value = subst(n.b, file, n.line);
            yes = (*v == value) == (n.a == "==");
          }
          run(yes ? n.body : n.other, file);
          break;
        }
        case Node::Include: {
          namespace fs = std::filesystem;
          std::string name = subst(n.text, file, n.line);
          fs::path p = fs::path(name).is_absolute() ? fs::path(name) : fs::path(file).parent_path() / name;
          std::string path = p.lexically_normal().string();
          for (const auto& f : stack_)
            if (fs::path(f).lexically_normal() == fs::path(path)) {
              std::string chain;
              for (const auto& g : stack_) chain += g + " -> ";
              fail(at(file, n.line), ": template recursion: ", chain, path);
            }
          if (!fs::is_regular_file(p)) fail(at(file, n.line), ": {% include %}: no file ", path);
          expand_text(io::read_file(path), path);
          break;
        }
      }
    }
  }

  const TemplateParams& params_;
  std::vector<Scope> scopes_;
  std::vector<SourceLine> out_;
  SourceLine pending_;
  bool started_ = false;
};

}  // namespace

std::vector<SourceLine> expand_template_text(const std::string& text, const std::string& file_name, const TemplateParams& params) {
  Expander e(params);
  e.expand_text(text, file_name);
  return e.finish();
}

std::vector<SourceLine> expand_template_file(const std::string& path, const TemplateParams& params) {
  return expand_template_text(io::read_file(path), path, params);
}

}  // namespace n2d2::ini
