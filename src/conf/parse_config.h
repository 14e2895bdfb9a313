// Syntax tree -> typed Config (keyword tables, defaults, validation). Most callers want
// conf/load.h, which also reads the file.
#pragma once

#include "conf/model.h"
#include "conf/schema.h"
#include "conf/tree.h"

namespace vigil::conf {

// Always returns a Config; it is only meaningful when ctx.diag has no errors.
Config parse_config(const Tree& tree, ParseContext& ctx);

}  // namespace vigil::conf
