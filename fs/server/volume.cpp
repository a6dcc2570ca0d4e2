/// \file volume.cpp
/// \brief Mounting the disk at start-up, the clock for inode times, and the ext2-to-POSIX error mapping.
#include "volume.hpp"
#include "ext2/layout.hpp"
#include "files.hpp"
#include "print.hpp"
#include "sys.hpp"

namespace fs::volume {

namespace {

// The server's storage, static: the cache alone is several MiB.
Disk* g_disk = nullptr;
alignas(Disk) uint8_t g_disk_storage[sizeof(Disk)];
BlockCache* g_cache = nullptr;
alignas(BlockCache) uint8_t g_cache_storage[sizeof(BlockCache)];
ext2::Filesystem g_fs;
ext2::Writer g_writer(g_fs);
bool g_mounted = false;
uint32_t g_base_time = 0;  ///< Seconds since 1970 at boot, as far as the superblock tells.

// Superblock fields the library does not read: the last mount and write times.
constexpr size_t s_mtime = 44;
constexpr size_t s_wtime = 48;

/// Where the cache's memory is mapped, and the pieces it is allocated in.
constexpr uint64_t kCacheAddress = 0x40000000;
constexpr uint32_t kCachePiece = 256 * 1024;
/// A small cache in .bss, for a service table that gives no memory pool.
constexpr uint32_t kFallbackCacheBytes = 128 * 1024;
alignas(4096) uint8_t g_fallback_cache[kFallbackCacheBytes];

/// Maps up to kCacheBytes from `pool` at kCacheAddress, a piece at a time: the kernel zeroes
/// each piece inside the call, and between pieces the other services get the processor.
/// \return the bytes mapped (0 without a pool).
uint32_t map_cache_memory(abi::CapSlot pool)
{
    uint32_t mapped = 0;
    while (mapped < kCacheBytes) {
        int64_t piece = sys::memory_allocate(pool, kCachePiece);
        if (piece <= 0) break;
        if (sys::memory_map(static_cast<abi::CapSlot>(piece), kCacheAddress + mapped, abi::map_flags::kWritable) != 0) {
            (void)sys::cap_delete(static_cast<abi::CapSlot>(piece));
            break;
        }
        // The mapping keeps the memory; the capability is not needed any more.
        (void)sys::cap_delete(static_cast<abi::CapSlot>(piece));
        mapped += kCachePiece;
        sys::yield();
    }
    return mapped;
}

bool refuse(const char* why, const char* detail)
{
    print("fs: cannot mount the disk: %s (%s); every request will fail with EIO\n", why, detail);
    return false;
}

} // namespace

bool mount(abi::CapSlot block_endpoint, abi::CapSlot pool)
{
    // Placement new on static storage: no global constructor to run before main, and the
    // objects (the cache's tables are large) are never copied.
    g_disk = new (g_disk_storage) Disk(block_endpoint);
    g_cache = new (g_cache_storage) BlockCache(*g_disk);

    // (1) The disk's size from the driver, and the cache's memory.
    abi::Error e = g_disk->open();
    if (e == abi::Error::NotFound) return refuse("no disk", "the block driver says NotFound");
    if (e != abi::Error::None) return refuse("the block driver does not answer", abi::error_name(e));
    uint32_t capacity = map_cache_memory(pool);
    uint8_t* data = reinterpret_cast<uint8_t*>(kCacheAddress);
    if (capacity == 0) {
        print("fs: no memory pool for the block cache (services.conf: memory=); caching %u KiB\n",
              kFallbackCacheBytes / 1024);
        capacity = kFallbackCacheBytes;
        data = g_fallback_cache;
    }
    g_cache->attach(g_disk->sectors() * protocol::block::kSectorBytes, data, capacity);

    // (2) The superblock, group descriptors and root inode, checked by the library.
    Result<void> r = g_fs.mount(*g_cache);
    if (r.is_error()) return refuse(g_fs.why(), abi::error_name(r.error()));
    const ext2::Geometry& g = g_fs.geometry();
    r = g_cache->set_line_size(g.block_size);
    if (r.is_error()) return refuse("the block cache cannot hold this block size", abi::error_name(r.error()));

    // (3) The clock, the open-file hook, and a line saying what was mounted.
    uint8_t super[ext2::layout::kSuperblockSize];
    if (g_cache->read_block(1, sizeof(super), super).is_error()) return refuse("the superblock cannot be read again", "EIO");
    uint32_t mounted_at = ext2::layout::load_u32(super + s_mtime);
    uint32_t written_at = ext2::layout::load_u32(super + s_wtime);
    g_base_time = mounted_at > written_at ? mounted_at : written_at;
    char label[17] = {};
    memcpy(label, super + ext2::layout::s_volume_name, 16);
    g_fs.set_open_inodes(&files::open_inodes());
    g_mounted = true;
    print("fs: mounted ext2 '%s': %u blocks of %u bytes, %u inodes, %u free blocks%s; cache %u KiB\n", label,
          g.blocks_count, g.block_size, g.inodes_count, ext2::layout::load_u32(super + ext2::layout::s_free_blocks_count),
          g_fs.read_only() ? " (read-only: unknown features)" : "", g_cache->capacity() / 1024);
    return true;
}

bool mounted() { return g_mounted; }
ext2::Filesystem& filesystem() { return g_fs; }
ext2::Writer& writer() { return g_writer; }
BlockCache& cache() { return *g_cache; }
Disk& disk() { return *g_disk; }

uint32_t now() { return g_base_time + uint32_t(sys::clock_ns() / 1000000000ull); }

void stamp() { g_writer.set_time(now()); }

posix::Errno errno_of(abi::Error error)
{
    switch (error) {
    case abi::Error::None: return posix::kOk;
    case abi::Error::NotFound: return posix::ENOENT;
    case abi::Error::WrongType: return posix::ENOTDIR;
    case abi::Error::InvalidArgument: return posix::EINVAL;
    case abi::Error::NoMemory: return posix::ENOSPC;
    case abi::Error::Busy: return posix::EEXIST;
    case abi::Error::InsufficientRights: return posix::EROFS;
    default: return posix::EIO;  // BadFormat (damage), or the disk's own failure.
    }
}

posix::Errno counts(Counts& out)
{
    using namespace ext2::layout;
    uint8_t super[kSuperblockSize];
    if (g_cache->read_block(1, sizeof(super), super).is_error()) return posix::EIO;
    out.blocks = load_u32(super + s_blocks_count);
    out.free_blocks = load_u32(super + s_free_blocks_count);
    out.inodes = load_u32(super + s_inodes_count);
    out.free_inodes = load_u32(super + s_free_inodes_count);
    return posix::kOk;
}

} // namespace fs::volume
