// env.ini: the manual's tutorial sections, our own keys, per-layer overrides by node name or
// alias, and errors naming file:line.
#include "spike/env_config.h"

#include <gtest/gtest.h>

#include "graph/error.h"

using namespace n2d2::spike;

namespace {

// The [env.config], [common.config] and [fc2.config] of N2D2's "Transcoding a learned network
// in spike-coding" tutorial, verbatim.
const char* kTutorial = R"(
[env.config]
; Spike-based computing
StimulusType=JitteredPeriodic
PeriodMin=1,000,000 ; unit = fs
PeriodMeanMin=10,000,000 ; unit = fs
PeriodMeanMax=100,000,000,000 ; unit = fs
PeriodRelStdDev=0.0

[common.config]
; Spike-based computing
Threshold=1.0
BipolarThreshold=0
IncomingDelay=0

[fc2.config]
; Spike-based computing
TerminateDelta=4
BipolarThreshold=1
)";

// conv1 -> pool1 -> fc1 -> fc2 (the output), as the transcoder names a LeNet's layers.
Network lenet_like() {
    Network net;
    net.input = {1, 4, 4};
    Layer c;
    c.name = "/features/features.0/Conv";
    c.kind = LayerKind::Conv;
    c.inputs = {-1};
    c.in = {1, 4, 4};
    c.out = {2, 4, 4};
    c.kernel_h = c.kernel_w = 1;
    c.weights = {1, 1};
    Layer p;
    p.name = "/features/features.2/MaxPool";
    p.kind = LayerKind::MaxPool;
    p.inputs = {0};
    p.in = c.out;
    p.out = {2, 2, 2};
    p.kernel_h = p.kernel_w = p.stride_h = p.stride_w = 2;
    Layer f1;
    f1.name = "/classifier/classifier.1/Gemm";
    f1.kind = LayerKind::Fc;
    f1.inputs = {1};
    f1.in = p.out;
    f1.out = {3, 1, 1};
    f1.weights.assign(24, 0.1f);
    Layer f2 = f1;
    f2.name = "/classifier/classifier.3/Gemm";
    f2.inputs = {2};
    f2.in = f1.out;
    f2.out = {2, 1, 1};
    f2.weights.assign(6, 0.1f);
    net.layers = {c, p, f1, f2};
    net.output = 3;
    validate(net);
    return net;
}

std::string error_of(const std::string& text, Network net = lenet_like()) {
    try {
        parse_env_config(text, "env.ini").apply(net);
    } catch (const n2d2::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(SpikeEnvConfig, ReadsTheManualsTutorial) {
    EnvConfig e = parse_env_config(kTutorial, "LeNet_Spike.ini");
    EXPECT_EQ(e.coder.type, StimulusType::JitteredPeriodic);
    EXPECT_EQ(e.coder.period_min, 1'000'000u);
    EXPECT_EQ(e.coder.period_mean_min, 10'000'000u);
    EXPECT_EQ(e.coder.period_mean_max, 100'000'000'000u);
    EXPECT_EQ(e.coder.period_rel_stddev, 0.0);
    EXPECT_EQ(e.effective_rate_period(), 10'000'000u);  // PeriodMeanMin: pixel 1 <-> activation 1
    Network net = lenet_like();
    e.apply(net);
    EXPECT_EQ(e.terminate_delta(net), 4u);
    EXPECT_FALSE(net.layers[0].neuron.bipolar);
    EXPECT_FALSE(net.layers[2].neuron.bipolar);
    EXPECT_TRUE(net.layers[3].neuron.bipolar);  // [fc2.config] overrides [common.config]
    EXPECT_EQ(net.layers[3].neuron.threshold, 1.0);
}

TEST(SpikeEnvConfig, OwnKeysAndOverridesByNodeName) {
    EnvConfig e = parse_env_config(R"(
$T=2'000'000'000
[env.config]
StimulusType=Poissonian
SimulatedTime=${T}
Readout=potential
NormalizationPercentile=99.99
NormalizationPerChannel=yes
CalibrationImages=100
RatePeriod=5_000_000
[common.config]
Threshold=0.8
InitialPotential=0.5
Leak=1,000,000,000
[/classifier/classifier.1/Gemm.config]
Threshold=2
Refractory=3,000
LeakTime=0
IncomingDelay=2,000
)",
                                   "env.ini");
    EXPECT_EQ(e.coder.type, StimulusType::Poissonian);
    EXPECT_EQ(e.coder.duration, 2'000'000'000u);
    EXPECT_EQ(e.readout, Readout::MembranePotential);
    EXPECT_DOUBLE_EQ(e.percentile, 99.99);
    EXPECT_TRUE(e.per_channel);
    EXPECT_EQ(e.calibration_images, 100u);
    EXPECT_EQ(e.effective_rate_period(), 5'000'000u);
    Network net = lenet_like();
    e.apply(net);
    EXPECT_EQ(e.terminate_delta(net), 0u);
    EXPECT_DOUBLE_EQ(net.layers[0].neuron.threshold, 0.8);
    EXPECT_DOUBLE_EQ(net.layers[0].neuron.initial_potential, 0.4);  // 0.5 x 0.8
    EXPECT_EQ(net.layers[0].neuron.leak_tau, 1'000'000'000u);
    EXPECT_DOUBLE_EQ(net.layers[2].neuron.threshold, 2.0);
    EXPECT_DOUBLE_EQ(net.layers[2].neuron.initial_potential, 1.0);  // 0.5 x 2
    EXPECT_EQ(net.layers[2].neuron.refractory, 3000u);
    EXPECT_EQ(net.layers[2].neuron.leak_tau, 0u);
    EXPECT_EQ(net.layers[2].neuron.incoming_delay, 2000u);
    EXPECT_EQ(net.layers[0].neuron.incoming_delay, 0u);
}

TEST(SpikeEnvConfig, ErrorsNameFileAndLine) {
    // Unknown key, with a suggestion.
    std::string e = error_of("[common.config]\nThreshold=1\nTreshold=2\n");
    EXPECT_NE(e.find("env.ini:3"), std::string::npos) << e;
    EXPECT_NE(e.find("Treshold"), std::string::npos) << e;
    // Bad values.
    e = error_of("[env.config]\nStimulusType=Periodic\nPeriodMeanMin=10.5\n");
    EXPECT_NE(e.find("env.ini:3"), std::string::npos) << e;
    e = error_of("[env.config]\nStimulusType=Periodical\n");
    EXPECT_NE(e.find("env.ini:2"), std::string::npos) << e;
    EXPECT_NE(e.find("Periodic"), std::string::npos) << e;
    e = error_of("[common.config]\n\nThreshold=-1\n");
    EXPECT_NE(e.find("env.ini:3"), std::string::npos) << e;
    e = error_of("[common.config]\nBipolarThreshold=maybe\n");
    EXPECT_NE(e.find("env.ini:2"), std::string::npos) << e;
    e = error_of("[common.config]\nIncomingDelay=-1,000\n");
    EXPECT_NE(e.find("env.ini:2"), std::string::npos) << e;
    e = error_of("[env.config]\nNormalizationPercentile=101\n");
    EXPECT_NE(e.find("env.ini:2"), std::string::npos) << e;
    e = error_of("[env.config]\nPeriodMeanMin=10\nPeriodMeanMax=5\n");
    EXPECT_NE(e.find("env.ini:1"), std::string::npos) << e;
    // A layer section that names no layer, and TerminateDelta off the output layer.
    e = error_of("[env.config]\n[fc9.config]\nThreshold=1\n");
    EXPECT_NE(e.find("env.ini:2"), std::string::npos) << e;
    EXPECT_NE(e.find("fc2"), std::string::npos) << e;  // the list of layers
    e = error_of("[fc1.config]\nTerminateDelta=3\n");
    EXPECT_NE(e.find("env.ini:1"), std::string::npos) << e;
    EXPECT_NE(e.find("output layer"), std::string::npos) << e;
    e = error_of("[pool1.config]\nThreshold=3\n");
    EXPECT_NE(e.find("no neurons"), std::string::npos) << e;
    // Sections other than *.config.
    e = error_of("[sp]\nSizeX=32\n");
    EXPECT_NE(e.find("env.ini:1"), std::string::npos) << e;
}

TEST(SpikeEnvConfig, TimeToFirstSpikeKeys) {
    EnvConfig e = parse_env_config(R"(
[env.config]
StimulusType=TimeToFirstSpike
TtfsLevels=64
TtfsStep=2,000,000
TtfsBiasCorrection=1
Readout=potential
[common.config]
TtfsCutoff=0.05
[conv1.config]
TtfsCutoff=0.1
)",
                                   "env.ini");
    EXPECT_TRUE(e.ttfs());
    EXPECT_FALSE(e.simulated_time_set);
    EXPECT_EQ(e.coder.type, StimulusType::TimeToFirstSpike);
    EXPECT_EQ(e.coder.ttfs_levels, 64u);
    EXPECT_EQ(e.coder.ttfs_step, 2'000'000u);
    EXPECT_TRUE(e.ttfs_bias_correction);
    Network net = lenet_like();
    e.apply(net);
    for (std::size_t i : {0u, 2u, 3u}) {
        EXPECT_EQ(net.layers[i].neuron.ttfs_levels, 64u);
        EXPECT_EQ(net.layers[i].neuron.ttfs_step, 2'000'000u);
    }
    EXPECT_DOUBLE_EQ(net.layers[0].neuron.ttfs_cutoff, 0.1);
    EXPECT_DOUBLE_EQ(net.layers[2].neuron.ttfs_cutoff, 0.05);
    EXPECT_EQ(net.layers[1].neuron.ttfs_levels, 0u);  // the max pool has no neurons
    // Defaults: 255 levels of 1 ns; not TTFS without the coder.
    EnvConfig d = parse_env_config("[env.config]\nStimulusType=TimeToFirstSpike\nSimulatedTime=5\n", "env.ini");
    EXPECT_EQ(d.coder.ttfs_levels, 255u);
    EXPECT_EQ(d.coder.ttfs_step, 1'000'000u);
    EXPECT_TRUE(d.simulated_time_set);
    EXPECT_FALSE(d.ttfs_bias_correction);
    Network plain = lenet_like();
    parse_env_config("[common.config]\nThreshold=1\n", "env.ini").apply(plain);
    EXPECT_EQ(plain.layers[0].neuron.ttfs_levels, 0u);
    // Errors name file:line.
    std::string err = error_of("[env.config]\nStimulusType=TimeToFirstSpike\nTtfsLevels=0\n");
    EXPECT_NE(err.find("env.ini:3"), std::string::npos) << err;
    err = error_of("[env.config]\nTtfsStep=0\n");
    EXPECT_NE(err.find("env.ini:2"), std::string::npos) << err;
    err = error_of("[env.config]\nStimulusType=TimeToFirstSpike\n[common.config]\nTtfsCutoff=1.5\n");
    EXPECT_NE(err.find("env.ini:4"), std::string::npos) << err;
    err = error_of("[env.config]\nStimulusType=Periodic\n[fc1.config]\nTtfsCutoff=0.1\n");
    EXPECT_NE(err.find("env.ini:3"), std::string::npos) << err;
    EXPECT_NE(err.find("TtfsCutoff needs [env.config] StimulusType=TimeToFirstSpike"), std::string::npos) << err;
    err = error_of("[env.config]\nStimulusType=TimeToFirstSpike\n[pool1.config]\nTtfsCutoff=0.1\n");
    EXPECT_NE(err.find("no neurons"), std::string::npos) << err;
}
