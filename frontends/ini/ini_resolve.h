// Value resolution of an N2D2 INI document: `$NAME=value` globals and `${NAME}` / `$NAME`
// substitution (globals first, then environment variables, e.g. ${N2D2_DATA}), and `[section]Property`
// references to another property's (resolved) value. Errors name file:line: an unknown variable,
// a reference to a missing section or property, a reference cycle.
#pragma once

#include "frontends/ini/ini_document.h"

namespace n2d2::ini {

// A copy of `doc` with every value resolved; the `$NAME` globals stay in the global section.
Document resolve(const Document& doc);

}  // namespace n2d2::ini
