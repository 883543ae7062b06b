#pragma once
// The event-driven simulator's internals (spike/event_sim.h): the plan made once per network
// (validated layers, transposed weights, window tables; event_plan.cpp) and the per-pattern
// state buffers one simulator copy reuses (event_sim.cpp runs a pattern over both).
#include "spike/fanout.h"
#include "spike/network.h"
#include "spike/ttfs.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace n2d2::spike::detail {

// A window table: for input coordinate y, the (output coordinate, kernel offset) pairs whose
// window covers it, output coordinate ascending; entries [offset[y], offset[y + 1]).
struct WindowTable {
    std::vector<std::uint32_t> offset;
    std::vector<std::uint32_t> out, k;
};

struct LayerPlan {
    LayerKind kind = LayerKind::Conv;
    std::vector<int> inputs;
    std::vector<Shape3> in_shapes;
    Shape3 out;
    std::uint32_t out_n = 0;
    // neuron
    bool spiking = true, bipolar = false, general = false;  // general: leak or refractory
    float th = 1.0f, v0 = 0.0f;
    Time leak_tau = 0, refractory = 0;
    // Conv / Fc: transposed weights. Conv [kh][kw][in_c][ocg], Fc [in][out].
    std::vector<float> wt;
    std::uint32_t kw = 1, icg = 1, ocg = 1;
    WindowTable ytab, xtab;  // Conv, MaxPool
    struct Yxc {
        std::uint32_t y, x, c;
    };
    std::vector<Yxc> src;  // Conv, MaxPool: input neuron index -> (y, x, channel), no divisions
    // Conv row mode (groups 1, stride_w 1, dilation_w 1): the output positions one event
    // reaches in one output row are contiguous in HWC and so are their weights when laid out
    // [kh][in_c][kw reversed][out_c]: one fan-out call per kernel row.
    bool rows = false;
    bool rows2d = false;  // rows and stride_h 1, dilation_h 1: all kernel rows in one call
    std::vector<float> wrow;
    std::vector<std::uint32_t> x_lo, x_n, x_kr;  // per input x: first ox, count, first kw index
    std::vector<float> bias;  // empty: none
    std::vector<float> scale;  // Add: input_scale[i] at [i * kFanoutPad], the rest 0 (padding)
    std::vector<std::uint32_t> ch_offset;  // Concat
    Time delay = 0;  // IncomingDelay: events reach the layer this much after their emission
    // Conv, MaxPool: the most neurons one event reaches (the emission capacity per event).
    std::uint32_t max_fan = 0;
    // MaxPool whose windows do not overlap (max_fan <= 1): the pooled unit of each input
    // neuron, kNoUnit for one outside every window.
    std::vector<std::uint32_t> pool_unit;
    // Time-to-first-spike neuron layer (spike/ttfs.h): arrivals before ttfs.end are scaled and
    // added (no threshold), the bias is added at ttfs.end, then each neuron fires once.
    bool ttfs = false;
    TtfsTiming tt;
};

inline constexpr std::uint32_t kNoUnit = ~std::uint32_t{0};

struct EventPlan {
    std::vector<LayerPlan> layers;
    std::uint32_t input_n = 0;
    int output = -1;
    Time rate_period = 0;
    bool has_bias = false;
    FanoutKernels k{};
    // Per producer (0: the network input, 1 + l: layer l), the (layer, slot) pairs that take
    // its spikes with a nonzero IncomingDelay.
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> delayed_consumers;
    bool has_delay = false;
    Time ttfs_step = 0;  // > 0: a TTFS network (times: inputs, window ends, fire steps)
};

// The spikes waiting to reach one (layer, input slot) with a delay: arrival times are
// non-decreasing (emissions are), so a FIFO; a time's keys are contiguous and sorted.
struct DelayQueue {
    std::vector<Time> arrival;
    std::vector<std::uint64_t> keys;
    std::size_t head = 0;
    void clear() {
        arrival.clear();
        keys.clear();
        head = 0;
    }
    void compact() {
        if (head > 4096 && head * 2 > keys.size()) {
            arrival.erase(arrival.begin(), arrival.begin() + std::ptrdiff_t(head));
            keys.erase(keys.begin(), keys.begin() + std::ptrdiff_t(head));
            head = 0;
        }
    }
};

struct EventState {
    std::vector<std::vector<float>> v;
    std::vector<std::vector<Time>> last_update, last_spike;
    std::vector<std::vector<std::uint8_t>> fired;
    std::vector<std::vector<std::int32_t>> pool_count;  // MaxPool: per input neuron
    std::vector<std::vector<std::uint32_t>> pool_max;   // MaxPool: per pooled unit
    std::vector<std::vector<std::uint64_t>> emitted;    // per layer, keys emitted at t
    std::vector<std::uint32_t> n_emitted;
    std::vector<std::uint64_t> input_keys;
    std::vector<InputSpike> sorted_input;
    std::vector<std::vector<DelayQueue>> delayed;  // per layer, per input slot (delay > 0)
    std::vector<std::vector<std::uint64_t>> ttfs_fire;  // TTFS: per layer, (step << 32 | neuron) sorted
    std::vector<std::size_t> ttfs_next;                 // TTFS: per layer, next entry of ttfs_fire
    std::vector<float> ttfs_w;                          // TTFS: one event's scaled weights
};

// Validates the network (std::invalid_argument naming the layer) and builds its plan.
std::shared_ptr<const EventPlan> make_plan(const Network& net);

}  // namespace n2d2::spike::detail
