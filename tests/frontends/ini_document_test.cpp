// INI document: syntax of the N2D2 manual, file:line in errors, typed readers with suggestions.
#include <gtest/gtest.h>

#include <functional>

#include "frontends/ini/ini_document.h"
#include "graph/error.h"

using namespace n2d2;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(IniDocument, SectionsPropertiesCommentsQuotesContinuation) {
  auto d = ini::Document::parse_string(
      "DefaultModel=Frame ; global\n"
      "# a comment line\n"
      "  [conv1]  \n"
      "Input=sp\n"
      "NbOutputs = 32   # trailing comment\n"
      "Name=\"a;b = c\"\n"
      "Kernel\\\n"
      "Size=5\n"
      "[fc]\n"
      "Type=Fc\n"
      "Type=Conv\n",
      "net.ini");
  ASSERT_EQ(d.sections().size(), 3u);
  EXPECT_EQ(d.sections()[0].name, "");
  EXPECT_EQ(d.sections()[0].find("DefaultModel")->value, "Frame");
  const auto& c = d.at("conv1");
  EXPECT_EQ(c.where.line, 3);
  EXPECT_EQ(c.find("NbOutputs")->value, "32");
  EXPECT_EQ(c.find("NbOutputs")->where.line, 5);
  EXPECT_EQ(c.find("Name")->value, "a;b = c");
  EXPECT_TRUE(c.find("Name")->quoted);
  ASSERT_NE(c.find("KernelSize"), nullptr);
  EXPECT_EQ(c.find("KernelSize")->value, "5");
  EXPECT_EQ(c.find("KernelSize")->where.line, 7);
  EXPECT_EQ(c.find("nboutputs"), nullptr);  // case sensitive
  EXPECT_EQ(d.at("fc").find("Type")->value, "Conv");  // the last one wins
}

TEST(IniDocument, SyntaxErrorsNameFileAndLine) {
  EXPECT_NE(error_of([] { ini::Document::parse_string("[a]\nx\n", "f.ini"); }).find("f.ini:2: expected 'name=value'"), std::string::npos);
  EXPECT_NE(error_of([] { ini::Document::parse_string("[a\n", "f.ini"); }).find("f.ini:1: section header"), std::string::npos);
  EXPECT_NE(error_of([] { ini::Document::parse_string("[a]\n[a]\n", "f.ini"); }).find("f.ini:2: section [a] already defined at f.ini:1"),
            std::string::npos);
  EXPECT_NE(error_of([] { ini::Document::parse_string("[a]\nx=\"abc\n", "f.ini"); }).find("unbalanced"), std::string::npos);
  EXPECT_NE(error_of([] { ini::Document::parse_string("[a]\n", "f.ini").at("b"); }).find("no section [b]"), std::string::npos);
  EXPECT_NE(error_of([] { ini::Document::parse_file("/nonexistent.ini"); }).find("/nonexistent.ini"), std::string::npos);
}

TEST(IniDocument, TypedReaderValuesAndUnknownProperties) {
  auto d = ini::Document::parse_string(
      "[env]\nPeriodMin=1,000,000\nThreshold=0.5\nLeak=yes\nStimulusType=Poissonian\nRefactoryPeriod=3\n", "env.ini");
  ini::SectionReader r(d.at("env"));
  EXPECT_EQ(r.get_uint64("PeriodMin", 0), 1000000u);
  EXPECT_DOUBLE_EQ(r.get_double("Threshold", 1.0), 0.5);
  EXPECT_TRUE(r.get_bool("Leak", false));
  EXPECT_EQ(r.get_int("Missing", 7), 7);
  EXPECT_EQ(r.get_choice("StimulusType", "SingleBurst", {"SingleBurst", "Periodic", "Poissonian"}), "Poissonian");
  r.accept("RefractoryPeriod");
  std::string e = error_of([&] { r.finish(); });
  EXPECT_NE(e.find("env.ini:6: [env] unknown property RefactoryPeriod (did you mean RefractoryPeriod?)"), std::string::npos) << e;

  auto bad = ini::Document::parse_string("[s]\nA=12x\nB=Poison\nC=maybe\n", "b.ini");
  ini::SectionReader rb(bad.at("s"));
  EXPECT_NE(error_of([&] { rb.get_int("A", 0); }).find("b.ini:2: [s] A=12x: not an integer"), std::string::npos);
  std::string ce = error_of([&] { rb.get_choice("B", "", {"Periodic", "Poissonian"}); });
  EXPECT_NE(ce.find("did you mean Poissonian?"), std::string::npos) << ce;
  EXPECT_NE(error_of([&] { rb.get_bool("C", false); }).find("b.ini:4"), std::string::npos);
  EXPECT_NE(error_of([&] { rb.require_string("D"); }).find("needs a D= property"), std::string::npos);
}

TEST(IniDocument, NumberParsing) {
  EXPECT_EQ(ini::parse_int("1'000"), 1000);
  EXPECT_EQ(ini::parse_int("-12_345"), -12345);
  EXPECT_FALSE(ini::parse_int("1,,0").has_value());
  EXPECT_FALSE(ini::parse_uint64("-1").has_value());
  EXPECT_DOUBLE_EQ(*ini::parse_double("1,000.5"), 1000.5);
  EXPECT_DOUBLE_EQ(*ini::parse_double("1e-3"), 1e-3);
  EXPECT_EQ(ini::closest("Treshold", {"Threshold", "Leak"}), "Threshold");
  EXPECT_EQ(ini::closest("xyz", {"Threshold", "Leak"}), "");
}
