/// \file cache.cpp
/// \brief The block cache: lookup by hash, LRU replacement, read-ahead on sequential misses, batched write-back.
#include "cache.hpp"
#include "events.hpp"
#include "lib/string.hpp"

namespace fs {

namespace {

Result<void> result_of(abi::Error e)
{
    if (e != abi::Error::None) return e;
    return {};
}

} // namespace

// ---- set-up ------------------------------------------------------------------------------

void BlockCache::attach(uint64_t bytes, uint8_t* data, uint32_t capacity)
{
    m_size = bytes;
    m_data = data;
    m_capacity = capacity;
    reset(kMinLineBytes);
}

Result<void> BlockCache::set_line_size(uint32_t bytes)
{
    if (bytes < kMinLineBytes || bytes > kBatchBytes || m_capacity % bytes != 0) return Error::InvalidArgument;
    TRY(write_back());
    reset(bytes);
    return {};
}

void BlockCache::reset(uint32_t line_size)
{
    m_line_size = line_size;
    m_line_count = m_capacity / line_size;
    m_total_lines = m_size / line_size;
    m_cached = m_dirty = 0;
    m_sequential_next = UINT64_MAX;
    m_lru_head = m_lru_tail = -1;
    for (uint32_t b = 0; b < kBuckets; ++b) m_buckets[b] = -1;
    // Every line on the free list, in order.
    m_free = -1;
    for (int32_t i = int32_t(m_line_count) - 1; i >= 0; --i) give_back(i);
}

// ---- the BlockDevice interface ---------------------------------------------------------------

Result<void> BlockCache::check(uint64_t index, uint32_t block_size) const
{
    // The sizes ext2 uses; checked as a division so a huge index cannot overflow.
    if (block_size != 1024 && block_size != 2048 && block_size != 4096) return Error::InvalidArgument;
    if (index >= m_size / block_size) return Error::InvalidArgument;
    return {};
}

Result<void> BlockCache::read_block(uint64_t index, uint32_t block_size, uint8_t* buffer)
{
    TRY(check(index, block_size));
    return access(index * block_size, block_size, buffer, nullptr);
}

Result<void> BlockCache::write_block(uint64_t index, uint32_t block_size, const uint8_t* data)
{
    TRY(check(index, block_size));
    return access(index * block_size, block_size, nullptr, data);
}

Result<void> BlockCache::access(uint64_t byte, uint32_t length, uint8_t* out, const uint8_t* in)
{
    // A long operation on cached blocks alone (freeing the blocks of a large file) sends no
    // disk request, where RS's pings are answered: answer them here too, now and then.
    if ((++m_accesses & 1023) == 0) events::keepalive();

    // A request may be smaller than a line (the 1 KiB superblock of a 4 KiB file system) or,
    // before the line size is set, larger: it is served line by line.
    while (length > 0) {
        uint64_t block = byte / m_line_size;
        uint32_t within = uint32_t(byte % m_line_size);
        uint32_t n = m_line_size - within < length ? m_line_size - within : length;
        bool whole_write = in != nullptr && within == 0 && n == m_line_size;
        int32_t line = TRY(get_line(block, whole_write));
        if (in != nullptr) {
            memcpy(data_of(line) + within, in, n);
            mark_dirty(line);
            in += n;
        } else {
            memcpy(out, data_of(line) + within, n);
            out += n;
        }
        byte += n;
        length -= n;
    }
    return {};
}

// ---- lines -----------------------------------------------------------------------------------

uint32_t BlockCache::bucket(uint64_t block) const
{
    // Fibonacci hashing: neighbouring blocks spread over the buckets.
    return uint32_t((block * 0x9E3779B97F4A7C15ull) >> 32) % kBuckets;
}

int32_t BlockCache::find(uint64_t block) const
{
    for (int32_t i = m_buckets[bucket(block)]; i >= 0; i = m_lines[i].chain) {
        if (m_lines[i].block == block) return i;
    }
    return -1;
}

void BlockCache::lru_unlink(int32_t line)
{
    Line& l = m_lines[line];
    if (l.prev >= 0) m_lines[l.prev].next = l.next;
    else m_lru_head = l.next;
    if (l.next >= 0) m_lines[l.next].prev = l.prev;
    else m_lru_tail = l.prev;
    l.prev = l.next = -1;
}

void BlockCache::lru_push_front(int32_t line)
{
    Line& l = m_lines[line];
    l.prev = -1;
    l.next = m_lru_head;
    if (m_lru_head >= 0) m_lines[m_lru_head].prev = line;
    m_lru_head = line;
    if (m_lru_tail < 0) m_lru_tail = line;
}

void BlockCache::install(int32_t line, uint64_t block)
{
    Line& l = m_lines[line];
    l.block = block;
    l.valid = true;
    l.dirty = false;
    uint32_t b = bucket(block);
    l.chain = m_buckets[b];
    m_buckets[b] = line;
    lru_push_front(line);
    ++m_cached;
}

void BlockCache::give_back(int32_t line)
{
    m_lines[line] = Line{0, -1, m_free, -1, false, false};
    m_free = line;
}

void BlockCache::mark_dirty(int32_t line)
{
    if (!m_lines[line].dirty) {
        m_lines[line].dirty = true;
        ++m_dirty;
    }
}

// [cache-take-line]
Result<int32_t> BlockCache::take_line()
{
    // (1) A free line, or (2) the least recently used one, written back first if dirty. The line
    // returned is on no list: the caller installs it or gives it back.
    if (m_free >= 0) {
        int32_t line = m_free;
        m_free = m_lines[line].next;
        m_lines[line].next = -1;
        return line;
    }
    int32_t victim = m_lru_tail;
    if (victim < 0) return Error::NoMemory;
    if (m_lines[victim].dirty) TRY(write_run_around(victim));
    Line& l = m_lines[victim];
    int32_t* link = &m_buckets[bucket(l.block)];
    while (*link != victim) link = &m_lines[*link].chain;
    *link = l.chain;
    lru_unlink(victim);
    l.valid = false;
    l.chain = -1;
    --m_cached;
    return victim;
}
// [cache-take-line]

// [cache-get-line]
Result<int32_t> BlockCache::get_line(uint64_t block, bool whole_write)
{
    int32_t found = find(block);
    if (found >= 0) {
        ++m_hits;
        lru_unlink(found);
        lru_push_front(found);
        return found;
    }
    ++m_misses;
    if (block >= m_total_lines) return Error::InvalidArgument;

    // A line about to be overwritten whole need not be read first.
    if (whole_write) {
        int32_t line = TRY(take_line());
        install(line, block);
        return line;
    }

    // (1) How much to read: one line, or, when this miss continues the previous one's run, as
    // many following blocks as one request holds and the cache does not have yet.
    uint32_t run = 1;
    if (block == m_sequential_next) {
        while (run < batch_lines() && block + run < m_total_lines && find(block + run) < 0) ++run;
    }
    // (2) Lines for them (evicting), (3) one disk request, (4) the lines installed, the block
    // asked for last so that it is the most recently used.
    int32_t lines[kBatchBytes / kMinLineBytes];
    for (uint32_t k = 0; k < run; ++k) {
        Result<int32_t> line = take_line();
        if (line.is_error()) {
            for (uint32_t j = 0; j < k; ++j) give_back(lines[j]);
            return line.error();
        }
        lines[k] = line.value();
    }
    abi::Error e = m_disk.read(block * sectors_per_line(), uint64_t(run) * sectors_per_line(), m_batch);
    if (e != abi::Error::None) {
        for (uint32_t k = 0; k < run; ++k) give_back(lines[k]);
        m_sequential_next = UINT64_MAX;
        return e;
    }
    for (uint32_t k = run; k-- > 0;) {
        memcpy(data_of(lines[k]), m_batch + uint64_t(k) * m_line_size, m_line_size);
        install(lines[k], block + k);
    }
    m_sequential_next = block + run;
    return lines[0];
}
// [cache-get-line]

// ---- writing back ----------------------------------------------------------------------------

Result<void> BlockCache::write_run(uint64_t first, uint32_t count)
{
    // Every block of the run is cached and dirty (the callers checked): copy them together.
    for (uint32_t k = 0; k < count; ++k) memcpy(m_batch + uint64_t(k) * m_line_size, data_of(find(first + k)), m_line_size);
    TRY(result_of(m_disk.write(first * sectors_per_line(), uint64_t(count) * sectors_per_line(), m_batch)));
    for (uint32_t k = 0; k < count; ++k) {
        m_lines[find(first + k)].dirty = false;
        --m_dirty;
    }
    return {};
}

Result<void> BlockCache::write_run_around(int32_t line)
{
    // An evicted dirty line takes its dirty neighbours along: a large file being written
    // leaves long runs of them, and one request is much cheaper than many.
    auto dirty_at = [&](uint64_t block) {
        int32_t i = find(block);
        return i >= 0 && m_lines[i].dirty;
    };
    uint64_t first = m_lines[line].block;
    uint64_t end = first + 1;
    while (first > 0 && end - first < batch_lines() && dirty_at(first - 1)) --first;
    while (end - first < batch_lines() && dirty_at(end)) ++end;
    return write_run(first, uint32_t(end - first));
}

Result<void> BlockCache::write_back()
{
    // (1) The dirty lines, (2) sorted by block number (heapsort: no allocation, n log n),
    // (3) written in runs of contiguous blocks.
    uint32_t n = 0;
    for (uint32_t i = 0; i < m_line_count; ++i) {
        if (m_lines[i].valid && m_lines[i].dirty) m_order[n++] = i;
    }
    auto key = [&](uint32_t at) { return m_lines[m_order[at]].block; };
    auto sift = [&](uint32_t root, uint32_t size) {
        for (;;) {
            uint32_t child = 2 * root + 1;
            if (child >= size) return;
            if (child + 1 < size && key(child + 1) > key(child)) ++child;
            if (key(root) >= key(child)) return;
            uint32_t t = m_order[root];
            m_order[root] = m_order[child];
            m_order[child] = t;
            root = child;
        }
    };
    for (uint32_t i = n / 2; i-- > 0;) sift(i, n);
    for (uint32_t size = n; size > 1; --size) {
        uint32_t t = m_order[0];
        m_order[0] = m_order[size - 1];
        m_order[size - 1] = t;
        sift(0, size - 1);
    }
    uint32_t at = 0;
    while (at < n) {
        uint32_t count = 1;
        while (at + count < n && count < batch_lines() && key(at + count) == key(at) + count) ++count;
        TRY(write_run(key(at), count));
        at += count;
    }
    return {};
}

Result<void> BlockCache::sync()
{
    TRY(write_back());
    return result_of(m_disk.flush());
}

} // namespace fs
