/// \file main.cpp
/// \brief `blktest`: the block protocol end to end against the `ata` driver: geometry, reads in requests of varied sizes, the ext2 superblock, write and read-back, bad requests, and reads that survive driver crashes.
///
/// Usage (arguments from init's `run=blktest:...`):
///   blktest [SECTORS [BLOCK]]  geometry; reads sectors 0..SECTORS-1 (default 2048) in requests of
///                       varied sizes and prints their FNV-1a 64 checksum; the ext2 superblock;
///                       where hello.txt's text lies (in those sectors, or in 1 KiB block BLOCK); writes a pattern to the last 11 sectors
///                       and reads it back; flush; bad requests
///   blktest loop MS     for MS milliseconds, reads (checked against a first read) and writes
///                       (read back and checked) in a loop while the test injects faults into
///                       ata; then prints how many were wrong and how many were retried
/// init gives it a capability to RS's endpoint in slot 3; it looks `ata` up there.
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/block.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace {

using namespace protocol::block;
constexpr abi::CapSlot kRs = 3;
constexpr uint64_t kMaxRead = 2048;     // sectors: 1 MiB
constexpr uint64_t kReference = 512;    // sectors compared in the loop
constexpr uint64_t kPatternSectors = 11;
const char kHello[] = "Hello from the Samsara disk";

uint8_t g_disk[kMaxRead * kSectorBytes];
uint8_t g_check[kMaxSectors * 2 * kSectorBytes];
uint8_t g_pattern[kMaxSectors * 2 * kSectorBytes];

uint64_t number(const char* s)
{
    uint64_t v = 0;
    for (; s && *s >= '0' && *s <= '9'; ++s) v = v * 10 + (*s - '0');
    return v;
}

uint64_t fnv1a64(const uint8_t* data, uint64_t length)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t i = 0; i < length; ++i) h = (h ^ data[i]) * 0x100000001b3ull;
    return h;
}

/// The test pattern's byte `i` of sector `lba` (tests/system/test_ata.py computes the same).
uint8_t pattern_byte(uint64_t lba, uint32_t i) { return static_cast<uint8_t>((lba * 131 + i * 7 + (i >> 8) * 3) ^ 0x5a); }

void fill_pattern(uint64_t lba, uint64_t count, uint8_t* out)
{
    for (uint64_t s = 0; s < count; ++s)
        for (uint32_t i = 0; i < kSectorBytes; ++i) out[s * kSectorBytes + i] = pattern_byte(lba + s, i);
}

uint32_t u32_at(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24; }

/// Waits (up to 5 s) until RS says `ata` is up, then looks its endpoint up.
abi::CapSlot find_ata()
{
    protocol::rs::Client rs(kRs);
    protocol::rs::ServiceStatus st{};
    uint64_t deadline = sys::clock_ns() + 5000000000ull;
    while (!(rs.status_of("ata", st) && st.state == protocol::rs::State::Up) && sys::clock_ns() < deadline)
        sys::sleep_ns(10000000);
    return rs.lookup("ata");
}

/// Reads sectors [0, total) in requests of 1, 3, 32, 7, 40 (two requests), 2, ... sectors.
abi::Error read_varied(Client& disk, uint64_t total)
{
    static const uint64_t kSizes[] = {1, 3, 32, 7, 40, 2, 17, 64, 5};
    uint64_t lba = 0;
    for (uint32_t i = 0; lba < total; ++i) {
        uint64_t n = kSizes[i % (sizeof(kSizes) / sizeof(kSizes[0]))];
        if (n > total - lba) n = total - lba;
        if (abi::Error e = disk.read(lba, n, g_disk + lba * kSectorBytes); e != abi::Error::None) return e;
        lba += n;
    }
    return abi::Error::None;
}

/// One raw request the typed client would never send: `request` with `label`, `words` long,
/// lending `window_bytes` at g_check with `rights` (0 bytes: no window).
abi::Error raw_status(abi::CapSlot ata, uint32_t label, const Request& request, uint32_t words, uint64_t window_bytes,
                      uint32_t rights)
{
    ipc::Message m;
    ipc::pack(m, label, request);
    m.length = words;
    if (window_bytes) ipc::lend(m, g_check, window_bytes, rights);
    ipc::Result r = ipc::call(ata, m);
    if (!r.ok()) return r.error;
    return static_cast<abi::Error>(ipc::unpack<Request>(r.message).status);
}

int check(abi::CapSlot ata, uint64_t sectors_to_read, uint64_t hello_block)
{
    Client disk(ata);
    int failures = 0;
    // (1) Geometry.
    Geometry g{};
    abi::Error e = disk.geometry(g);
    if (e != abi::Error::None) {
        print("blktest: geometry: %s\n", abi::error_name(e));
        return 1;
    }
    print("blktest: geometry: %lu sectors of %u bytes, LBA%d, model '%s'\n", g.sectors, g.sector_size,
          g.lba48 ? 48 : 28, g.model);

    // (2) The first sectors, checksummed (the test compares with the image on the host).
    uint64_t n = sectors_to_read < kMaxRead ? sectors_to_read : kMaxRead;
    if (n > g.sectors) n = g.sectors;
    uint64_t start = sys::clock_ns();
    e = read_varied(disk, n);
    uint64_t us = (sys::clock_ns() - start) / 1000;
    if (e != abi::Error::None) {
        print("blktest: read: %s\n", abi::error_name(e));
        return 1;
    }
    print("blktest: sectors 0..%lu: fnv1a64 %016lx\n", n - 1, fnv1a64(g_disk, n * kSectorBytes));
    print("blktest: read %lu KiB in %lu us\n", n / 2, us);

    // (3) The ext2 superblock, 1024 bytes in.
    if (n >= 4) {
        const uint8_t* sb = g_disk + 1024;
        char volume[17] = {};
        memcpy(volume, sb + 120, 16);
        print("blktest: superblock: magic 0x%04x, %u blocks of %u bytes, %u inodes, volume '%s'\n",
              sb[56] | sb[57] << 8, u32_at(sb + 4), 1024u << u32_at(sb + 24), u32_at(sb), volume);
    }
    // (4) Where a sample file's text lies: in the first sectors read, or in the 1 KiB block
    // the test found with debugfs on the host.
    uint64_t length = strlen(kHello);
    for (uint64_t i = 0; i + length <= n * kSectorBytes; ++i) {
        if (memcmp(g_disk + i, kHello, length) == 0) {
            print("blktest: found '%s' at byte %lu\n", kHello, i);
            break;
        }
    }
    if (hello_block && disk.read(hello_block * 2, 2, g_check) == abi::Error::None &&
        memcmp(g_check, kHello, length) == 0)
        print("blktest: found '%s' at byte %lu\n", kHello, hello_block * 1024);

    // (5) A pattern into the last sectors (free blocks of the file system), read back.
    uint64_t lba = g.sectors - kPatternSectors;
    fill_pattern(lba, kPatternSectors, g_pattern);
    e = disk.write(lba, kPatternSectors, g_pattern);
    print("blktest: write sectors %lu..%lu: %s\n", lba, lba + kPatternSectors - 1, abi::error_name(e));
    memset(g_check, 0, sizeof(g_check));
    e = disk.read(lba, kPatternSectors, g_check);
    uint32_t same = 0;
    for (uint32_t i = 0; i < kPatternSectors * kSectorBytes; ++i) same += g_check[i] == g_pattern[i];
    print("blktest: read back: %s, %u of %lu bytes match\n", abi::error_name(e), same, kPatternSectors * kSectorBytes);
    if (same != kPatternSectors * kSectorBytes) ++failures;
    print("blktest: flush: %s\n", abi::error_name(disk.flush()));

    // (6) Bad requests get errors, and the driver carries on.
    print("blktest: read past the end: %s\n", abi::error_name(disk.read(g.sectors - 1, 2, g_check)));
    print("blktest: read at sector 2^40: %s\n", abi::error_name(disk.read(1ull << 40, 1, g_check)));
    using namespace abi::window_rights;
    constexpr uint32_t kWords = sizeof(Request) / 8;
    Request too_many{1, 0, kMaxSectors + 1, 0};
    print("blktest: %u-sector request: %s\n", kMaxSectors + 1,
          abi::error_name(raw_status(ata, kRead, too_many, kWords, sizeof(g_check), kServerWrites)));
    print("blktest: read lending no window: %s\n", abi::error_name(raw_status(ata, kRead, Request{3, 0, 1, 0}, kWords, 0, 0)));
    print("blktest: read into a window a sector short: %s\n",
          abi::error_name(raw_status(ata, kRead, Request{4, 0, 2, 0}, kWords, kSectorBytes, kServerWrites)));
    // A write whose window the driver may not read never reaches the disk.
    Request last{2, g.sectors - 1, 1, 0};
    print("blktest: write from a window the driver may only write: %s\n",
          abi::error_name(raw_status(ata, kWrite, last, kWords, kSectorBytes, kServerWrites)));
    print("blktest: short request message: %s\n",
          abi::error_name(raw_status(ata, kRead, Request{5, 0, 1, 0}, 2, kSectorBytes, kServerWrites)));
    // An unknown label gets the service framework's error reply: the error in word 0.
    ipc::Result r = ipc::call(ata, ipc::make(99, 1, 0));
    print("blktest: unknown label: %s\n", abi::error_name(r.ok() ? static_cast<abi::Error>(r.message.words[0]) : r.error));
    e = disk.read(0, 4, g_check);
    bool same_start = e == abi::Error::None && memcmp(g_check, g_disk, 4 * kSectorBytes) == 0;
    print("blktest: reads still work: %s\n", same_start ? "yes" : "no");
    if (!same_start) ++failures;
    print("blktest: %lu retries; %s\n", disk.retries(), failures ? "FAILED" : "done");
    return failures ? 1 : 0;
}

int loop(abi::CapSlot ata, uint64_t ms)
{
    Client disk(ata);
    Geometry g{};
    if (abi::Error e = disk.geometry(g); e != abi::Error::None || g.sectors < 2 * kReference) {
        print("blktest: loop: geometry: %s\n", abi::error_name(e));
        return 1;
    }
    // (1) The reference: what the first sectors hold.
    if (abi::Error e = disk.read(0, kReference, g_disk); e != abi::Error::None) {
        print("blktest: loop: reference read: %s\n", abi::error_name(e));
        return 1;
    }
    print("blktest: loop: sectors 0..%lu: fnv1a64 %016lx\n", kReference - 1, fnv1a64(g_disk, kReference * kSectorBytes));
    // (2) Reads of 1..40 sectors compared with it; every fourth round, a write of the pattern to
    // the last 64 sectors, read back.
    uint64_t reads = 0, writes = 0, bad = 0, errors = 0;
    uint64_t deadline = sys::clock_ns() + ms * 1000000;
    uint64_t seen_retries = disk.retries();
    for (uint64_t i = 0; sys::clock_ns() < deadline; ++i) {
        if (disk.retries() != seen_retries) {
            print("blktest: loop: round %lu: a request was re-issued (%lu retries so far)\n", i, disk.retries());
            seen_retries = disk.retries();
        }
        uint64_t count = 1 + (i * 7) % 40;
        if (i % 4 == 3) {
            uint64_t lba = g.sectors - 64 + (i * 5) % (64 - count);
            fill_pattern(lba, count, g_pattern);
            abi::Error we = disk.write(lba, count, g_pattern);
            abi::Error re = disk.read(lba, count, g_check);
            ++writes;
            if (we != abi::Error::None || re != abi::Error::None) {
                print("blktest: loop: write %lu+%lu: %s, read: %s\n", lba, count, abi::error_name(we), abi::error_name(re));
                ++errors;
            } else if (memcmp(g_check, g_pattern, count * kSectorBytes) != 0) {
                print("blktest: loop: sectors %lu+%lu read back wrong\n", lba, count);
                ++bad;
            }
            continue;
        }
        uint64_t lba = (i * 97) % (kReference - count);
        abi::Error e = disk.read(lba, count, g_check);
        ++reads;
        if (e != abi::Error::None) {
            print("blktest: loop: read %lu+%lu: %s\n", lba, count, abi::error_name(e));
            ++errors;
        } else if (memcmp(g_check, g_disk + lba * kSectorBytes, count * kSectorBytes) != 0) {
            print("blktest: loop: sectors %lu+%lu differ\n", lba, count);
            ++bad;
        }
    }
    print("blktest: loop: %lu reads, %lu writes, %lu errors, %lu wrong, %lu retries\n", reads, writes, errors, bad,
          disk.retries());
    return errors || bad ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    abi::CapSlot ata = find_ata();
    if (!ata) {
        print("blktest: cannot look up ata\n");
        return 1;
    }
    print("blktest: ata is up\n");
    if (argc > 2 && strcmp(argv[1], "loop") == 0) return loop(ata, number(argv[2]));
    return check(ata, argc > 1 ? number(argv[1]) : kMaxRead, argc > 2 ? number(argv[2]) : 0);
}
