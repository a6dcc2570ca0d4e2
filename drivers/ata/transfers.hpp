/// \file transfers.hpp
/// \brief The ATA driver's transfer buffers: the sectors of requests whose chunks are still moving (pure logic, no system calls).
///
/// A block request's data crosses IPC in chunks (see protocols/block.hpp), so the driver keeps
/// the sectors of a read it has done, or of a write it is collecting, between chunks. A buffer
/// is named by (operation, sender's badge, request id, lba, count); when all are taken, the
/// least recently used goes, and its client is told to start over (writes) or causes a fresh
/// disk read (reads). Robustness rule (as in servers/ds): `filled` is bounded before use.
#pragma once

#include "protocols/block.hpp"
#include <stdint.h>

namespace ata {

inline constexpr uint32_t kTransferBytes = protocol::block::kMaxSectors * protocol::block::kSectorBytes;
inline constexpr uint32_t kTransfers = 4;

struct Transfer {
    uint32_t op;      ///< 0 (free), block::kRead or block::kWrite.
    uint32_t count;
    uint64_t id;
    uint64_t lba;
    uint64_t badge;
    uint64_t last_use;
    uint32_t filled;  ///< Bytes of `data` valid: read, or received so far.
    uint64_t checksum;///< A read's block::checksum(), computed as the sectors arrive from the disk.
    uint8_t data[kTransferBytes];

    bool names(uint32_t o, uint64_t b, const protocol::block::Header& h) const
    {
        return op == o && badge == b && id == h.id && lba == h.lba && count == h.count;
    }
    /// `filled`, bounded by the request's size.
    uint32_t valid() const
    {
        uint32_t total = count * protocol::block::kSectorBytes;
        if (total > kTransferBytes) return 0;
        return filled < total ? filled : total;
    }
};

struct Transfers {
    Transfer slots[kTransfers];
    uint64_t clock;

    /// The buffer of this request, or nullptr.
    Transfer* find(uint32_t op, uint64_t badge, const protocol::block::Header& h)
    {
        for (Transfer& t : slots) {
            if (t.names(op, badge, h)) {
                t.last_use = ++clock;
                return &t;
            }
        }
        return nullptr;
    }

    /// A buffer for this request, empty: a free one, or the least recently used.
    Transfer& take(uint32_t op, uint64_t badge, const protocol::block::Header& h)
    {
        Transfer* victim = &slots[0];
        for (Transfer& t : slots) {
            if (t.op == 0) {
                victim = &t;
                break;
            }
            if (t.last_use < victim->last_use) victim = &t;
        }
        victim->op = op;
        victim->badge = badge;
        victim->id = h.id;
        victim->lba = h.lba;
        victim->count = h.count <= protocol::block::kMaxSectors ? h.count : 0;
        victim->filled = 0;
        victim->last_use = ++clock;
        return *victim;
    }

    static void forget(Transfer& t) { t.op = 0; }

    /// Drops read buffers holding any of `count` sectors at `lba`: about to be overwritten.
    void forget_reads(uint64_t lba, uint32_t count)
    {
        for (Transfer& t : slots)
            if (t.op == protocol::block::kRead && t.lba < lba + count && lba < t.lba + t.count) forget(t);
    }
};

} // namespace ata
