/// \file chardev.hpp
/// \brief The character-device protocol spoken by the console drivers (serial, ps2kbd, vga) and a retrying client.
///
/// A character device accepts bytes to show (`write`) and/or produces bytes typed (`read`,
/// which never blocks: it returns what has arrived, maybe nothing). A reader that wants to sleep
/// until input arrives passes a notification capability with `subscribe`; the driver signals it
/// whenever new input is buffered. A restarted driver has forgotten its subscribers: clients
/// subscribe again when the data store reports `drv.<label>` = "up" (see the shell).
#pragma once

#include "ipc.hpp"
#include "lib/string.hpp"
#include <stdint.h>

namespace protocol::chardev {

enum Label : uint32_t {
    kWrite = 1,      ///< Data -> Count: bytes to output (the device may accept fewer)
    kRead = 2,       ///< ReadRequest -> Data: up to `max` buffered input bytes, maybe 0
    kSubscribe = 3,  ///< one notification capability -> Count (0): signal it on input
};

inline constexpr uint32_t kDataBytes = 240;

struct Data {
    uint32_t length;  ///< Bytes used in `bytes`.
    uint32_t status;  ///< Replies: 0 or an abi::Error number.
    char bytes[kDataBytes];
};
static_assert(sizeof(Data) == 248);
static_assert(sizeof(Data) <= abi::kMaxMessageWords * 8);

struct ReadRequest {
    uint32_t max;  ///< At most this many bytes (<= kDataBytes).
    uint32_t reserved;
};
static_assert(sizeof(ReadRequest) == 8);

struct Count {
    uint32_t count;   ///< Bytes accepted.
    uint32_t status;  ///< 0 or an abi::Error number.
};
static_assert(sizeof(Count) == 8);

/// A client for one device. Every call that fails with PeerDied (the driver died under it) is
/// retried until `retry_ms` milliseconds have passed: the endpoint outlives the driver, so the
/// restarted driver answers the retry.
class Client {
public:
    explicit Client(abi::CapSlot endpoint, uint64_t retry_ms = 3000) : m_endpoint(endpoint), m_retry_ms(retry_ms) {}

    /// Writes all of `text[0..length)`; returns bytes written.
    uint64_t write(const char* text, uint64_t length) const
    {
        uint64_t done = 0;
        while (done < length) {
            Data d{};
            d.length = static_cast<uint32_t>(length - done < kDataBytes ? length - done : kDataBytes);
            memcpy(d.bytes, text + done, d.length);
            ipc::Message m;
            ipc::pack(m, kWrite, d);
            ipc::Result r = call_retrying(m);
            if (!r.ok()) break;
            Count c = ipc::unpack<Count>(r.message);
            if (c.status || c.count == 0) break;
            done += c.count;
        }
        return done;
    }

    /// Up to `max` bytes into `out`; returns how many (0: nothing typed yet, or an error).
    uint32_t read(char* out, uint32_t max) const
    {
        ipc::Message m;
        ipc::pack(m, kRead, ReadRequest{max < kDataBytes ? max : kDataBytes, 0});
        ipc::Result r = call_retrying(m);
        if (!r.ok() || r.message.length != sizeof(Data) / 8) return 0;
        Data d = ipc::unpack<Data>(r.message);
        uint32_t n = d.length < max ? d.length : max;
        memcpy(out, d.bytes, n);
        return n;
    }

    /// Asks the driver to signal `notification` whenever input arrives.
    abi::Error subscribe(abi::CapSlot notification) const
    {
        ipc::Message m = ipc::make(kSubscribe, 0);
        m.cap_count = 1;
        m.send_caps[0] = notification;
        ipc::Result r = call_retrying(m);
        if (!r.ok()) return r.error;
        return static_cast<abi::Error>(ipc::unpack<Count>(r.message).status);
    }

private:
    ipc::Result call_retrying(const ipc::Message& m) const
    {
        uint64_t deadline = sys::clock_ns() + m_retry_ms * 1000000;
        ipc::Result r = ipc::call(m_endpoint, m);
        while (r.error == abi::Error::PeerDied && sys::clock_ns() < deadline) {
            sys::sleep_ns(2000000);
            r = ipc::call(m_endpoint, m);
        }
        return r;
    }

    abi::CapSlot m_endpoint;
    uint64_t m_retry_ms;
};

} // namespace protocol::chardev
