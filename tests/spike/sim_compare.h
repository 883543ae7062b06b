// Two simulation results of the same case, field by field (event- vs clock-driven, or two input
// orders): every count, train, readout and end state must be identical. Shared by the spike tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "spike/network.h"
#include "spike/sim_result.h"

namespace n2d2::spike::testing {

// `what` labels the case; `net`, when given, names the layer of a differing train.
inline void expect_same_result(const SimResult& a, const SimResult& b, const std::string& what = "",
                               const Network* net = nullptr) {
    ASSERT_EQ(a.trains.size(), b.trains.size()) << what;
    for (std::size_t l = 0; l < a.trains.size(); ++l)
        EXPECT_EQ(a.trains[l], b.trains[l]) << what << " layer " << (net ? net->layers[l].name : std::to_string(l));
    EXPECT_EQ(a.spikes, b.spikes) << what;
    EXPECT_EQ(a.events, b.events) << what;
    EXPECT_EQ(a.bias_updates, b.bias_updates) << what;
    EXPECT_EQ(a.output_counts, b.output_counts) << what;
    EXPECT_EQ(a.output_potential, b.output_potential) << what;
    EXPECT_EQ(a.output_first_spike, b.output_first_spike) << what;
    EXPECT_EQ(a.input_spikes, b.input_spikes) << what;
    EXPECT_EQ(a.end_time, b.end_time) << what;
    EXPECT_EQ(a.terminated, b.terminated) << what;
}

}  // namespace n2d2::spike::testing
