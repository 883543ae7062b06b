// `n2d2-flow run MODEL.ini -test`: N2D2's inference over the test set of the INI file's
// [database], through its stimuli provider and transformations, scored at its Target (TopN).
#pragma once

#include "apps/n2d2-flow/args.h"
#include "apps/n2d2-flow/session.h"

namespace n2d2::cli {

int run_ini_test(const Args& a, const std::string& model_path, const LoadedModel& m, const ExecOptions& xo);

}  // namespace n2d2::cli
