/// \file cache.hpp
/// \brief The block cache: a fixed-size, LRU, write-back cache of disk blocks, presented to the ext2 library as its BlockDevice.
///
/// Every block the ext2 code reads or writes goes through here. The block data lives in memory
/// the server allocates from its pool at start-up (volume.cpp), not in the program's .bss: a
/// 4 MiB .bss would be zeroed inside RS's spawn call, holding up every other service for that
/// long (and a 20 ms heartbeat would notice). Lines are one file-system block
/// (1 KiB until the superblock has been read, then the mounted block size). A write only changes
/// the cached copy and marks it dirty; dirty lines reach the disk when they are evicted, on
/// write_back() (the periodic timer) and on sync() (kSync, which also flushes the drive's cache).
///
/// Disk traffic is batched: a miss that continues a sequential run reads ahead up to kBatchBytes
/// in one request, an evicted dirty line takes its dirty neighbours along in one write, and
/// write_back() sorts the dirty lines by block number and writes each contiguous run in one
/// request of up to protocol::block::kMaxSectors sectors.
#pragma once

#include "disk.hpp"
#include "ext2/block_device.hpp"
#include "lib/result.hpp"
#include <stdint.h>

namespace fs {

/// Bytes of block data the cache holds (at most: it is what the server asks its memory pool for).
inline constexpr uint32_t kCacheBytes = 4u << 20;
/// The smallest line: the 1 KiB the superblock is read with, and ext2's smallest block.
inline constexpr uint32_t kMinLineBytes = 1024;
inline constexpr uint32_t kMaxLines = kCacheBytes / kMinLineBytes;
/// The largest read-ahead or write-back run: one block request.
inline constexpr uint32_t kBatchBytes = protocol::block::kMaxSectors * protocol::block::kSectorBytes;

class BlockCache final : public ext2::BlockDevice {
public:
    explicit BlockCache(Disk& disk) : m_disk(disk) {}

    /// Starts over on a device of `bytes` bytes, with 1 KiB lines and nothing cached, keeping
    /// block data in `data` (`capacity` bytes: a multiple of kBatchBytes, at most kCacheBytes).
    void attach(uint64_t bytes, uint8_t* data, uint32_t capacity);
    /// Writes back every dirty line, then drops them all and caches in lines of `bytes` (the
    /// mounted file system's block size) from now on.
    Result<void> set_line_size(uint32_t bytes);

    uint64_t size_bytes() const override { return m_size; }
    Result<void> read_block(uint64_t index, uint32_t block_size, uint8_t* buffer) override;
    Result<void> write_block(uint64_t index, uint32_t block_size, const uint8_t* data) override;

    /// Writes every dirty line to the disk, in runs of contiguous blocks. \return the first error.
    Result<void> write_back();
    /// write_back(), then the drive's own write cache to the medium.
    Result<void> sync();

    uint32_t cached() const { return m_cached; }   ///< Lines holding a block.
    uint32_t dirty() const { return m_dirty; }     ///< Of which not yet written back.
    uint32_t line_size() const { return m_line_size; }
    uint32_t capacity() const { return m_capacity; }  ///< Bytes of block data it can hold.
    uint64_t hits() const { return m_hits; }
    uint64_t misses() const { return m_misses; }

private:
    struct Line {
        uint64_t block;   ///< Which block (in line-size units) it holds, when valid.
        int32_t prev;     ///< LRU list: towards the most recently used.
        int32_t next;     ///< LRU list: towards the least recently used; free list link.
        int32_t chain;    ///< Next line in the same hash bucket.
        bool valid;
        bool dirty;
    };
    static constexpr uint32_t kBuckets = 2 * kMaxLines;

    /// Drops every line (dirty ones too) and starts caching in lines of `line_size` bytes.
    void reset(uint32_t line_size);
    Result<void> check(uint64_t index, uint32_t block_size) const;
    Result<void> access(uint64_t byte, uint32_t length, uint8_t* out, const uint8_t* in);
    Result<int32_t> get_line(uint64_t block, bool whole_write);
    int32_t find(uint64_t block) const;
    Result<int32_t> take_line();
    void give_back(int32_t line);
    void install(int32_t line, uint64_t block);
    Result<void> write_run_around(int32_t line);
    Result<void> write_run(uint64_t first, uint32_t count);
    void mark_dirty(int32_t line);
    uint32_t bucket(uint64_t block) const;
    void lru_unlink(int32_t line);
    void lru_push_front(int32_t line);
    uint8_t* data_of(int32_t line) { return m_data + uint64_t(line) * m_line_size; }
    uint32_t sectors_per_line() const { return m_line_size / protocol::block::kSectorBytes; }
    uint32_t batch_lines() const { return kBatchBytes / m_line_size; }

    Disk& m_disk;
    uint8_t* m_data = nullptr;      ///< Line i's bytes are at m_data + i * m_line_size.
    uint32_t m_capacity = 0;        ///< Bytes at m_data.
    uint64_t m_size = 0;            ///< Device bytes.
    uint64_t m_total_lines = 0;     ///< Device blocks of the line size.
    uint32_t m_line_size = kMinLineBytes;
    uint32_t m_line_count = 0;      ///< Lines in use at this line size.
    uint32_t m_cached = 0;
    uint32_t m_dirty = 0;
    uint64_t m_hits = 0;
    uint64_t m_misses = 0;
    uint64_t m_sequential_next = UINT64_MAX;  ///< The block after the last miss's run.
    uint64_t m_accesses = 0;        ///< Requests served, to answer pings now and then.
    int32_t m_lru_head = -1;        ///< Most recently used.
    int32_t m_lru_tail = -1;        ///< Least recently used: the next victim.
    int32_t m_free = -1;            ///< Lines holding nothing.
    Line m_lines[kMaxLines];
    int32_t m_buckets[kBuckets];
    uint32_t m_order[kMaxLines];    ///< write_back()'s dirty lines, sorted by block.
    uint8_t m_batch[kBatchBytes];   ///< One request's contiguous bytes.
};

} // namespace fs
