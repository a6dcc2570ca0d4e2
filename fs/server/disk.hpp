/// \file disk.hpp
/// \brief The block-device glue: the `ata` driver through protocol::block::Client, which re-issues requests a dead or hung driver took with it.
///
/// Recovery is the client's (MINIX libbdev): a request that fails with PeerDied is sent again
/// once the restarted driver serves the endpoint, for up to kRetryMs without progress. That
/// bound covers a hang: RS notices it after two missed heartbeats (ata's period is 200 ms),
/// kills the driver (our call then fails with PeerDied) and starts a new instance after its
/// backoff. A drive timeout (kTimedOut, after which the driver has reset the channel) is retried
/// a few times here. keepalive() answers RS's pings between requests and between the client's
/// retries, so neither a long run of disk requests nor a driver's restart makes `fs` look hung.
/// A driver that keeps failing requests inside the disk, though it answers RS's pings, is
/// reported to RS (protocol::rs::kComplain), which restarts it.
#pragma once

#include "abi/capability.hpp"
#include "abi/errors.hpp"
#include "events.hpp"
#include "protocols/block.hpp"
#include <stdint.h>

namespace fs {

/// How long a request is re-issued after PeerDied (or a sick driver's error) without progress
/// before it fails (EIO): long enough for a burst of back-to-back driver hangs (each takes RS
/// ~0.4 s to detect). RS's pings are answered meanwhile (keepalive between retries).
inline constexpr uint64_t kRetryMs = 8000;
/// How often a request the drive timed out on is tried again.
inline constexpr uint32_t kTimeoutRetries = 3;

/// The service behind the disk endpoint (`uses=ata` in services.conf), whom RS is asked to
/// restart when it keeps failing requests inside the disk while answering its pings.
inline constexpr const char* kDriverLabel = "ata";

/// Complains to RS about kDriverLabel, which restarts it (block::Client's driver_sick hook).
void complain_about_driver();

class Disk {
public:
    explicit Disk(abi::CapSlot endpoint) : m_client(endpoint, kRetryMs, events::keepalive, complain_about_driver) {}

    /// Asks the driver for the disk's size. \return None, or the driver's error (NotFound: no disk).
    abi::Error open();
    /// The disk's length in 512-byte sectors (0 before open()).
    uint64_t sectors() const { return m_sectors; }
    /// The drive's model, from open().
    const char* model() const { return m_model; }

    /// Reads `count` sectors from `lba` into `out`, in requests of up to kMaxSectors.
    abi::Error read(uint64_t lba, uint64_t count, void* out);
    /// Writes `count` sectors from `data` to `lba`.
    abi::Error write(uint64_t lba, uint64_t count, const void* data);
    /// The drive's write cache to the medium.
    abi::Error flush();

    uint64_t requests() const { return m_requests; }  ///< Block requests sent.
    uint64_t retries() const { return m_client.retries(); }  ///< Re-issued after PeerDied, or errors of a sick driver.

private:
    abi::Error transfer(uint64_t lba, uint64_t count, uint8_t* data, bool write);

    protocol::block::Client m_client;
    uint64_t m_sectors = 0;
    uint64_t m_requests = 0;
    char m_model[40] = {};
};

} // namespace fs
