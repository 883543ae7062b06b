// N2D2 INI templates (manual, "Template inclusion syntax"): a section [name@file.ini.tpl] is
// replaced by the template's text with {{VAR}} replaced by the section's properties and control
// statements between {% and %} evaluated:
//   {% block ARRAY %} ... {% endblock %}   once per item, ARRAY=<count>; inside, {{#}} is the item
//                                          index and {{.P}} the property ARRAY[#].P. A block whose
//                                          name starts with '.' inside another block is relative
//                                          to the current item ({% block .SUB %} -> ARRAY[#].SUB).
//   {% for VAR in range([START, ]END) %} ... {% endfor %}   VAR = START .. END-1 ({{VAR}}).
//   {% if VAR OP [VALUE] %} ... [{% else %} ...] {% endif %}  OP: ==, !=, exists, not_exists.
//   {% include FILE %}                     FILE's text, expanded in the same context.
// {{SECTION_NAME}} is the including section's name before '@'. Files are relative to the file
// that names them. Every expanded line keeps the file:line it came from; every error names it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "frontends/ini/ini_document.h"

namespace n2d2::ini {

using TemplateParams = std::map<std::string, std::string>;

// Expands the template file `path` (include chain starts at it).
std::vector<SourceLine> expand_template_file(const std::string& path, const TemplateParams& params);
// Expands template text named `file_name` (includes are relative to its folder).
std::vector<SourceLine> expand_template_text(const std::string& text, const std::string& file_name, const TemplateParams& params);

// Limits nested includes and nested template sections.
inline constexpr int kMaxTemplateDepth = 16;
// Limits the items of one {% for %} or {% block %} (a typo must not exhaust memory).
inline constexpr int64_t kMaxLoopItems = 100000;

}  // namespace n2d2::ini
