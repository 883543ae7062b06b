// From the raw INI syntax to the document a builder reads, in N2D2's order:
//  1. `$NAME=value` properties define variables (in file order, also inside templates); every
//     later `${NAME}` in a value or a section name is replaced by it, else by the environment
//     variable NAME; an unknown name is an error at its file:line.
//  2. Sections [name@file.ini.tpl] are replaced by the template's expansion (ini_template.h),
//     recursively; a template that includes itself (directly or not) is an error.
//  3. `ConfigSection=a,b` copies the properties of sections a then b (themselves resolved the
//     same way) into the section; the section's own properties win; a, b are marked config.
//  4. A value `[section]Property` is replaced by that property's (resolved) value.
#pragma once

#include <string>

#include "frontends/ini/ini_document.h"

namespace n2d2::ini {

// Parses and resolves the INI file at `path`.
Document load_document(const std::string& path);
// Resolves text named `file_name` (templates are looked up relative to its folder).
Document load_document_string(const std::string& text, const std::string& file_name);
// Steps 1-4 on an already-parsed document.
Document resolve(const Document& raw);

}  // namespace n2d2::ini
