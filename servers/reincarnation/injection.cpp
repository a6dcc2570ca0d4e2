/// \file injection.cpp
/// \brief Fault injection: from inside a service (by message), from outside (bit flips, garbage IPC), and campaigns.
///
/// Every injection takes a seed, so it can be repeated exactly. A campaign injects `count`
/// faults one after another into one service and classifies each: detected (by exception, exit
/// or heartbeat) and recovered, no visible effect, or left down.
#include "print.hpp"
#include "rs.hpp"
#include "sys.hpp"

namespace rs {

uint64_t random_next(uint64_t& state)
{
    // xorshift64*: small, fast, and the same sequence for the same seed.
    if (state == 0) state = 0x9e3779b97f4a7c15ull;
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

bool inject(Service& s, FaultType fault, uint64_t seed)
{
    if (s.state != State::Up) return false;
    uint64_t state = seed ^ 0x5bd1e995ull;
    switch (fault) {
    case FaultType::BitFlip: {
        // SWIFI: flip one random bit of one random byte of the service's code, from outside.
        if (s.text_end <= s.text_start) return false;
        uint64_t address = s.text_start + random_next(state) % (s.text_end - s.text_start);
        uint8_t bit = static_cast<uint8_t>(1u << (random_next(state) % 8));
        return sys::process_poke(s.process, address, bit) >= 0;
    }
    case FaultType::BadIpc: {
        // Sixteen messages of random labels and words, through a capability whose badge the
        // service cannot mistake for RS's own. A robust server answers or ignores each one.
        for (int i = 0; i < 16; ++i) {
            uint64_t w0 = random_next(state), w1 = random_next(state);
            uint32_t label = static_cast<uint32_t>(random_next(state) % 64);
            uint32_t words = static_cast<uint32_t>(random_next(state) % 5);
            sys::raw::ipc(sys::number(abi::Syscall::ipc_nb_send), s.endpoint_garbage,
                          abi::MessageInfo::make(label, words).raw, w0, w1, ~w0, ~w1);
        }
        return true;
    }
    default: {
        // The service executes the fault itself when it receives this. A busy service cannot
        // take it right now: the caller tries again later.
        int64_t r = sys::raw::ipc(sys::number(abi::Syscall::ipc_nb_send), s.endpoint_rs,
                                  abi::MessageInfo::make(protocol::rs::kFaultInjectLabel, 2).raw,
                                  static_cast<uint64_t>(fault), seed, 0, 0)
                        .status;
        return r == 0;
    }
    }
}

namespace {
uint64_t failures(const Service& s)
{
    return s.by_exception + s.by_exit + s.by_heartbeat + s.by_timeout + s.by_complaint;
}
} // namespace

void campaign_step(uint64_t now)
{
    Campaign& c = g_rs.campaign;
    if (!c.running) return;
    Service& s = g_rs.services[c.service];
    if (c.observing) {
        // Wait for the injected fault's fate: a failure and a recovery, or a quiet period.
        bool failed = failures(s) != c.failures_before;
        uint64_t quiet = 3 * uint64_t(s.cfg.heartbeat_ms ? s.cfg.heartbeat_ms : 100) * 1000000;
        if (s.state == State::Failed) {
            ++c.report.still_down;
            c.running = false;
            print("rs: campaign stopped: %s was left down\n", s.cfg.label);
            return;
        }
        if (failed && s.state == State::Up) {
            ++c.report.recovered;
        } else if (!failed && s.state == State::Up && now - c.injected_at > quiet) {
            ++c.report.no_effect;
        } else {
            return;  // Still recovering, or still watching.
        }
        c.observing = false;
    }
    if (c.remaining == 0) {
        c.running = false;
        c.report.detected_exception = s.by_exception;
        c.report.detected_exit = s.by_exit;
        c.report.detected_heartbeat = s.by_heartbeat + s.by_timeout;
        print("rs: campaign on %s done: %lu injected, %lu recovered, %lu no effect, %lu left down\n", s.cfg.label,
              c.report.injected, c.report.recovered, c.report.no_effect, c.report.still_down);
        return;
    }
    if (s.state != State::Up) return;
    FaultType fault = static_cast<FaultType>(1 + random_next(c.seed) % 7);
    c.failures_before = failures(s);
    // A fault we inject on purpose says nothing about a flapping service: no backoff for it.
    s.consecutive = 0;
    if (!inject(s, fault, random_next(c.seed))) return;  // Busy: try again next tick.
    --c.remaining;
    ++c.report.injected;
    c.injected_at = now;
    c.observing = true;
}

} // namespace rs
