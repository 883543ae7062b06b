#include "spike/network.h"

#include <gtest/gtest.h>

using namespace n2d2::spike;

namespace {

// input 1x6x6 -> conv 4x3x3 (stride 1, no pad) -> 4x4x4 -> maxpool 2x2/2 -> 4x2x2 -> fc 3
Network small_net() {
    Network net;
    net.input = {1, 6, 6};
    Layer conv;
    conv.name = "conv1";
    conv.kind = LayerKind::Conv;
    conv.inputs = {-1};
    conv.in = {1, 6, 6};
    conv.out = {4, 4, 4};
    conv.kernel_h = conv.kernel_w = 3;
    conv.weights.assign(4 * 1 * 3 * 3, 0.1f);
    conv.bias.assign(4, 0.0f);
    Layer pool;
    pool.name = "pool1";
    pool.kind = LayerKind::MaxPool;
    pool.inputs = {0};
    pool.in = conv.out;
    pool.out = {4, 2, 2};
    pool.kernel_h = pool.kernel_w = pool.stride_h = pool.stride_w = 2;
    Layer fc;
    fc.name = "fc";
    fc.kind = LayerKind::Fc;
    fc.inputs = {1};
    fc.in = pool.out;
    fc.out = {3, 1, 1};
    fc.weights.assign(3 * 16, 0.5f);
    net.layers = {conv, pool, fc};
    net.output = 2;
    return net;
}

}  // namespace

TEST(SpikeNetwork, FormalMacsHandChecked) {
    const Network net = small_net();
    EXPECT_EQ(formal_macs(net.layers[0]), 4u * 4 * 4 * 9);  // 64 neurons x 9 synapses
    EXPECT_EQ(formal_macs(net.layers[1]), 0u);
    EXPECT_EQ(formal_macs(net.layers[2]), 3u * 16);
    EXPECT_EQ(formal_macs(net), 576u + 48u);
    EXPECT_NO_THROW(validate(net));
}

TEST(SpikeNetwork, ValidateNamesTheBrokenLayer) {
    Network net = small_net();
    net.layers[2].weights.pop_back();
    try {
        validate(net);
        FAIL() << "expected a throw";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'fc'"), std::string::npos) << e.what();
    }
    net = small_net();
    net.layers[1].out = {4, 3, 3};  // 2x2/2 over 4x4 gives 2x2 at most
    EXPECT_THROW(validate(net), std::invalid_argument);
    net = small_net();
    net.layers[0].inputs = {1};  // does not precede
    EXPECT_THROW(validate(net), std::invalid_argument);
    net = small_net();
    net.output = 3;
    EXPECT_THROW(validate(net), std::invalid_argument);
}

TEST(SpikeNetwork, AddAndConcatShapes) {
    Network net = small_net();
    Layer add;
    add.name = "add";
    add.kind = LayerKind::Add;
    add.inputs = {0, 0};
    add.in = add.out = {4, 4, 4};
    add.input_scale = {1.0f, 0.5f};
    net.layers.insert(net.layers.begin() + 1, add);
    net.layers[2].inputs = {1};
    net.layers[3].inputs = {2};
    net.output = 3;
    EXPECT_NO_THROW(validate(net));
    EXPECT_EQ(formal_macs(net.layers[1]), 2u * 64);
    Layer cat;
    cat.name = "cat";
    cat.kind = LayerKind::Concat;
    cat.inputs = {0, 1};
    cat.in = {4, 4, 4};
    cat.out = {8, 4, 4};
    net.layers.insert(net.layers.begin() + 2, cat);
    net.layers[3].inputs = {1};
    net.layers[4].inputs = {3};
    net.output = 4;
    EXPECT_NO_THROW(validate(net));
    net.layers[2].out.c = 7;
    EXPECT_THROW(validate(net), std::invalid_argument);
}
