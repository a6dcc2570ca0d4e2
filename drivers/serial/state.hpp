/// \file state.hpp
/// \brief The serial driver's whole state in one struct: the input ring and the subscribers, as pure functions (no system calls).
///
/// Robustness rule (as in servers/ds): no field is used as an index before it is bounded, so a
/// wild write into the state can lose or garble input but never send the driver outside its
/// arrays. Nothing here makes a system call, so it can be compiled and tested on the host.
#pragma once

#include "abi/capability.hpp"
#include <stdint.h>

namespace serial {

inline constexpr uint32_t kInputBytes = 1024;
static_assert((kInputBytes & (kInputBytes - 1)) == 0, "a power of two: ring indices are masked");

/// Bytes received and not yet read, oldest first. `head` and `tail` count the bytes ever taken
/// out and put in (wrapping at 2^32); an index is always masked, never trusted.
struct InputBuffer {
    uint32_t head;
    uint32_t tail;
    char bytes[kInputBytes];

    /// Bytes waiting. A counter pair that cannot be right (corrupted) is reset to empty.
    uint32_t size()
    {
        if (tail - head > kInputBytes) head = tail;
        return tail - head;
    }
    /// Appends `c`; false (and `c` is lost) when the buffer is full.
    bool push(char c)
    {
        if (size() == kInputBytes) return false;
        bytes[tail & (kInputBytes - 1)] = c;
        ++tail;
        return true;
    }
    /// Takes up to `max` bytes into `out`; returns how many.
    uint32_t pop(char* out, uint32_t max)
    {
        uint32_t n = size() < max ? size() : max;
        for (uint32_t i = 0; i < n; ++i) out[i] = bytes[(head + i) & (kInputBytes - 1)];
        head += n;
        return n;
    }
};

inline constexpr uint32_t kMaxSubscribers = 4;

/// A notification capability a client gave us with kSubscribe, and what it names.
struct Subscriber {
    abi::CapSlot slot;   ///< In our capability table.
    uint64_t object_id;  ///< The notification (from cap_identify), to recognise a re-subscription.
    uint64_t badge;
};

/// Up to kMaxSubscribers subscribers, oldest first.
struct Subscribers {
    uint32_t count;
    Subscriber list[kMaxSubscribers];

    /// `count`, bounded.
    uint32_t used() const { return count < kMaxSubscribers ? count : kMaxSubscribers; }

    /// Adds `s`. The same notification and badge again replaces the old entry; when all are
    /// taken, the oldest subscriber gives way (a client that exited never says so).
    /// \return The slot of a capability the caller must now delete, or kNullSlot.
    abi::CapSlot add(const Subscriber& s)
    {
        uint32_t n = used();
        for (uint32_t i = 0; i < n; ++i) {
            if (list[i].object_id == s.object_id && list[i].badge == s.badge) {
                abi::CapSlot old = list[i].slot;
                list[i] = s;
                count = n;
                return old == s.slot ? abi::kNullSlot : old;
            }
        }
        abi::CapSlot evicted = abi::kNullSlot;
        if (n == kMaxSubscribers) {
            evicted = list[0].slot;
            for (uint32_t i = 1; i < n; ++i) list[i - 1] = list[i];
            --n;
        }
        list[n] = s;
        count = n + 1;
        return evicted;
    }
};

/// Everything the driver knows. Zero-initialised in .bss (constinit: no constructor runs).
struct State {
    InputBuffer input;
    Subscribers subscribers;
    uint64_t received;  ///< Bytes read from the UART since the first instance started (published).
    uint64_t dropped;   ///< Bytes lost because the input buffer was full (this instance).
};

} // namespace serial
