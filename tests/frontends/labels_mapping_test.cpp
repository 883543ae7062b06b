#include "frontends/ini_model/labels_mapping.h"

#include <gtest/gtest.h>

#include "graph/error.h"

using namespace n2d2::ini;

namespace {

std::string error_of(const std::string& text, const std::vector<std::string>& labels = {}) {
  try {
    map_labels(parse_labels_mapping(text, "map.dat"), labels);
  } catch (const n2d2::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(LabelsMapping, ManualExampleWithDefault) {
  // The manual's example: background -> 0, padding '*' -> -1, any other label -> 1.
  LabelsMapping m = parse_labels_mapping("# background (no defect)\nbackground 0\n# padding\n* -1\n# defect\ndefault 1\n", "map.dat");
  ASSERT_EQ(m.rules.size(), 3u);
  EXPECT_EQ(m.rules[1].name, "*");
  EXPECT_EQ(m.rules[1].output, -1);
  EXPECT_EQ(m.rules[2].line, 6);
  EXPECT_EQ(map_labels(m, {"scratch", "background", "dent"}), (std::vector<int32_t>{1, 0, 1}));
}

TEST(LabelsMapping, WildcardsExactFirstThenFileOrder) {
  EXPECT_TRUE(label_pattern_matches("cat*", "cat_siamese"));
  EXPECT_FALSE(label_pattern_matches("cat*", "cat"));  // '*' is one or more characters
  EXPECT_TRUE(label_pattern_matches("d+g", "dog"));
  EXPECT_FALSE(label_pattern_matches("d+g", "doog"));
  EXPECT_TRUE(label_pattern_matches("*_+", "a_b"));
  LabelsMapping m = parse_labels_mapping("cat* 2\ncat_tiger 5\n+at* 3\ndog -1\n", "map.dat");
  // exact line beats an earlier pattern; the first matching pattern wins; -1 ignores
  EXPECT_EQ(map_labels(m, {"cat_tiger", "cat_lion", "bat_x", "dog"}), (std::vector<int32_t>{5, 2, 3, -1}));
}

TEST(LabelsMapping, ErrorsNameFileAndLine) {
  std::string e = error_of("a 0\nb\n");
  EXPECT_NE(e.find("map.dat:2"), std::string::npos) << e;
  e = error_of("a 0\n\nb x1\n");
  EXPECT_NE(e.find("map.dat:3"), std::string::npos) << e;
  e = error_of("a -2\n");
  EXPECT_NE(e.find("map.dat:1"), std::string::npos) << e;
  e = error_of("a 0\na 1\n");
  EXPECT_NE(e.find("map.dat:2"), std::string::npos) << e;
  e = error_of("a 0 extra\n");
  EXPECT_NE(e.find("map.dat:1"), std::string::npos) << e;
  e = error_of("a 0\n", {"a", "b"});
  EXPECT_NE(e.find("'b' is not mapped"), std::string::npos) << e;
  EXPECT_EQ(error_of("a 0\n", {"a"}), "");
}
