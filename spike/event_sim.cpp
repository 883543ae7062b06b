#include "spike/event_sim.h"

#include "spike/event_plan.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace n2d2::spike {
namespace detail {

namespace {

// The per-neuron path of layers with leak or refractory period (and non-spiking ones): the
// arithmetic documented in event_sim.h.
inline int integrate_general(const LayerPlan& p, EventState& st, std::size_t l, std::uint32_t n,
                             Time t, float w, bool negate) {
    float& v = st.v[l][n];
    if (p.leak_tau > 0) {
        Time& lu = st.last_update[l][n];
        if (t > lu) v = v * leak_factor(t - lu, p.leak_tau);
        lu = t;
    }
    if (p.refractory > 0 && st.fired[l][n] && t - st.last_spike[l][n] < p.refractory) return 0;
    v = negate ? v - w : v + w;
    if (!p.spiking) return 0;
    const int s = fire_check(v, p.th, p.bipolar);
    if (s != 0) {
        st.fired[l][n] = 1;
        st.last_spike[l][n] = t;
    }
    return s;
}

class Runner {
public:
    Runner(const EventPlan& plan, EventState& st, SimResult& r, const SimOptions& opt)
        : plan_(plan), st_(st), r_(r), opt_(opt) {}

    // Whether layer l has fired rarely so far in this pattern (fewer spikes than 1 per 128
    // synaptic events): the fan-out variant with a branch per vector is then the cheaper one.
    // Both give the same results; the choice only depends on this pattern's own history.
    bool sparse(std::size_t l) const { return r_.spikes[l] * 128 < r_.events[l]; }

    // Adds w[0..n) to neurons base.. of layer l (one event), emitting into the layer's buffer.
    inline void fan(std::size_t l, const LayerPlan& p, std::uint32_t base, const float* w,
                    std::uint32_t n, bool negate, std::uint64_t tag, Time t) {
        if (p.ttfs) {  // integration window: w * s(t), no threshold (the layer fires from its schedule)
            auto& tmp = st_.ttfs_w;
            if (tmp.size() < std::size_t(n) + kFanoutPad) tmp.resize(std::size_t(n) + kFanoutPad, 0.0f);
            ttfs_scale_weights(w, ttfs_s_, tmp.data(), n);
            plan_.k.add(st_.v[l].data() + base, tmp.data(), n, negate);
            return;
        }
        auto& buf = st_.emitted[l];
        std::uint32_t& ne = st_.n_emitted[l];
        if (!p.general && !p.spiking) {
            plan_.k.add(st_.v[l].data() + base, w, n, negate);
            return;
        }
        if (ne + std::size_t(n) + kFanoutPad > buf.size()) buf.resize(std::max(buf.size() * 2, std::size_t(ne) + n + kFanoutPad));
        if (!p.general) {
            ne += (sparse(l) ? plan_.k.add_fire_sparse : plan_.k.add_fire)(st_.v[l].data() + base, w, n, negate, p.th,
                                                                             p.bipolar, base, tag, buf.data() + ne);
            return;
        }
        for (std::uint32_t j = 0; j < n; ++j) {
            const int s = integrate_general(p, st_, l, base + j, t, w[j], negate);
            if (s != 0) buf[ne++] = emission_key(base + j, tag, s < 0);
        }
    }

    // The rows-of-a-kernel form of fan: row r at neuron base + r * v_step, weights w + r * w_step.
    inline void fan_rows(std::size_t l, const LayerPlan& p, std::uint32_t base, std::int64_t v_step,
                         const float* w, std::int64_t w_step, std::uint32_t rows, std::uint32_t n,
                         bool negate, std::uint64_t tag, Time t) {
        if (p.general || !p.spiking || p.ttfs) {
            for (std::uint32_t r = 0; r < rows; ++r)
                fan(l, p, base + std::uint32_t(r * v_step), w + r * w_step, n, negate, tag, t);
            return;
        }
        auto& buf = st_.emitted[l];
        std::uint32_t& ne = st_.n_emitted[l];
        const std::size_t need = ne + std::size_t(rows) * n + kFanoutPad;
        if (need > buf.size()) buf.resize(std::max(buf.size() * 2, need));
        ne += (sparse(l) ? plan_.k.add_fire_rows_sparse : plan_.k.add_fire_rows)(
            st_.v[l].data() + base, v_step, w, w_step, rows, n, negate, p.th, p.bipolar, base, tag, buf.data() + ne);
    }

    // The emission buffer of layer l with room for `more` keys past ne (+ kFanoutPad).
    std::uint64_t* room(std::size_t l, std::uint32_t ne, std::size_t more) {
        auto& buf = st_.emitted[l];
        const std::size_t need = ne + more + kFanoutPad;
        if (need > buf.size()) buf.resize(std::max(buf.size() * 2, need));
        return buf.data();
    }

    // Events of one input slot into a Conv layer in rows2d form (plain spiking neurons): one
    // add_fire_rows call per event over the rows of its window. The same arithmetic and order
    // as fan_rows in the generic loop, with the tables read through local pointers (the
    // indirect call would otherwise make the compiler reload them every event). Returns the
    // synaptic events.
    std::uint64_t conv_rows2d(std::size_t l, const LayerPlan& p, const std::uint64_t* keys,
                              std::uint32_t nk, std::uint64_t seq) {
        const std::uint32_t oc = p.out.c, ow = p.out.w, ic = p.in_shapes[0].c, kw = p.kw;
        const LayerPlan::Yxc* src = p.src.data();
        const std::uint32_t *x_n = p.x_n.data(), *x_lo = p.x_lo.data(), *x_kr = p.x_kr.data();
        const std::uint32_t *yoff = p.ytab.offset.data(), *yout = p.ytab.out.data(), *yk = p.ytab.k.data();
        const float* wrow = p.wrow.data();
        float* v = st_.v[l].data();
        const auto add_fire_rows = sparse(l) ? plan_.k.add_fire_rows_sparse : plan_.k.add_fire_rows;
        const float th = p.th;
        const bool bipolar = p.bipolar;
        const std::int64_t v_step = std::int64_t(ow) * oc, w_step = -std::int64_t(ic) * kw * oc;
        std::uint32_t ne = st_.n_emitted[l];
        std::uint64_t* out = room(l, ne, p.max_fan);
        std::size_t cap = st_.emitted[l].size();
        std::uint64_t events = 0;
        for (std::uint32_t e = 0; e < nk; ++e) {
            const std::uint32_t s = key_neuron(keys[e]);
            const LayerPlan::Yxc q = src[s];
            const std::uint32_t nx = x_n[q.x], a = yoff[q.y], ny = yoff[q.y + 1] - a;
            if (nx == 0 || ny == 0) continue;
            if (std::size_t(ne) + p.max_fan + kFanoutPad > cap) {
                out = room(l, ne, p.max_fan);
                cap = st_.emitted[l].size();
            }
            const std::uint32_t len = nx * oc, base = (yout[a] * ow + x_lo[q.x]) * oc;
            const float* w = wrow + ((std::size_t(yk[a]) * ic + q.c) * kw + x_kr[q.x]) * oc;
            ne += add_fire_rows(v + base, v_step, w, w_step, ny, len, key_sign(keys[e]) < 0, th, bipolar, base,
                                (seq + e) << 1, out + ne);
            events += std::uint64_t(len) * ny;
        }
        st_.n_emitted[l] = ne;
        return events;
    }

    // Events of one input slot into a MaxPool layer (semantics in event_sim.h), branch-free
    // emission of the pooled units whose maximum rises.
    void max_pool(std::size_t l, const LayerPlan& p, const std::uint64_t* keys, std::uint32_t nk,
                  std::uint64_t seq) {
        std::int32_t* count = st_.pool_count[l].data();
        std::uint32_t* pmax = st_.pool_max[l].data();
        if (!p.pool_unit.empty()) {
            // Non-overlapping windows: one pooled unit per input neuron, read from one table.
            const std::uint32_t* unit = p.pool_unit.data();
            std::uint32_t ne = st_.n_emitted[l];
            std::uint64_t* out = room(l, ne, nk);
            for (std::uint32_t e = 0; e < nk; ++e) {
                const std::uint32_t s = key_neuron(keys[e]);
                const bool neg = key_sign(keys[e]) < 0;
                const std::int32_t cnt = count[s] += neg ? -1 : 1;
                const std::uint32_t u = unit[s];
                if (neg || u == kNoUnit) continue;
                const std::uint32_t rise = cnt > std::int32_t(pmax[u]) ? 1u : 0u;
                pmax[u] += rise;
                out[ne] = emission_key(u, (seq + e) << 1, false);
                ne += rise;
            }
            st_.n_emitted[l] = ne;
            return;
        }
        const LayerPlan::Yxc* src = p.src.data();
        const std::uint32_t *yoff = p.ytab.offset.data(), *yout = p.ytab.out.data();
        const std::uint32_t *xoff = p.xtab.offset.data(), *xout = p.xtab.out.data();
        const std::uint32_t ow = p.out.w, oc = p.out.c;
        std::uint32_t ne = st_.n_emitted[l];
        std::uint64_t* out = room(l, ne, p.max_fan);
        std::size_t cap = st_.emitted[l].size();
        for (std::uint32_t e = 0; e < nk; ++e) {
            const std::uint32_t s = key_neuron(keys[e]);
            if (key_sign(keys[e]) < 0) {
                --count[s];
                continue;
            }
            const std::int32_t cnt = ++count[s];
            if (std::size_t(ne) + p.max_fan + kFanoutPad > cap) {
                out = room(l, ne, p.max_fan);
                cap = st_.emitted[l].size();
            }
            const LayerPlan::Yxc q = src[s];
            const std::uint64_t tag = (seq + e) << 1;
            for (std::uint32_t a = yoff[q.y]; a < yoff[q.y + 1]; ++a)
                for (std::uint32_t b = xoff[q.x]; b < xoff[q.x + 1]; ++b) {
                    const std::uint32_t u = (yout[a] * ow + xout[b]) * oc + q.c;
                    const std::uint32_t rise = cnt > std::int32_t(pmax[u]) ? 1u : 0u;
                    pmax[u] += rise;
                    out[ne] = emission_key(u, tag, false);
                    ne += rise;
                }
        }
        st_.n_emitted[l] = ne;
    }

    void emit_one(std::size_t l, std::uint32_t neuron, std::uint64_t tag, bool negative) {
        auto& buf = st_.emitted[l];
        std::uint32_t& ne = st_.n_emitted[l];
        if (ne >= buf.size()) buf.resize(std::max<std::size_t>(buf.size() * 2, 16));
        buf[ne++] = emission_key(neuron, tag, negative);
    }

    void layer_at(std::size_t l, Time t, bool bias_tick) {
        const LayerPlan& p = plan_.layers[l];
        st_.n_emitted[l] = 0;
        const bool biased = bias_tick && !p.bias.empty() && !p.ttfs;
        // The spikes reaching the layer at t, per input slot: its inputs' emissions at t, or
        // with a delay, those waiting in its queues with arrival t.
        if (src_keys_.size() < p.inputs.size()) {
            src_keys_.resize(p.inputs.size());
            src_count_.resize(p.inputs.size());
        }
        bool any = false;
        for (std::size_t slot = 0; slot < p.inputs.size(); ++slot) {
            const int src = p.inputs[slot];
            if (p.delay == 0) {
                src_keys_[slot] = src < 0 ? st_.input_keys.data() : st_.emitted[std::size_t(src)].data();
                src_count_[slot] = src < 0 ? std::uint32_t(st_.input_keys.size()) : st_.n_emitted[std::size_t(src)];
            } else {
                DelayQueue& q = st_.delayed[l][slot];
                std::size_t e = q.head;
                while (e < q.arrival.size() && q.arrival[e] == t) ++e;
                src_keys_[slot] = q.keys.data() + q.head;
                src_count_[slot] = std::uint32_t(e - q.head);
            }
            any |= src_count_[slot] != 0;
        }
        if (p.ttfs) ttfs_at(l, p, t, any);
        if (!biased && !any && st_.n_emitted[l] == 0) return;  // nothing reaches the layer at t (most times, deep layers)
        std::uint64_t seq = 0;
        if (biased) {
            const std::uint32_t oc = p.out.c;
            for (std::uint32_t base = 0; base < p.out_n; base += oc) fan(l, p, base, p.bias.data(), oc, false, 0, t);
            r_.bias_updates[l] += p.out_n;
        }
        ++seq;
        std::uint64_t events = 0;
        for (std::size_t slot = 0; slot < p.inputs.size(); ++slot) {
            const int src = p.inputs[slot];
            (void)src;
            const std::uint64_t* keys = src_keys_[slot];
            const std::uint32_t nk = src_count_[slot];
            const Shape3& in = p.in_shapes[slot];
            if (p.kind == LayerKind::Conv && p.rows2d && !p.general && p.spiking && !p.ttfs) {
                events += conv_rows2d(l, p, keys, nk, seq);
                seq += nk;
                continue;
            }
            if (p.kind == LayerKind::MaxPool) {
                max_pool(l, p, keys, nk, seq);
                seq += nk;
                continue;
            }
            for (std::uint32_t e = 0; e < nk; ++e, ++seq) {
                const std::uint32_t s = key_neuron(keys[e]);
                const bool neg = key_sign(keys[e]) < 0;
                const std::uint64_t tag = seq << 1;
                switch (p.kind) {
                case LayerKind::Fc:
                    fan(l, p, 0, p.wt.data() + std::size_t(s) * p.out_n, p.out_n, neg, tag, t);
                    events += p.out_n;
                    break;
                case LayerKind::Conv: {
                    const auto [y, x, ci] = p.src[s];
                    const std::uint32_t oc = p.out.c, ow = p.out.w;
                    const std::uint32_t ic = in.c;
                    if (p.rows) {
                        const std::uint32_t nx = p.x_n[x];
                        if (nx == 0) break;
                        const std::uint32_t len = nx * oc, kw = p.kw;
                        const std::uint32_t ny = p.ytab.offset[y + 1] - p.ytab.offset[y];
                        if (p.rows2d && ny > 0) {
                            // Consecutive output rows, kernel rows descending.
                            const std::uint32_t a = p.ytab.offset[y];
                            const std::uint32_t oy = p.ytab.out[a], ky = p.ytab.k[a];
                            const float* w = p.wrow.data() + ((std::size_t(ky) * ic + ci) * kw + p.x_kr[x]) * oc;
                            fan_rows(l, p, (oy * ow + p.x_lo[x]) * oc, std::int64_t(ow) * oc, w,
                                     -std::int64_t(ic) * kw * oc, ny, len, neg, tag, t);
                            events += std::uint64_t(len) * ny;
                            break;
                        }
                        for (std::uint32_t a = p.ytab.offset[y]; a < p.ytab.offset[y + 1]; ++a) {
                            const std::uint32_t oy = p.ytab.out[a], ky = p.ytab.k[a];
                            const std::uint32_t base = (oy * ow + p.x_lo[x]) * oc;
                            const float* w = p.wrow.data() + ((std::size_t(ky) * ic + ci) * kw + p.x_kr[x]) * oc;
                            fan(l, p, base, w, len, neg, tag, t);
                        }
                        events += std::uint64_t(len) * (p.ytab.offset[y + 1] - p.ytab.offset[y]);
                        break;
                    }
                    const std::uint32_t g = ci / p.icg;
                    for (std::uint32_t a = p.ytab.offset[y]; a < p.ytab.offset[y + 1]; ++a) {
                        const std::uint32_t oy = p.ytab.out[a], ky = p.ytab.k[a];
                        for (std::uint32_t b = p.xtab.offset[x]; b < p.xtab.offset[x + 1]; ++b) {
                            const std::uint32_t ox = p.xtab.out[b], kx = p.xtab.k[b];
                            const std::uint32_t base = (oy * ow + ox) * oc + g * p.ocg;
                            const float* w = p.wt.data() + ((std::size_t(ky) * p.kw + kx) * ic + ci) * p.ocg;
                            fan(l, p, base, w, p.ocg, neg, tag, t);
                        }
                        events += std::uint64_t(p.ocg) * (p.xtab.offset[x + 1] - p.xtab.offset[x]);
                    }
                    break;
                }
                case LayerKind::MaxPool: break;  // max_pool() above
                case LayerKind::Add: {
                    fan(l, p, s, p.scale.data() + slot * kFanoutPad, 1, neg, tag, t);
                    events += 1;
                    break;
                }
                case LayerKind::Concat: {
                    const std::uint32_t c = s % in.c, px = s / in.c;
                    emit_one(l, px * p.out.c + p.ch_offset[slot] + c, tag, neg);
                    break;
                }
                }
            }
        }
        if (p.delay != 0)
            for (std::size_t slot = 0; slot < p.inputs.size(); ++slot) {
                DelayQueue& q = st_.delayed[l][slot];
                q.head += src_count_[slot];
                q.compact();
            }
        r_.events[l] += events;
        auto& buf = st_.emitted[l];
        const std::uint32_t ne = st_.n_emitted[l];
        // One event's spikes come out ascending (no bias tick before it); several events' need
        // the sort.
        if (ne > 1 && (biased || seq > 2) && !std::is_sorted(buf.begin(), buf.begin() + ne))
            std::sort(buf.begin(), buf.begin() + ne);
        if (p.kind != LayerKind::Concat) {
            r_.spikes[l] += ne;
            if (opt_.record_trains)
                for (std::uint32_t e = 0; e < ne; ++e) r_.trains[l].push_back({t, key_neuron(buf[e]), key_sign(buf[e])});
        }
        if (ne != 0 && plan_.has_delay) push_delayed(l + 1, buf.data(), ne, t);
        if (int(l) == plan_.output)
            for (std::uint32_t e = 0; e < ne; ++e) {
                if (key_sign(buf[e]) < 0) continue;
                const std::uint32_t n = key_neuron(buf[e]);
                ++r_.output_counts[n];
                r_.output_first_spike[n] = std::min(r_.output_first_spike[n], t);
            }
    }

    // A TTFS layer at t: arrivals at or after its window end are dropped (any = false), else
    // they are scaled by s(t); at the window end the bias and the fire steps; from there on,
    // the neurons whose fire step is t's are emitted (before the arrivals: there are none).
    void ttfs_at(std::size_t l, const LayerPlan& p, Time t, bool& any) {
        const TtfsTiming& tt = p.tt;
        if (t < tt.end) {
            ttfs_s_ = ttfs_scale(t, tt.end, tt.window);
            return;
        }
        if (any) {
            for (std::size_t slot = 0; slot < src_count_.size(); ++slot) src_count_[slot] = 0;
            any = false;
        }
        auto& fire = st_.ttfs_fire[l];
        if (t == tt.end) {
            float* v = st_.v[l].data();
            if (!p.bias.empty()) {
                for (std::uint32_t base = 0; base < p.out_n; base += p.out.c) plan_.k.add(v + base, p.bias.data(), p.out.c, false);
                r_.bias_updates[l] += p.out_n;
            }
            fire.clear();
            st_.ttfs_next[l] = 0;
            if (p.spiking)
                for (std::uint32_t n = 0; n < p.out_n; ++n) {
                    const std::uint32_t k = ttfs_fire_step(v[n], p.th, tt.levels, tt.k_last);
                    if (k != kTtfsNoFire) fire.push_back((std::uint64_t(k) << 32) | n);
                }
            std::sort(fire.begin(), fire.end());
        }
        if ((t - tt.end) % tt.step != 0) return;
        const std::uint64_t k = (t - tt.end) / tt.step;
        std::size_t& next = st_.ttfs_next[l];
        for (; next < fire.size() && (fire[next] >> 32) <= k; ++next) emit_one(l, std::uint32_t(fire[next]), 0, false);
    }

    // TTFS: the next time a layer needs after `last` (kNever: none simulated yet): a window end
    // not reached yet, else its next fire step.
    Time ttfs_next_time(Time last) const {
        constexpr Time kNone = std::numeric_limits<Time>::max();
        Time best = kNone;
        for (std::size_t l = 0; l < plan_.layers.size(); ++l) {
            const LayerPlan& p = plan_.layers[l];
            if (!p.ttfs) continue;
            if (last == kNone || last < p.tt.end) {
                best = std::min(best, p.tt.end);
            } else if (st_.ttfs_next[l] < st_.ttfs_fire[l].size()) {
                best = std::min(best, p.tt.end + (st_.ttfs_fire[l][st_.ttfs_next[l]] >> 32) * p.tt.step);
            }
        }
        return best;
    }

    // Spikes of producer `producer` (0: the input) emitted at t, to the consumers that take
    // them with a delay (arrivals past the duration are dropped: never simulated).
    void push_delayed(std::size_t producer, const std::uint64_t* keys, std::uint32_t n, Time t) {
        for (const auto& [c, slot] : plan_.delayed_consumers[producer]) {
            const Time d = plan_.layers[c].delay;
            if (d > opt_.duration || t > opt_.duration - d) continue;
            DelayQueue& q = st_.delayed[c][slot];
            q.arrival.insert(q.arrival.end(), n, t + d);
            q.keys.insert(q.keys.end(), keys, keys + n);
        }
    }

    // The earliest pending delayed arrival, or kNever.
    Time next_arrival() const {
        Time best = std::numeric_limits<Time>::max();
        for (const auto& per_layer : st_.delayed)
            for (const DelayQueue& q : per_layer)
                if (q.head < q.arrival.size()) best = std::min(best, q.arrival[q.head]);
        return best;
    }

private:
    std::vector<const std::uint64_t*> src_keys_;
    std::vector<std::uint32_t> src_count_;
    float ttfs_s_ = 0.0f;  // TTFS: s(t) of the layer being run
    const EventPlan& plan_;
    EventState& st_;
    SimResult& r_;
    const SimOptions& opt_;
};

bool leads_by(const std::vector<std::uint64_t>& counts, std::uint64_t delta) {
    std::uint64_t first = 0, second = 0;
    for (std::uint64_t c : counts) {
        if (c > first) {
            second = first;
            first = c;
        } else if (c > second) {
            second = c;
        }
    }
    return first - second >= delta;
}

}  // namespace

SimResult run_events(const EventPlan& plan, EventState& st, std::span<const InputSpike> input,
                     const SimOptions& opt) {
    const std::size_t nl = plan.layers.size();
    const LayerPlan& outp = plan.layers[std::size_t(plan.output)];
    if (opt.terminate_delta > 0 && (!outp.spiking || outp.kind == LayerKind::Concat))
        throw std::invalid_argument("TerminateDelta needs a spiking output layer (the output layer does not fire)");
    for (const InputSpike& s : input)
        if (s.source >= plan.input_n)
            throw std::invalid_argument("input spike source " + std::to_string(s.source) +
                                        " out of range (network input has " + std::to_string(plan.input_n) + " neurons)");
    auto by_time = [](const InputSpike& a, const InputSpike& b) {
        return a.time < b.time || (a.time == b.time && a.source < b.source);
    };
    if (!std::is_sorted(input.begin(), input.end(), by_time)) {
        st.sorted_input.assign(input.begin(), input.end());
        std::stable_sort(st.sorted_input.begin(), st.sorted_input.end(), by_time);
        input = st.sorted_input;
    }
    // Reset the state.
    st.v.resize(nl);
    st.last_update.resize(nl);
    st.last_spike.resize(nl);
    st.fired.resize(nl);
    st.pool_count.resize(nl);
    st.pool_max.resize(nl);
    st.emitted.resize(nl);
    st.n_emitted.assign(nl, 0);
    st.delayed.resize(nl);
    st.ttfs_fire.resize(nl);
    st.ttfs_next.assign(nl, 0);
    for (auto& f : st.ttfs_fire) f.clear();
    if (plan.ttfs_step > 0)
        for (const InputSpike& s : input)
            if (s.time % plan.ttfs_step != 0)
                throw std::invalid_argument("time-to-first-spike network: input spike time " + std::to_string(s.time) +
                                            " is not a multiple of TtfsStep (" + std::to_string(plan.ttfs_step) + ")");
    for (std::size_t l = 0; l < nl; ++l) {
        st.delayed[l].resize(plan.layers[l].delay ? plan.layers[l].inputs.size() : 0);
        for (DelayQueue& q : st.delayed[l]) q.clear();
    }
    for (std::size_t l = 0; l < nl; ++l) {
        const LayerPlan& p = plan.layers[l];
        if (p.kind == LayerKind::MaxPool) {
            st.pool_count[l].assign(p.in_shapes[0].size(), 0);
            st.pool_max[l].assign(p.out_n, 0);
        } else if (p.kind != LayerKind::Concat) {
            st.v[l].assign(p.out_n + kFanoutPad, p.v0);
            if (p.general) {
                st.last_update[l].assign(p.out_n, 0);
                st.last_spike[l].assign(p.out_n, 0);
                st.fired[l].assign(p.out_n, 0);
            }
        }
    }
    SimResult r;
    r.spikes.assign(nl, 0);
    r.events.assign(nl, 0);
    r.bias_updates.assign(nl, 0);
    r.output_counts.assign(outp.out_n, 0);
    r.output_first_spike.assign(outp.out_n, kNoSpike);
    if (opt.record_trains) r.trains.resize(nl);
    r.end_time = opt.duration;

    Runner run(plan, st, r, opt);
    constexpr Time kNever = std::numeric_limits<Time>::max();
    Time next_tick = plan.has_bias && plan.ttfs_step == 0 ? plan.rate_period : kNever;
    std::size_t k = 0;
    Time last = kNever;  // TTFS: the last simulated time
    for (;;) {
        const Time t_in = k < input.size() ? input[k].time : kNever;
        Time t = std::min(t_in, next_tick);
        if (plan.has_delay) t = std::min(t, run.next_arrival());
        if (plan.ttfs_step > 0) t = std::min(t_in, run.ttfs_next_time(last));
        last = t;
        if (t == kNever || t > opt.duration) break;
        st.input_keys.clear();
        for (; k < input.size() && input[k].time == t; ++k)
            st.input_keys.push_back(emission_key(input[k].source, std::uint64_t(st.input_keys.size()) << 1, false));
        r.input_spikes += st.input_keys.size();
        if (plan.has_delay && !st.input_keys.empty())
            run.push_delayed(0, st.input_keys.data(), std::uint32_t(st.input_keys.size()), t);
        const bool tick = t == next_tick;
        if (tick) next_tick = next_tick > kNever - plan.rate_period ? kNever : next_tick + plan.rate_period;
        for (std::size_t l = 0; l < nl; ++l) run.layer_at(l, t, tick);
        if (opt.terminate_delta > 0 && leads_by(r.output_counts, opt.terminate_delta)) {
            r.end_time = t;
            r.terminated = true;
            break;
        }
    }
    const std::size_t lo = std::size_t(plan.output);
    if (outp.kind == LayerKind::Concat || outp.kind == LayerKind::MaxPool) {
        r.output_potential.assign(outp.out_n, 0.0);
    } else {
        for (std::uint32_t n = 0; n < outp.out_n; ++n) {
            float v = st.v[lo][n];
            if (outp.leak_tau > 0 && r.end_time > st.last_update[lo][n])
                v = v * leak_factor(r.end_time - st.last_update[lo][n], outp.leak_tau);
            r.output_potential.push_back(v);
        }
    }
    return r;
}

}  // namespace detail

EventSimulator::EventSimulator(const Network& net)
    : plan_(detail::make_plan(net)), state_(std::make_unique<detail::EventState>()) {}

EventSimulator::EventSimulator(const EventSimulator& other)
    : plan_(other.plan_), state_(std::make_unique<detail::EventState>()) {}

EventSimulator::~EventSimulator() = default;

SimResult EventSimulator::run(std::span<const InputSpike> input, const SimOptions& options) {
    return detail::run_events(*plan_, *state_, input, options);
}

SimResult simulate_events(const Network& net, std::span<const InputSpike> input,
                          const SimOptions& options) {
    EventSimulator sim(net);
    return sim.run(input, options);
}

}  // namespace n2d2::spike
