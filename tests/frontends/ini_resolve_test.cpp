// INI resolution: $VAR / ${VAR}, ConfigSection lists, [section]Property references.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

#include "frontends/ini/ini_resolve.h"
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
ini::Document load(const std::string& text) { return ini::load_document_string(text, "m.ini"); }
}  // namespace

TEST(IniResolve, Variables) {
  ::setenv("N2D2_INI_TEST_DIR", "/data", 1);
  auto d = load("$BATCH_SIZE=256\n$DIR=${N2D2_INI_TEST_DIR}/mnist\n[sp]\nBatchSize=${BATCH_SIZE}\nPath=${DIR}/x\n"
                "Escaped=\\${BATCH_SIZE}\n$BATCH_SIZE=8\n[b]\nBatchSize=${BATCH_SIZE}\n");
  const auto& sp = d.at("sp");
  EXPECT_EQ(sp.find("BatchSize")->value, "256");
  EXPECT_EQ(sp.find("Path")->value, "/data/mnist/x");
  EXPECT_EQ(sp.find("Escaped")->value, "256");
  EXPECT_EQ(sp.find("$BATCH_SIZE"), nullptr);  // definitions are not properties
  EXPECT_EQ(d.at("b").find("BatchSize")->value, "8");  // a later definition applies afterwards
  EXPECT_TRUE(d.at("").properties.empty());
  auto e = error_of([] { load("$BATCH=1\n[a]\nX=${BATHC}\n"); });
  EXPECT_NE(e.find("m.ini:3: undefined variable ${BATHC}"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean ${BATCH}"), std::string::npos) << e;
  e = error_of([] { load("[a]\nX=${OPEN\n"); });
  EXPECT_NE(e.find("m.ini:2: '${' without"), std::string::npos) << e;
}

TEST(IniResolve, ConfigSectionLists) {
  auto d = load("[conv1]\nConfigSection=common.config,conv.config\nNoBias=0\n"
                "[common.config]\nNoBias=1\nWeightsSolver.LearningRate=0.05\nKernel=3\n"
                "[conv.config]\nKernel=5\nConfigSection=base.config\n"
                "[base.config]\nPadding=1\n");
  const auto& c = d.at("conv1");
  EXPECT_EQ(c.find("NoBias")->value, "0");  // own property wins
  EXPECT_EQ(c.find("Kernel")->value, "5");  // a later config wins over an earlier
  EXPECT_EQ(c.find("Padding")->value, "1");  // nested ConfigSection
  EXPECT_EQ(c.find("WeightsSolver.LearningRate")->value, "0.05");
  EXPECT_EQ(c.find("WeightsSolver.LearningRate")->where.line, 6);  // where it was written
  EXPECT_EQ(c.find("ConfigSection"), nullptr);
  EXPECT_TRUE(d.is_config("common.config"));
  EXPECT_TRUE(d.is_config("base.config"));
  EXPECT_FALSE(d.is_config("conv1"));
  auto e = error_of([] { load("[a]\nConfigSection=comon.config\n[common.config]\nX=1\n"); });
  EXPECT_NE(e.find("m.ini:2: [a] ConfigSection: no section [comon.config] (did you mean [common.config]?)"), std::string::npos) << e;
  e = error_of([] { load("[a]\nConfigSection=b\n[b]\nConfigSection=a\n"); });
  EXPECT_NE(e.find("ConfigSection cycle"), std::string::npos) << e;
}

TEST(IniResolve, References) {
  auto d = load("[sp]\nSizeX=32\nSizeY=24\n[conv1]\nNbOutputs=16\n[conv2]\nNbOutputs=[conv1]NbOutputs\n"
                "[t]\nWidth=[sp]SizeX\nHeight=[sp]SizeY\nDeep=[conv2]NbOutputs\nList=[1,2]\n"
                "[fc]\nConfigSection=cfg\nN=[fc]Base\n[cfg]\nBase=10\n");
  EXPECT_EQ(d.at("conv2").find("NbOutputs")->value, "16");
  EXPECT_EQ(d.at("t").find("Width")->value, "32");
  EXPECT_EQ(d.at("t").find("Height")->value, "24");
  EXPECT_EQ(d.at("t").find("Deep")->value, "16");  // reference to a reference
  EXPECT_EQ(d.at("t").find("List")->value, "[1,2]");  // not a reference
  EXPECT_EQ(d.at("fc").find("N")->value, "10");  // through ConfigSection
  auto e = error_of([] { load("[sp]\nSizeX=1\n[c]\nW=[sp]SizeZ\n"); });
  EXPECT_NE(e.find("m.ini:4: W=[sp]SizeZ: section [sp] (m.ini:1) has no property SizeZ (did you mean SizeX?)"), std::string::npos) << e;
  e = error_of([] { load("[sp]\nSizeX=1\n[c]\nW=[sq]SizeX\n"); });
  EXPECT_NE(e.find("m.ini:4: W=[sq]SizeX: no section [sq] (did you mean [sp]?)"), std::string::npos) << e;
  e = error_of([] { load("[a]\nX=[b]Y\n[b]\nY=[a]X\n"); });
  EXPECT_NE(e.find("reference cycle"), std::string::npos) << e;
}
