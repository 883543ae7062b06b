#pragma once
// The clock-driven reference simulator of a spike::Network, written for clarity, not speed:
// every time step of dt (0, dt, 2dt, ... <= duration), every layer in order, every neuron,
// every source neuron of the layer below (dense), the connection weight computed from the
// layer's own ONNX-layout weights. It follows the semantics documented in spike/event_sim.h
// and must agree with simulate_events spike for spike.
//
// Input spike times, IncomingDelay, and rate_period when a layer has a bias, must be
// multiples of dt
// (std::invalid_argument otherwise), so no event is moved in time.
#include "spike/network.h"
#include "spike/sim_result.h"

#include <span>

namespace n2d2::spike {

SimResult simulate_clock(const Network& net, std::span<const InputSpike> input,
                         const SimOptions& options, Time dt);

}  // namespace n2d2::spike
