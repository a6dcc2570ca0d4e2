/// \file block.hpp
/// \brief The block-device protocol spoken by `ata` (and future disk drivers): read and write N sectors, flush, geometry; and a client that survives driver crashes.
///
/// ## How sector data travels
///
/// A request is one call: a Request (id, lba, count: three words, the register fast path) and a
/// *window* the call lends (ipc::lend; kernel/ipc/window.hpp) over the client's `count * 512`
/// bytes. The driver moves the sectors between the disk and its own transfer buffer (by
/// bus-master DMA, or PIO), and the kernel copies between that buffer and the client's window
/// (sys::window_write for a read, sys::window_read for a write). No sector byte rides in a
/// message, and the driver never maps the client's memory: the loan ends with the reply.
///
///     kRead:  Request{id, lba, count} + window (driver writes)  ->  Request{id, lba, count, status}
///     kWrite: Request{id, lba, count} + window (driver reads)   ->  Request{id, lba, count, status}
///
/// The client numbers its requests (from its start time, so two clients, or two instances of
/// one, do not pick the same ids) and keeps a request's id across its retries; the driver echoes
/// it, and the client takes only a reply that names the request it made. A request is
/// self-contained and idempotent (sectors read or written twice are the same sectors), which is
/// what makes a driver crash invisible (below).
///
/// ## Why there is no checksum any more
/// When sectors crossed IPC in 472-byte chunks the driver assembled them in buffers in its
/// .bss, where a wild store (RS's fault injection) once put wrong bytes on the disk; each
/// request then carried a checksum from end to end. Now the data lives only in the client's
/// memory and in the driver's transfer buffer, a Memory mapping outside .data/.bss, and moves
/// between them in one kernel copy: no wild store into the driver's data reaches it. What
/// remains (there is no IOMMU) is a driver whose *code* is damaged programming the DMA engine
/// wrongly; `ata` checks every PRD entry against its buffer right before each transfer.
///
/// ## Errors (the `status` field; existing abi::Error values, as this protocol's errno)
/// | status          | meaning                                                                  |
/// |-----------------|--------------------------------------------------------------------------|
/// | InvalidArgument | malformed request; count 0 or > kMaxSectors; sectors past the disk's end |
/// | BadAddress      | the call lent no window, or one too small or not mapped for the data      |
/// | NotFound        | no ATA disk behind this driver                                           |
/// | kIoError        | (BadFormat) the drive reported an error (ERR or DF): the EIO of the protocol |
/// | kTimedOut       | (Busy) the drive did not answer in time; the driver reset the channel    |
///
/// ## Recovery (MINIX libbdev)
/// The endpoint belongs to RS and outlives the driver. A call that fails with PeerDied (the
/// driver died or hung under it) is re-issued once the driver is back. A driver answering an
/// error for a request inside the disk may be sick (a fault damaged its state or code without
/// stopping it) rather than the disk: its owner may ask RS to restart it, and the request is
/// sent again for a while (sick()). Client counts the retries.
#pragma once

#include "ipc.hpp"
#include <stdint.h>

namespace protocol::block {

enum Label : uint32_t {
    kRead = 1,      ///< Request + window the driver writes -> Request (status)
    kWrite = 2,     ///< Request + window the driver reads -> Request (status)
    kFlush = 3,     ///< (nothing) -> Request (status): the drive's write cache to the medium
    kGeometry = 4,  ///< (nothing) -> Geometry
};

inline constexpr uint32_t kSectorBytes = 512;
inline constexpr uint32_t kMaxSectors = 256;  ///< Per request (128 KiB).

inline constexpr abi::Error kIoError = abi::Error::BadFormat;
inline constexpr abi::Error kTimedOut = abi::Error::Busy;

/// A request, and (with `status` set) its reply.
struct Request {
    uint64_t id;      ///< Chosen by the client; the same for every retry of the request.
    uint64_t lba;     ///< First sector.
    uint32_t count;   ///< Sectors, 1..kMaxSectors; the window holds count * 512 bytes.
    uint32_t status;  ///< Replies: 0 or an abi::Error number (see the table above).
};
static_assert(sizeof(Request) == 24);

struct Geometry {
    uint64_t sectors;      ///< Addressable sectors.
    uint32_t sector_size;  ///< Bytes per sector (512).
    uint32_t status;       ///< 0, or NotFound when there is no disk.
    uint32_t max_sectors;  ///< Sectors per request (kMaxSectors).
    uint32_t lba48;        ///< 1 if the drive is addressed with 48-bit LBAs.
    char model[40];        ///< From IDENTIFY, NUL-terminated, trailing spaces removed.
};
static_assert(sizeof(Geometry) == 64);

/// A client for one block device: splits transfers into requests of up to kMaxSectors and
/// re-issues a request whose driver died (PeerDied) or seems sick until `retry_ms` pass
/// without progress.
class Client {
public:
    /// Optional hooks. `while_waiting` runs after every pause between retries: a server that
    /// must keep answering RS's pings (fs) passes the function that answers them, since one
    /// request can be retried for seconds while a driver is restarted. `driver_sick` runs when
    /// the driver fails a request inside the disk, at most once a second while that goes on: the
    /// owner can ask RS to restart the driver, since a driver that a fault damaged without
    /// stopping it answers its pings and RS alone would never notice (MINIX 3's complaints).
    explicit Client(abi::CapSlot endpoint, uint64_t retry_ms = 10000, void (*while_waiting)() = nullptr,
                    void (*driver_sick)() = nullptr)
        : m_endpoint(endpoint), m_retry_ms(retry_ms), m_while_waiting(while_waiting), m_driver_sick(driver_sick),
          m_next_id(sys::clock_ns() << 8)
    {
    }

    /// The device's size; the reply's status is in `out.status`.
    abi::Error geometry(Geometry& out)
    {
        uint64_t deadline = 0;
        for (;;) {
            ipc::Result r = ipc::call(m_endpoint, ipc::make(kGeometry));
            if (r.ok()) {
                out = ipc::unpack<Geometry>(r.message);
                out.model[sizeof(out.model) - 1] = '\0';
                return static_cast<abi::Error>(out.status);
            }
            if (!again(r.error, deadline)) return r.error;
        }
    }

    /// Reads `count` sectors from `lba` into `out` (count * 512 bytes). \return None, or the
    /// first error.
    abi::Error read(uint64_t lba, uint64_t count, void* out)
    {
        return each_request(kRead, lba, count, static_cast<uint8_t*>(out));
    }

    /// Writes `count` sectors from `data` at `lba`.
    abi::Error write(uint64_t lba, uint64_t count, const void* data)
    {
        return each_request(kWrite, lba, count, static_cast<uint8_t*>(const_cast<void*>(data)));
    }

    /// Asks the drive to put its write cache on the medium.
    abi::Error flush()
    {
        uint64_t deadline = 0;
        for (;;) {
            ipc::Result r = ipc::call(m_endpoint, ipc::make(kFlush));
            if (r.ok()) return static_cast<abi::Error>(ipc::unpack<Request>(r.message).status);
            if (!again(r.error, deadline)) return r.error;
        }
    }

    /// Requests re-issued so far (after PeerDied, or an error from a sick driver).
    uint64_t retries() const { return m_retries; }

private:
    abi::Error each_request(Label label, uint64_t lba, uint64_t count, uint8_t* data)
    {
        if (count == 0) return abi::Error::InvalidArgument;
        // The device's size, asked once: a request outside it is refused here, so an error the
        // driver gives a request inside it means the driver is sick (below), not the request.
        if (m_sectors == 0) {
            Geometry g{};
            if (abi::Error e = geometry(g); e != abi::Error::None) return e;
            m_sectors = g.sectors;
        }
        if (lba >= m_sectors || count > m_sectors - lba) return abi::Error::InvalidArgument;
        while (count > 0) {
            uint32_t n = count < kMaxSectors ? static_cast<uint32_t>(count) : kMaxSectors;
            if (abi::Error e = request(label, lba, n, data); e != abi::Error::None) return e;
            lba += n;
            count -= n;
            data += static_cast<uint64_t>(n) * kSectorBytes;
        }
        return abi::Error::None;
    }

    // [block-request]
    /// One request: (1) the call, lending the data's window; (2) PeerDied: again, once the
    /// driver is back; (3) an error for a request inside the disk: again, in case the driver
    /// is sick rather than the disk.
    abi::Error request(Label label, uint64_t lba, uint32_t count, uint8_t* data)
    {
        uint32_t rights = label == kRead ? abi::window_rights::kServerWrites : abi::window_rights::kServerReads;
        uint64_t id = m_next_id++;
        uint64_t deadline = 0;
        for (;;) {
            ipc::Message m;
            ipc::pack(m, label, Request{id, lba, count, 0});
            ipc::lend(m, data, uint64_t(count) * kSectorBytes, rights);
            ipc::Result r = ipc::call(m_endpoint, m);
            if (!r.ok()) {
                if (!again(r.error, deadline)) return r.error;
                continue;
            }
            // A reply that does not name this request is as wrong as an error.
            Request reply = ipc::unpack<Request>(r.message);
            bool ours = r.message.length == sizeof(Request) / 8 && reply.id == id && reply.lba == lba && reply.count == count;
            abi::Error status = !ours ? abi::Error::InvalidArgument : static_cast<abi::Error>(reply.status);
            if (status == abi::Error::None) return status;
            if (!sick(deadline)) return status;
        }
    }
    // [block-request]

    /// The driver answered a request inside the disk with an error. A disk that really failed
    /// says so every time; a driver whose state or code a fault damaged without stopping it (a
    /// wild store into its geometry, a flipped bit) may say so until it is restarted: the owner
    /// is told (driver_sick), and the request is sent again until `retry_ms` have passed without
    /// progress; then the error stands.
    bool sick(uint64_t& deadline)
    {
        if (!in_time(deadline)) return false;
        if (m_driver_sick && sys::clock_ns() >= m_next_complaint) {
            m_next_complaint = sys::clock_ns() + 1000000000ull;
            m_driver_sick();
        }
        pause(2000000);
        return true;
    }

    // [block-again]
    /// Whether to re-issue after `error`: only PeerDied, and only while in_time().
    bool again(abi::Error error, uint64_t& deadline)
    {
        if (error != abi::Error::PeerDied || !in_time(deadline)) return false;
        pause(1000000);
        return true;
    }

    /// Whether a failed request may go again: until `retry_ms` have passed since its first
    /// failure without progress (`deadline` 0: no failure yet, so it starts now).
    bool in_time(uint64_t& deadline) const
    {
        uint64_t now = sys::clock_ns();
        if (deadline == 0) deadline = now + m_retry_ms * 1000000;
        return now < deadline;
    }
    // [block-again]

    /// Counts a retry and sleeps `ns` before it, then lets the owner do what must not wait (see
    /// the constructor).
    void pause(uint64_t ns)
    {
        ++m_retries;
        sys::sleep_ns(ns);
        if (m_while_waiting) m_while_waiting();
    }

    abi::CapSlot m_endpoint;
    uint64_t m_retry_ms;
    void (*m_while_waiting)();
    void (*m_driver_sick)();
    uint64_t m_next_id;
    uint64_t m_next_complaint = 0;  ///< When driver_sick may run again.
    uint64_t m_retries = 0;
    uint64_t m_sectors = 0;  ///< The device's size, once asked.
};

} // namespace protocol::block
