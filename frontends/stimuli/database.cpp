#include "frontends/stimuli/database.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "frontends/data/idx.h"
#include "graph/error.h"

namespace fs = std::filesystem;

namespace n2d2::stimuli {

const char* subset_name(Subset s) {
  switch (s) {
    case Subset::Learn: return "learn";
    case Subset::Validation: return "validation";
    default: return "test";
  }
}

void partition(std::vector<std::vector<Stimulus>> per_label, const Partitioning& p, uint64_t seed,
               std::array<std::vector<Stimulus>, 3>& out) {
  std::size_t smallest = SIZE_MAX;
  for (const auto& l : per_label) smallest = std::min(smallest, l.size());
  if (per_label.empty()) smallest = 0;
  std::mt19937_64 rng(seed);
  for (auto& stimuli : per_label) {
    if (p.random) std::shuffle(stimuli.begin(), stimuli.end(), rng);
    double base = static_cast<double>(p.equiv ? smallest : stimuli.size());
    auto count = [&](double frac) { return static_cast<std::size_t>(std::llround(frac * base)); };
    std::size_t n_learn = std::min(count(p.learn), stimuli.size());
    std::size_t n_val = std::min(count(p.validation), stimuli.size() - n_learn);
    std::size_t rest = stimuli.size() - n_learn - n_val;
    std::size_t n_test = p.test < 0 ? rest : std::min(rest, static_cast<std::size_t>(std::llround(p.test * stimuli.size())));
    std::size_t cap = p.max_per_label > 0 ? static_cast<std::size_t>(p.max_per_label) : SIZE_MAX;
    std::size_t at = 0;
    auto take = [&](std::size_t n, Subset s) {
      for (std::size_t i = 0; i < n; ++i)
        if (i < cap) out[static_cast<int>(s)].push_back(stimuli[at + i]);
      at += n;
    };
    take(n_learn, Subset::Learn);
    take(n_val, Subset::Validation);
    take(n_test, Subset::Test);
  }
}

namespace {

std::string resolve_path(const ini::Document& doc, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (fs::path(doc.file()).parent_path() / p).string();
}

// N2D2's masks: '*' any sequence, '+' any one character.
bool wildcard(const char* m, const char* s) {
  if (*m == 0) return *s == 0;
  if (*m == '*') return wildcard(m + 1, s) || (*s && wildcard(m, s + 1));
  if (*m == '+') return *s && wildcard(m + 1, s + 1);
  return *m == *s && wildcard(m + 1, s + 1);
}
bool matches_any(const std::vector<std::string>& masks, const std::string& path) {
  for (const auto& m : masks)
    if (wildcard(m.c_str(), path.c_str()) || path.find(m) != std::string::npos) return true;
  return false;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> r;
  for (std::string w; in >> w;) r.push_back(w);
  return r;
}

Partitioning read_partitioning(ini::SectionReader& r, double default_learn) {
  Partitioning p;
  p.learn = r.get_double("Learn", default_learn);
  p.validation = r.get_double("Validation", 0.0);
  p.test = r.get_double("Test", -1.0);
  p.equiv = r.get_bool("EquivLabelPartitioning", true);
  p.random = r.get_bool("RandomPartitioning", true);
  p.max_per_label = r.get_int("MaxStimuliPerLabel", 0);  // n2d2-flow extension
  if (p.learn < 0 || p.validation < 0 || p.learn + p.validation > 1.0 + 1e-9)
    fail(r.section().where.str(), ": [", r.section().name, "] Learn + Validation must be fractions summing to at most 1");
  return p;
}

class MnistIdx final : public Database {
 public:
  MnistIdx(std::string dir, double validation, uint64_t seed) : dir_(std::move(dir)) {
    train_ = data::read_mnist(dir_, data::Split::Train);
    test_ = data::read_mnist(dir_, data::Split::Test);
    for (int c = 0; c < std::max(train_.classes(), test_.classes()); ++c) labels_.push_back(std::to_string(c));
    std::vector<Stimulus> learn;
    for (int64_t i = 0; i < train_.size(); ++i) learn.push_back({train_.images_path, i, train_.labels[i]});
    // The validation fraction comes out of the learning set, seeded.
    std::mt19937_64 rng(seed);
    std::vector<std::size_t> order(learn.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::size_t n_val = static_cast<std::size_t>(std::llround(validation * learn.size()));
    if (n_val > 0) std::shuffle(order.begin(), order.end(), rng);
    std::vector<bool> is_val(learn.size(), false);
    for (std::size_t i = 0; i < n_val; ++i) is_val[order[i]] = true;
    for (std::size_t i = 0; i < learn.size(); ++i) subsets_[is_val[i] ? 1 : 0].push_back(learn[i]);
    for (int64_t i = 0; i < test_.size(); ++i) subsets_[2].push_back({test_.images_path, i + train_.size(), test_.labels[i]});
  }
  std::string type() const override { return "MNIST_IDX_Database"; }
  cv::Mat load(const Stimulus& s) const override {
    const data::LabelledImages& set = s.index < train_.size() ? train_ : test_;
    int64_t i = s.index < train_.size() ? s.index : s.index - train_.size();
    cv::Mat m(static_cast<int>(set.rows()), static_cast<int>(set.cols()), CV_8U);
    std::memcpy(m.data, set.images.data<uint8_t>() + i * set.rows() * set.cols(), set.rows() * set.cols());
    return m;
  }

 private:
  std::string dir_;
  data::LabelledImages train_, test_;
};

class Dir final : public Database {
 public:
  std::string type() const override { return "DIR_Database"; }
  cv::Mat load(const Stimulus& s) const override {
    cv::Mat m = cv::imread(s.path, cv::IMREAD_UNCHANGED);
    if (m.empty()) fail(s.path, ": cannot read the image (missing, corrupt or an unknown format)");
    return m;
  }
  // Loads one DataPath (and its LoadMore chain) into per-label lists.
  void load_section(const ini::Document& doc, const ini::Section& sec, uint64_t seed, int depth_guard) {
    if (depth_guard > 16) fail(sec.where.str(), ": LoadMore chain deeper than 16 sections (a cycle?)");
    ini::SectionReader r(sec);
    if (depth_guard == 0) r.accept("Type");
    std::string root = resolve_path(doc, r.require_string("DataPath"));
    int64_t depth = r.get_int("Depth", 1);
    std::string label_name = r.get_string("LabelName", "");
    int64_t label_depth = r.get_int("LabelDepth", 1);
    std::vector<std::string> exts = words(r.get_string("ValidExtensions", ""));
    std::vector<std::string> ignore = words(r.get_string("IgnoreMasks", ""));
    Partitioning part = read_partitioning(r, 0.0);
    std::string more = r.get_string("LoadMore", "");
    r.accept("LoadInMemory");
    r.finish();
    if (!fs::is_directory(root)) fail(sec.where.str(), ": [", sec.name, "] DataPath ", root, " is not a directory");
    // Files of the allowed depth, sorted, with their label from the first LabelDepth folders.
    std::map<std::string, std::vector<std::string>> by_label;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
      if (depth >= 0 && it.depth() > depth) {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::string rel = fs::relative(f, root).generic_string();
      if (matches_any(ignore, rel)) continue;
      std::string ext = f.extension().string();
      if (!ext.empty()) ext = ext.substr(1);
      if (!exts.empty() && std::find(exts.begin(), exts.end(), ext) == exts.end()) continue;
      std::string label = label_name;
      fs::path parent = fs::relative(f.parent_path(), root);
      int64_t level = 0;
      for (const auto& part_name : parent) {
        if (part_name == "." || level >= label_depth) break;
        label += (label.empty() ? "" : "/") + part_name.string();
        ++level;
      }
      by_label[label].push_back(f.string());
    }
    if (files.empty()) fail(sec.where.str(), ": [", sec.name, "] DataPath ", root, " holds no stimulus");
    std::vector<std::vector<Stimulus>> per_label;
    for (auto& [label, paths] : by_label) {
      auto it = std::find(labels_.begin(), labels_.end(), label);
      int32_t id = static_cast<int32_t>(it - labels_.begin());
      if (it == labels_.end()) labels_.push_back(label);
      std::vector<Stimulus> list;
      for (const auto& p : paths) list.push_back({p, -1, id});
      per_label.push_back(std::move(list));
    }
    partition(std::move(per_label), part, seed, subsets_);
    if (!more.empty()) load_section(doc, doc.at(more), seed + 1, depth_guard + 1);
  }
};

class Csv final : public Database {
 public:
  std::string type() const override { return "CSV_Database"; }
  cv::Mat load(const Stimulus& s) const override { return rows_.at(static_cast<std::size_t>(s.index)).clone(); }
  void load_section(const ini::Document& doc, const ini::Section& sec, uint64_t seed, int depth_guard) {
    if (depth_guard > 16) fail(sec.where.str(), ": LoadMore chain deeper than 16 sections (a cycle?)");
    ini::SectionReader r(sec);
    if (depth_guard == 0) r.accept("Type");
    std::string file = resolve_path(doc, r.require_string("DataPath"));
    int64_t label_col = r.get_int("LabelColumn", -1);
    int64_t header = r.get_int("NbHeaderLines", 0);
    Partitioning part = read_partitioning(r, 0.0);
    std::string more = r.get_string("LoadMore", "");
    r.finish();
    std::ifstream in(file);
    if (!in) fail(sec.where.str(), ": [", sec.name, "] cannot open DataPath ", file);
    std::vector<std::vector<Stimulus>> per_label;
    std::string line;
    int64_t lineno = 0, width = -1;
    while (std::getline(in, line)) {
      ++lineno;
      if (lineno <= header || line.find_first_not_of(" \t\r") == std::string::npos) continue;
      std::vector<std::string> cells;
      std::string cell;
      std::istringstream ls(line);
      char delim = line.find(';') != std::string::npos ? ';' : ',';
      while (std::getline(ls, cell, delim)) {
        while (!cell.empty() && (cell.back() == '\r' || cell.back() == ' ')) cell.pop_back();
        if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
        cells.push_back(cell);
      }
      int64_t n = static_cast<int64_t>(cells.size());
      int64_t lc = label_col < 0 ? n + label_col : label_col;
      if (lc < 0 || lc >= n) fail(file, ":", lineno, ": no column ", label_col, " (", n, " columns)");
      if (width >= 0 && n - 1 != width) fail(file, ":", lineno, ": ", n, " columns, earlier rows have ", width + 1);
      width = n - 1;
      cv::Mat row(1, static_cast<int>(width), CV_32F);
      for (int64_t c = 0, k = 0; c < n; ++c) {
        if (c == lc) continue;
        std::optional<double> v = ini::parse_double(cells[c]);
        if (!v) fail(file, ":", lineno, ": column ", c + 1, " is not a number: '", cells[c], "'");
        row.at<float>(0, static_cast<int>(k++)) = static_cast<float>(*v);
      }
      auto it = std::find(labels_.begin(), labels_.end(), cells[lc]);
      int32_t id = static_cast<int32_t>(it - labels_.begin());
      if (it == labels_.end()) labels_.push_back(cells[lc]);
      if (per_label.size() <= static_cast<std::size_t>(id)) per_label.resize(id + 1);
      per_label[id].push_back({file + ":" + std::to_string(lineno), static_cast<int64_t>(rows_.size()), id});
      rows_.push_back(row);
    }
    if (rows_.empty()) fail(sec.where.str(), ": [", sec.name, "] ", file, " holds no data row");
    partition(std::move(per_label), part, seed, subsets_);
    if (!more.empty()) load_section(doc, doc.at(more), seed + 1, depth_guard + 1);
  }

 private:
  std::vector<cv::Mat> rows_;
};

}  // namespace

std::unique_ptr<Database> make_database(const ini::Document& doc, const ini::Section& section, const DatabaseOptions& opts) {
  ini::SectionReader r(section);
  std::string type = r.get_choice("Type", "", {"MNIST_IDX_Database", "DIR_Database", "CSV_Database"});
  if (type.empty()) fail(section.where.str(), ": [", section.name, "] has no Type (MNIST_IDX_Database, DIR_Database or CSV_Database)");
  if (type == "MNIST_IDX_Database") {
    std::string path = r.get_string("DataPath", "");
    if (path.empty()) {
      const char* env = std::getenv("N2D2_DATA");
      path = env && fs::is_directory(fs::path(env) / "mnist") ? (fs::path(env) / "mnist").string()
                                                              : std::string("/usr/share/datasets/fashion-mnist");
    } else {
      path = resolve_path(doc, path);
    }
    double validation = r.get_double("Validation", 0.0);
    r.finish();
    if (validation < 0 || validation > 1) fail(section.where.str(), ": [", section.name, "] Validation must be in [0, 1]");
    if (!fs::is_directory(path)) fail(section.where.str(), ": [", section.name, "] DataPath ", path, " is not a directory");
    return std::make_unique<MnistIdx>(path, validation, opts.seed);
  }
  if (type == "DIR_Database") {
    auto d = std::make_unique<Dir>();
    d->load_section(doc, section, opts.seed, 0);
    return d;
  }
  auto c = std::make_unique<Csv>();
  c->load_section(doc, section, opts.seed, 0);
  return c;
}

}  // namespace n2d2::stimuli
