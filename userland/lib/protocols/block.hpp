/// \file block.hpp
/// \brief The block-device protocol spoken by `ata` (and future disk drivers): read and write N sectors, flush, geometry; and a client that survives driver crashes.
///
/// ## How sector data travels
///
/// A message holds at most 64 words, 512 bytes, and a sector is 512 bytes: one sector and a
/// header never fit in one message. The kernel offers no memory grants yet (MINIX's safecopy),
/// and ordinary programs have no memory pool from which to make a shared buffer to pass as a
/// capability. So data travels in the message words, in **chunks** of up to kChunkBytes (472)
/// bytes, each behind a 32-byte Header and the request's checksum:
///
///     Chunk = Header {id, lba, count, offset, length, status} + checksum + 472 data bytes = 64 words
///
/// A *request* (id, lba, count) is one disk operation on `count` consecutive sectors; its
/// `count * 512` bytes move as a sequence of chunks at increasing byte `offset`s.
/// - kRead: the client sends a Header (4 words: the register fast path) naming the request and
///   the chunk it wants; the reply is a Chunk. The driver reads all `count` sectors from the
///   disk when it first sees the request, keeps them in a transfer buffer, and serves the other
///   chunks from there. Every chunk request names the whole request, so any instance of the
///   driver can answer it (a restarted one reads the disk again).
/// - kWrite: the client sends Chunks in order; the driver collects them in a transfer buffer and
///   writes the sectors when the last byte has arrived. The reply to the last chunk says how the
///   disk write went. A driver that has no transfer for a chunk at `offset` > 0 (it restarted
///   since, or another client's transfer took its buffer) answers kRestart, and the client sends
///   the request again from offset 0.
///
/// The driver keeps a few transfer buffers (least recently used goes), keyed by the request id,
/// position and the sender's badge; clients number their requests from their start time, so two
/// clients do not pick the same ids. Chunking costs ~1.08 calls per sector; when the kernel gets
/// grants, a buffer-capability variant of kRead/kWrite can skip the copies, and this protocol stays.
///
/// ## End-to-end checksums
/// A driver can be hit by a fault that does not stop it: a wild store into its transfer buffer,
/// a flipped bit (RS's fault injection does both). So every request's data carries a checksum
/// (checksum() below, over the lba, the count and all the bytes) from end to end. A write's
/// chunks carry the client's checksum; the driver checks the assembled sectors against it
/// just before they go to the disk, and answers kRestart (send again) on a mismatch. A read's
/// chunks carry the checksum the driver computed right after the disk transfer; the client
/// checks the assembled request and reads it again (a new id, so from the disk) on a mismatch.
///
/// ## Errors (status fields; existing abi::Error values, as this protocol's errno)
/// | status          | meaning                                                                  |
/// |-----------------|--------------------------------------------------------------------------|
/// | InvalidArgument | malformed request; count 0 or > kMaxSectors; sectors past the disk's end |
/// | NotFound        | no ATA disk behind this driver                                           |
/// | kIoError        | (BadFormat) the drive reported an error (ERR or DF): the EIO of the protocol |
/// | kTimedOut       | (Busy) the drive did not answer in time; the driver reset the channel    |
/// | kRestart        | (Revoked) no transfer matches this write chunk, or the assembled sectors fail their checksum: resend the request from offset 0 |
///
/// ## Recovery (MINIX libbdev)
/// The endpoint belongs to RS and outlives the driver. A call that fails with PeerDied (the
/// driver died or hung under it) is re-issued, with the same request id, from offset 0, once
/// the driver is back; so is a request answered with kRestart. Reads and writes of whole
/// sectors are idempotent, so doing one twice is harmless. Client counts the retries.
#pragma once

#include "ipc.hpp"
#include "lib/string.hpp"
#include <stdint.h>

namespace protocol::block {

enum Label : uint32_t {
    kRead = 1,      ///< Header -> Chunk: bytes [offset, offset + length) of the request's sectors
    kWrite = 2,     ///< Chunk -> Header: bytes [offset, offset + length) of the sectors to write
    kFlush = 3,     ///< Header (id only) -> Header: the drive's write cache to the medium
    kGeometry = 4,  ///< (nothing) -> Geometry
};

inline constexpr uint32_t kSectorBytes = 512;
inline constexpr uint32_t kMaxSectors = 32;  ///< Per request (16 KiB).
inline constexpr uint32_t kChunkBytes = 472;

inline constexpr abi::Error kIoError = abi::Error::BadFormat;
inline constexpr abi::Error kTimedOut = abi::Error::Busy;
inline constexpr abi::Error kRestart = abi::Error::Revoked;

/// Names a request and one chunk of it; replies echo it with `status` set.
struct Header {
    uint64_t id;      ///< Chosen by the client; the same for every chunk and every retry.
    uint64_t lba;     ///< First sector.
    uint32_t count;   ///< Sectors, 1..kMaxSectors.
    uint32_t offset;  ///< Byte offset of this chunk within the request's count * 512 bytes.
    uint32_t length;  ///< Bytes in this chunk (<= kChunkBytes); in a write reply, bytes taken.
    uint32_t status;  ///< Replies: 0 or an abi::Error number (see the table above).
};
static_assert(sizeof(Header) == 32);

/// The request checksum: a Fletcher-style pair of 64-bit sums over the data's 64-bit words,
/// seeded with the lba and count (so sectors written to the wrong place do not check out).
/// Eight bytes per step: cheap next to moving the data. `bytes` is a multiple of 8.
inline uint64_t checksum(uint64_t lba, uint32_t count, const uint8_t* data, uint64_t bytes)
{
    uint64_t a = lba ^ 0x9e3779b97f4a7c15ull, b = count;
    for (uint64_t i = 0; i + 8 <= bytes; i += 8) {
        uint64_t w;
        memcpy(&w, data + i, 8);
        a += w;
        b += a;
    }
    return a ^ (b * 0xff51afd7ed558ccdull);
}

struct Chunk {
    Header header;
    uint64_t checksum;  ///< checksum() of the whole request's data (write: the client's; read: the driver's).
    uint8_t data[kChunkBytes];
};
/// Where a chunk's data starts in the message words.
inline constexpr uint32_t kChunkDataOffset = sizeof(Header) + sizeof(uint64_t);
static_assert(sizeof(Chunk) == abi::kMaxMessageWords * 8, "a chunk fills a message exactly");

struct Geometry {
    uint64_t sectors;      ///< Addressable sectors.
    uint32_t sector_size;  ///< Bytes per sector (512).
    uint32_t status;       ///< 0, or NotFound when there is no disk.
    uint32_t max_sectors;  ///< Sectors per request (kMaxSectors).
    uint32_t lba48;        ///< 1 if the drive is addressed with 48-bit LBAs.
    char model[40];        ///< From IDENTIFY, NUL-terminated, trailing spaces removed.
};
static_assert(sizeof(Geometry) == 64);

/// A client for one block device: splits requests into chunks and re-issues a request whose
/// driver died (PeerDied) or forgot it (kRestart) until `retry_ms` pass without progress.
class Client {
public:
    explicit Client(abi::CapSlot endpoint, uint64_t retry_ms = 10000)
        : m_endpoint(endpoint), m_retry_ms(retry_ms), m_next_id(sys::clock_ns() << 8)
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

    /// Reads `count` sectors from `lba` into `out` (count * 512 bytes), in requests of up to
    /// kMaxSectors. \return None, or the first error.
    abi::Error read(uint64_t lba, uint64_t count, void* out)
    {
        return each_request(lba, count, static_cast<uint8_t*>(out), &Client::read_request);
    }

    /// Writes `count` sectors from `data` at `lba`.
    abi::Error write(uint64_t lba, uint64_t count, const void* data)
    {
        return each_request(lba, count, static_cast<uint8_t*>(const_cast<void*>(data)), &Client::write_request);
    }

    /// Asks the drive to put its write cache on the medium.
    abi::Error flush()
    {
        Header h{};
        h.id = m_next_id++;
        uint64_t deadline = 0;
        for (;;) {
            ipc::Message m;
            ipc::pack(m, kFlush, h);
            ipc::Result r = ipc::call(m_endpoint, m);
            if (r.ok()) return static_cast<abi::Error>(ipc::unpack<Header>(r.message).status);
            if (!again(r.error, deadline)) return r.error;
        }
    }

    /// Requests re-issued so far (after PeerDied, kRestart or a bad read checksum).
    uint64_t retries() const { return m_retries; }
    /// Reads whose data failed the driver's checksum on arrival (and were read again).
    uint64_t checksum_failures() const { return m_checksum_failures; }

private:
    using RequestFn = abi::Error (Client::*)(uint64_t lba, uint32_t count, uint8_t* data);

    abi::Error each_request(uint64_t lba, uint64_t count, uint8_t* data, RequestFn fn)
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
            abi::Error e = (this->*fn)(lba, n, data);
            if (e != abi::Error::None) return e;
            lba += n;
            count -= n;
            data += static_cast<uint64_t>(n) * kSectorBytes;
        }
        return abi::Error::None;
    }

    // [block-read-request]
    /// (1) Ask for each chunk in turn; (2) on PeerDied start the request over; (3) check the
    /// whole request against the driver's checksum, and read it again (from the disk: a new id)
    /// if it was damaged on the way.
    abi::Error read_request(uint64_t lba, uint32_t count, uint8_t* out)
    {
        Header h{m_next_id++, lba, count, 0, 0, 0};
        uint32_t total = count * kSectorBytes;
        uint64_t deadline = 0;
        uint64_t sum = 0;
        uint32_t rereads = 0;
        for (;;) {
            while (h.offset < total) {
                h.length = total - h.offset < kChunkBytes ? total - h.offset : kChunkBytes;
                ipc::Message m;
                ipc::pack(m, kRead, h);
                ipc::Result r = ipc::call(m_endpoint, m);
                if (!r.ok()) {
                    if (!again(r.error, deadline)) return r.error;
                    h.offset = 0;
                    continue;
                }
                // A reply that is wrong for a correct request: ask again (see sick()).
                Header reply = ipc::unpack<Header>(r.message);
                abi::Error bad = r.message.length != sizeof(Chunk) / 8 ? abi::Error::InvalidArgument
                                 : reply.status                    ? static_cast<abi::Error>(reply.status)
                                 : reply.length != h.length || reply.offset != h.offset ? abi::Error::InvalidArgument
                                                                                         : abi::Error::None;
                if (bad != abi::Error::None) {
                    if (!sick(deadline)) return bad;
                    h.id = m_next_id++;
                    h.offset = 0;
                    continue;
                }
                // The data straight from the message words (a Chunk is too big to copy around twice).
                memcpy(out + h.offset, reinterpret_cast<const uint8_t*>(r.message.words) + kChunkDataOffset, h.length);
                // A restarted driver reads the disk again: the last chunk's checksum covers them all.
                sum = r.message.words[sizeof(Header) / 8];
                h.offset += h.length;
                deadline = 0;
            }
            if (checksum(lba, count, out, total) == sum) return abi::Error::None;
            if (++rereads > 20) return kIoError;
            ++m_retries;
            ++m_checksum_failures;
            h.id = m_next_id++;
            h.offset = 0;
        }
    }
    // [block-read-request]

    abi::Error write_request(uint64_t lba, uint32_t count, uint8_t* data)
    {
        ipc::Message m;
        m.label = kWrite;
        m.length = sizeof(Chunk) / 8;
        uint32_t total = count * kSectorBytes;
        Header h{m_next_id++, lba, count, 0, 0, 0};
        m.words[sizeof(Header) / 8] = checksum(lba, count, data, total);
        uint64_t deadline = 0;
        uint32_t restarts = 0;
        while (h.offset < total) {
            h.length = total - h.offset < kChunkBytes ? total - h.offset : kChunkBytes;
            memcpy(m.words, &h, sizeof(h));
            memcpy(reinterpret_cast<uint8_t*>(m.words) + kChunkDataOffset, data + h.offset, h.length);
            ipc::Result r = ipc::call(m_endpoint, m);
            if (!r.ok()) {
                if (!again(r.error, deadline)) return r.error;
                h.offset = 0;
                continue;
            }
            Header reply = ipc::unpack<Header>(r.message);
            if (static_cast<abi::Error>(reply.status) == kRestart && ++restarts < 100) {
                ++m_retries;
                h.offset = 0;
                continue;
            }
            if (reply.status) {
                if (!sick(deadline)) return static_cast<abi::Error>(reply.status);
                h.id = m_next_id++;
                h.offset = 0;
                continue;
            }
            h.offset += h.length;
            deadline = 0;
        }
        return abi::Error::None;
    }

    /// The driver answered a request inside the disk with an error. A disk that really failed
    /// says so every time; a driver whose state a fault damaged without stopping it (a wild
    /// store into its geometry, say) may say so until RS restarts it. So the request is sent
    /// again, under a new id (from the disk, not a cached transfer), until `retry_ms` have
    /// passed without progress; then the error stands.
    bool sick(uint64_t& deadline)
    {
        uint64_t now = sys::clock_ns();
        if (deadline == 0) deadline = now + m_retry_ms * 1000000;
        if (now >= deadline) return false;
        ++m_retries;
        sys::sleep_ns(2000000);
        return true;
    }

    // [block-again]
    /// Whether to re-issue after `error`: only PeerDied, and only until `retry_ms` have passed
    /// since the first failure without progress (`deadline` 0: no failure yet).
    bool again(abi::Error error, uint64_t& deadline)
    {
        if (error != abi::Error::PeerDied) return false;
        uint64_t now = sys::clock_ns();
        if (deadline == 0) deadline = now + m_retry_ms * 1000000;
        if (now >= deadline) return false;
        ++m_retries;
        sys::sleep_ns(1000000);
        return true;
    }
    // [block-again]

    abi::CapSlot m_endpoint;
    uint64_t m_retry_ms;
    uint64_t m_next_id;
    uint64_t m_retries = 0;
    uint64_t m_checksum_failures = 0;
    uint64_t m_sectors = 0;  ///< The device's size, once asked.
};

} // namespace protocol::block
