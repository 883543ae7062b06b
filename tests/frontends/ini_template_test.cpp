// INI templates: every control statement, the manual's example, errors with file:line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "frontends/ini/ini_resolve.h"
#include "frontends/ini/ini_template.h"
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

std::string joined(const std::vector<ini::SourceLine>& lines) {
  std::string s;
  for (const auto& l : lines)
    if (l.text.find_first_not_of(" \t") != std::string::npos) s += l.text + "\n";
  return s;
}

std::string expand(const std::string& text, const ini::TemplateParams& params) {
  return joined(ini::expand_template_text(text, "t.ini.tpl", params));
}

struct TempDir {
  std::filesystem::path dir;
  explicit TempDir(const std::string& name) : dir(std::filesystem::path(testing::TempDir()) / name) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  std::string write(const std::string& name, const std::string& text) const {
    auto p = dir / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};
}  // namespace

TEST(IniTemplate, Substitution) {
  EXPECT_EQ(expand("[{{SECTION_NAME}}_a]\nInput={{ IN }}\n", {{"SECTION_NAME", "x"}, {"IN", "sp"}}), "[x_a]\nInput=sp\n");
  auto e = error_of([] { expand("a=1\nb={{INPTU}}\n", {{"INPUT", "x"}}); });
  EXPECT_NE(e.find("t.ini.tpl:2"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean INPUT"), std::string::npos) << e;
  e = error_of([] { expand("a={{X\n", {{"X", "1"}}); });
  EXPECT_NE(e.find("t.ini.tpl:1: '{{' without"), std::string::npos) << e;
}

TEST(IniTemplate, BlockWithIndexAndItemProperties) {
  ini::TemplateParams p{{"ARRAY", "2"}, {"ARRAY[0].P1", "Conv"}, {"ARRAY[0].P2", "32"}, {"ARRAY[1].P1", "Pool"}, {"ARRAY[1].P2", "64"}, {"S", "s"}};
  EXPECT_EQ(expand("{% block ARRAY %}\n[{{S}}_array{{#}}]\nProp1=Config{{.P1}}\nProp2={{.P2}}\n{% endblock %}\n", p),
            "[s_array0]\nProp1=ConfigConv\nProp2=32\n[s_array1]\nProp1=ConfigPool\nProp2=64\n");
  // Zero items: nothing.
  EXPECT_EQ(expand("{% block A %}x{% endblock %}", {{"A", "0"}}), "");
  // Nested relative block.
  ini::TemplateParams q{{"A", "2"}, {"A[0].B", "1"}, {"A[1].B", "2"}, {"A[0].B[0].v", "a"}, {"A[1].B[0].v", "b"}, {"A[1].B[1].v", "c"}};
  EXPECT_EQ(expand("{% block A %}{% block .B %}{{.v}}{{#}} {% endblock %}{% endblock %}\n", q), "a0 b0 c1 \n");
  auto e = error_of([] { expand("x\n{% block A %}\ny\n", {{"A", "1"}}); });
  EXPECT_NE(e.find("t.ini.tpl:2: {% block %} without {% endblock %}"), std::string::npos) << e;
  e = error_of([] { expand("\n{% block A %}{% endblock %}", {{"A", "two"}}); });
  EXPECT_NE(e.find("t.ini.tpl:2"), std::string::npos) << e;
  e = error_of([] { expand("{{#}}", {}); });
  EXPECT_NE(e.find("outside any {% block %}"), std::string::npos) << e;
}

TEST(IniTemplate, ForRange) {
  EXPECT_EQ(expand("{% for i in range(3) %}[l{{i}}]\n{% endfor %}", {}), "[l0]\n[l1]\n[l2]\n");
  EXPECT_EQ(expand("{% for i in range(2, {{N}}) %}{{i}},{% endfor %}\n", {{"N", "5"}}), "2,3,4,\n");
  EXPECT_EQ(expand("{% for i in range(1, N) %}{{i}}{% endfor %}\n", {{"N", "3"}}), "12\n");
  EXPECT_EQ(expand("{% for i in range(4, 2) %}{{i}}{% endfor %}", {}), "");
  // Nested loops see both variables.
  EXPECT_EQ(expand("{% for i in range(2) %}{% for j in range(2) %}{{i}}{{j}} {% endfor %}{% endfor %}\n", {}), "00 01 10 11 \n");
  auto e = error_of([] { expand("\n\n{% for i in 3 %}{% endfor %}", {}); });
  EXPECT_NE(e.find("t.ini.tpl:3: expected {% for VAR in range"), std::string::npos) << e;
  e = error_of([] { expand("{% for i in range(x) %}{% endfor %}", {}); });
  EXPECT_NE(e.find("neither an integer"), std::string::npos) << e;
  e = error_of([] { expand("\n{% for i in range(1000000000) %}x{% endfor %}", {}); });
  EXPECT_NE(e.find("t.ini.tpl:2: {% for %} over 1000000000 items"), std::string::npos) << e;
  e = error_of([] { expand("{% block A %}x{% endblock %}", {{"A", "1000000000"}}); });
  EXPECT_NE(e.find("items (at most"), std::string::npos) << e;
  e = error_of([] { expand("{% for i in range(2) %}\n", {}); });
  EXPECT_NE(e.find("t.ini.tpl:1: {% for %} without {% endfor %}"), std::string::npos) << e;
}

TEST(IniTemplate, IfOperators) {
  ini::TemplateParams p{{"T", "Conv"}, {"E", ""}};
  EXPECT_EQ(expand("{% if T == Conv %}yes{% else %}no{% endif %}\n", p), "yes\n");
  EXPECT_EQ(expand("{% if T == Pool %}yes{% else %}no{% endif %}\n", p), "no\n");
  EXPECT_EQ(expand("{% if T != Pool %}yes{% endif %}\n", p), "yes\n");
  EXPECT_EQ(expand("{% if T != Conv %}yes{% endif %}x\n", p), "x\n");
  EXPECT_EQ(expand("{% if E exists %}e{% endif %}{% if Z exists %}z{% endif %}\n", p), "e\n");
  EXPECT_EQ(expand("{% if Z not_exists %}nz{% else %}z{% endif %}{% if T not_exists %}nt{% endif %}\n", p), "nz\n");
  // The value may be a parameter; a guarded {{Z}} is never evaluated.
  EXPECT_EQ(expand("{% if T == {{T}} %}same{% endif %}{% if Z exists %}{{Z}}{% endif %}\n", p), "same\n");
  // Inside a block, .P names the item's property; loop variables are seen too.
  ini::TemplateParams q{{"A", "2"}, {"A[0].K", "x"}, {"A[1].K", "y"}};
  EXPECT_EQ(expand("{% block A %}{% if .K == y %}{{#}}{% endif %}{% endblock %}\n", q), "1\n");
  EXPECT_EQ(expand("{% for i in range(3) %}{% if i != 1 %}{{i}}{% endif %}{% endfor %}\n", {}), "02\n");
  auto e = error_of([] { expand("\n{% if T >= 2 %}{% endif %}", {{"T", "1"}}); });
  EXPECT_NE(e.find("t.ini.tpl:2: expected {% if VAR"), std::string::npos) << e;
  e = error_of([] { expand("{% if U == 2 %}{% endif %}", {{"T", "1"}}); });
  EXPECT_NE(e.find("undefined template parameter U"), std::string::npos) << e;
  e = error_of([] { expand("{% if T == 1 %}\n{% endfor %}", {{"T", "1"}}); });
  EXPECT_NE(e.find("t.ini.tpl:2: unknown control statement {% endfor %}"), std::string::npos) << e;
}

TEST(IniTemplate, IncludeRelativeToTheFileAndRecursion) {
  TempDir t("ini_tpl_include");
  t.write("sub/part.tpl", "[{{SECTION_NAME}}_{{WHAT}}]\n{% include leaf.tpl %}\n");
  t.write("sub/leaf.tpl", "Leaf={{WHAT}}\n");
  std::string main = t.write("main.tpl", "{% include sub/part.tpl %}");
  auto lines = ini::expand_template_file(main, {{"SECTION_NAME", "n"}, {"WHAT", "w"}});
  EXPECT_EQ(joined(lines), "[n_w]\nLeaf=w\n");
  // Each line keeps the file:line it came from.
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0].where.line, 1);
  EXPECT_NE(lines[0].where.file.find("part.tpl"), std::string::npos);
  EXPECT_NE(lines[1].where.file.find("leaf.tpl"), std::string::npos);

  t.write("a.tpl", "x\n{% include b.tpl %}\n");
  t.write("b.tpl", "{% include a.tpl %}\n");
  auto e = error_of([&] { ini::expand_template_file((t.dir / "a.tpl").string(), {}); });
  EXPECT_NE(e.find("b.tpl:1: template recursion"), std::string::npos) << e;
  e = error_of([&] { ini::expand_template_file(t.write("c.tpl", "\n{% include nothere.tpl %}"), {}); });
  EXPECT_NE(e.find("c.tpl:2: {% include %}: no file"), std::string::npos) << e;
}

TEST(IniTemplate, ManualInceptionExampleThroughTheResolver) {
  TempDir t("ini_tpl_manual");
  t.write("inception_model.ini.tpl",
          "[{{SECTION_NAME}}_layer1]\nInput={{INPUT}}\nType=Conv\nNbOutputs={{SIZE}}\n"
          "[{{SECTION_NAME}}_layer2]\nInput={{SECTION_NAME}}_layer1\nType=Fc\nNbOutputs={{SIZE}}\n"
          "{% block ARRAY %}\n[{{SECTION_NAME}}_array{{#}}]\nProp1=Config{{.P1}}\nProp2={{.P2}}\n{% endblock %}\n");
  std::string main = t.write("main.ini",
                             "[layer_x]\nType=Pool\n"
                             "[inception@inception_model.ini.tpl]\nINPUT=layer_x\nSIZE=32\n"
                             "ARRAY=2 ; Must be the number of elements in the array\n"
                             "ARRAY[0].P1=Conv\nARRAY[0].P2=32\nARRAY[1].P1=Pool\nARRAY[1].P2=64\n"
                             "[after]\nInput=inception_layer2\n");
  auto d = ini::load_document(main);
  std::vector<std::string> names;
  for (const auto& s : d.sections()) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"", "layer_x", "inception_layer1", "inception_layer2", "inception_array0", "inception_array1", "after"}));
  EXPECT_EQ(d.at("inception_layer1").find("Input")->value, "layer_x");
  EXPECT_EQ(d.at("inception_layer2").find("Input")->value, "inception_layer1");
  EXPECT_EQ(d.at("inception_layer2").find("NbOutputs")->value, "32");
  EXPECT_EQ(d.at("inception_array1").find("Prop1")->value, "ConfigPool");
  EXPECT_EQ(d.at("inception_array1").find("Prop2")->value, "64");
  EXPECT_EQ(d.at("inception_array0").find("Prop2")->where.line, 12);  // line in the template
  EXPECT_NE(d.at("inception_array0").where.file.find("inception_model.ini.tpl"), std::string::npos);
}

TEST(IniTemplate, NestedTemplateSectionsAndTheirRecursion) {
  TempDir t("ini_tpl_nested");
  t.write("outer.tpl", "[{{SECTION_NAME}}_in@inner.tpl]\nN={{N}}\n");
  t.write("inner.tpl", "[{{SECTION_NAME}}_c]\nNbOutputs={{N}}\n");
  auto d = ini::load_document(t.write("m.ini", "[b@outer.tpl]\nN=7\n"));
  EXPECT_EQ(d.at("b_in_c").find("NbOutputs")->value, "7");
  t.write("self.tpl", "[x@self.tpl]\n");
  auto e = error_of([&] { ini::load_document(t.write("r.ini", "\n[a@self.tpl]\n")); });
  EXPECT_NE(e.find("self.tpl:1: template recursion"), std::string::npos) << e;
  e = error_of([&] { ini::load_document(t.write("q.ini", "\n\n[a@missing.tpl]\n")); });
  EXPECT_NE(e.find("q.ini:3: [a@missing.tpl]: no template file"), std::string::npos) << e;
  // Sections defined twice across the expansion are reported.
  t.write("dup.tpl", "[same]\n");
  e = error_of([&] { ini::load_document(t.write("d.ini", "[same]\n[a@dup.tpl]\n")); });
  EXPECT_NE(e.find("dup.tpl:1: section [same] already defined at"), std::string::npos) << e;
}
