// $VAR globals, ${VAR} and environment substitution, [section]Property references, errors.
#include <gtest/gtest.h>

#include <cstdlib>

#include "frontends/ini/ini_resolve.h"
#include "graph/error.h"

using namespace n2d2;
using namespace n2d2::ini;

TEST(IniResolve, VariablesAndReferences) {
  ::setenv("N2D2_RESOLVE_TEST", "/data", 1);
  Document d = resolve(Document::parse_string(
      "$SIZE=24\n$NAME=net${SIZE}\n[sp]\nSizeX=${SIZE}\nSizeY=$SIZE\nPath=${N2D2_RESOLVE_TEST}/mnist\n"
      "[t]\nWidth=[sp]SizeX\nLabel=${NAME}_x\nCost=$5\n",
      "r.ini"));
  EXPECT_EQ(d.at("sp").find("SizeX")->value, "24");
  EXPECT_EQ(d.at("sp").find("SizeY")->value, "24");
  EXPECT_EQ(d.at("sp").find("Path")->value, "/data/mnist");
  EXPECT_EQ(d.at("t").find("Width")->value, "24");
  EXPECT_EQ(d.at("t").find("Label")->value, "net24_x");
  EXPECT_EQ(d.at("t").find("Cost")->value, "$5");
}

TEST(IniResolve, ErrorsNameFileAndLine) {
  auto err = [](const std::string& text) {
    try {
      resolve(Document::parse_string(text, "e.ini"));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(err("[a]\nX=${NOPE_NOT_DEFINED_ANYWHERE}\n").find("e.ini:2: X: unknown variable $NOPE"), std::string::npos);
  EXPECT_NE(err("[a]\nX=[b]Y\n").find("no section [b]"), std::string::npos);
  EXPECT_NE(err("[a]\nX=[a]Z\n").find("has no property Z"), std::string::npos);
  EXPECT_NE(err("[a]\nX=[a]Y\nY=[a]X\n").find("reference cycle"), std::string::npos);
}
