/// \file disk.cpp
/// \brief ATA register protocol for the primary master: reset, IDENTIFY, READ/WRITE DMA (EXT) or READ/WRITE SECTORS (EXT), FLUSH CACHE (EXT).
#include "disk.hpp"
#include "buffer.hpp"
#include "busmaster.hpp"
#include "ports.hpp"
#include "protocols/block.hpp"
#include "sys.hpp"
#include "wait.hpp"

namespace ata {

namespace {

using io::inb;
using io::outb;

// Command block (0x1f0..0x1f7) and control block (0x3f6) registers.
constexpr uint16_t kData = 0x1f0;
constexpr uint16_t kSectorCount = 0x1f2;
constexpr uint16_t kLbaLow = 0x1f3;
constexpr uint16_t kLbaMid = 0x1f4;
constexpr uint16_t kLbaHigh = 0x1f5;
constexpr uint16_t kDevice = 0x1f6;
constexpr uint16_t kStatus = 0x1f7;   // read: status (reading it clears INTRQ)
constexpr uint16_t kCommand = 0x1f7;  // write
constexpr uint16_t kAltStatus = 0x3f6;  // read: status without side effects
constexpr uint16_t kControl = 0x3f6;    // write: device control

constexpr uint8_t kBusy = 0x80;
constexpr uint8_t kDeviceFault = 0x20;
constexpr uint8_t kDataRequest = 0x08;
constexpr uint8_t kError = 0x01;

constexpr uint8_t kSoftReset = 0x04;  // device control: SRST
constexpr uint8_t kMasterLba = 0xe0;  // device: LBA addressing, master (bits 7 and 5 obsolete, set)

constexpr uint8_t kIdentify = 0xec;
constexpr uint8_t kReadSectors = 0x20;
constexpr uint8_t kReadSectorsExt = 0x24;
constexpr uint8_t kWriteSectors = 0x30;
constexpr uint8_t kWriteSectorsExt = 0x34;
constexpr uint8_t kReadDma = 0xc8;
constexpr uint8_t kReadDmaExt = 0x25;
constexpr uint8_t kWriteDma = 0xca;
constexpr uint8_t kWriteDmaExt = 0x35;
constexpr uint8_t kFlushCache = 0xe7;
constexpr uint8_t kFlushCacheExt = 0xea;

constexpr uint64_t kPollNs = 10000000;       // Look at the status at least every 10 ms.
constexpr uint64_t kCommandNs = 2000000000;  // A sector, a DMA transfer or a flush that takes longer: give up.
constexpr uint32_t kSectorWords = 256;
constexpr uint64_t kLba28Limit = 1ull << 28;

/// The 400 ns a drive may take to show a new status after a command or a device select.
void settle()
{
    for (int i = 0; i < 4; ++i) (void)inb(kAltStatus);
}

// [ata-wait-not-busy]
/// Waits until BSY clears or `deadline` passes. \return The status register (read, so INTRQ
/// is lowered), or kTimedOut.
abi::Error wait_not_busy(uint64_t deadline, uint8_t& status)
{
    for (;;) {
        if (!(inb(kAltStatus) & kBusy)) {
            status = inb(kStatus);
            return abi::Error::None;
        }
        if (sys::clock_ns() >= deadline) return protocol::block::kTimedOut;
        (void)wait::for_irq(kPollNs);
    }
}
// [ata-wait-not-busy]

/// SRST on both drives of the channel, then interrupts on (nIEN clear).
abi::Error reset()
{
    outb(kControl, kSoftReset);
    sys::sleep_ns(10000);  // SRST must be held for at least 5 us.
    outb(kControl, 0);
    sys::sleep_ns(2000000);  // A drive sets BSY within 400 ns, and may keep it for seconds.
    uint8_t status = 0;
    return wait_not_busy(sys::clock_ns() + kCommandNs, status);
}

/// A command that timed out leaves the drive in an unknown state: reset it.
abi::Error timed_out()
{
    (void)reset();
    return protocol::block::kTimedOut;
}

bool failed(uint8_t status) { return status & (kError | kDeviceFault); }

/// Selects the master and loads the task file for `count` sectors at `lba`, then the command.
abi::Error issue(const Drive& d, uint8_t command28, uint8_t command48, uint64_t lba, uint32_t count)
{
    bool lba48 = d.lba48 && (lba + count > kLba28Limit || count > 256);
    outb(kDevice, lba48 ? kMasterLba : static_cast<uint8_t>(kMasterLba | ((lba >> 24) & 0x0f)));
    settle();
    uint8_t status = 0;
    if (wait_not_busy(sys::clock_ns() + kCommandNs, status) != abi::Error::None) return timed_out();
    if (lba48) {
        // The "previous content" bytes first: the high halves of the count and the LBA.
        outb(kSectorCount, static_cast<uint8_t>(count >> 8));
        outb(kLbaLow, static_cast<uint8_t>(lba >> 24));
        outb(kLbaMid, static_cast<uint8_t>(lba >> 32));
        outb(kLbaHigh, static_cast<uint8_t>(lba >> 40));
    }
    outb(kSectorCount, static_cast<uint8_t>(count));  // 0 means 256 (LBA28) or 65536 (LBA48).
    outb(kLbaLow, static_cast<uint8_t>(lba));
    outb(kLbaMid, static_cast<uint8_t>(lba >> 8));
    outb(kLbaHigh, static_cast<uint8_t>(lba >> 16));
    outb(kCommand, lba48 ? command48 : command28);
    settle();
    return abi::Error::None;
}

abi::Error check_range(const Drive& d, uint64_t lba, uint32_t count)
{
    if (!d.present) return abi::Error::NotFound;
    if (count == 0 || count > kMaxTransferSectors || lba >= d.sectors || count > d.sectors - lba) return abi::Error::InvalidArgument;
    return abi::Error::None;
}

/// Copies an IDENTIFY string (two characters per word, the first in the high byte) and drops
/// trailing spaces.
void identify_string(const uint16_t* words, uint32_t count, char* out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < count; ++i) {
        out[n++] = static_cast<char>(words[i] >> 8);
        out[n++] = static_cast<char>(words[i] & 0xff);
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0')) --n;
    out[n] = '\0';
}

} // namespace

abi::Error probe(Drive& d)
{
    d = Drive{};
    // (1) No controller: the bus floats high.
    if (inb(kStatus) == 0xff) return abi::Error::NotFound;
    // (2) A clean slate: the previous instance may have died between a command and its data.
    if (reset() != abi::Error::None) return abi::Error::NotFound;
    // (3) IDENTIFY DEVICE to the master. A status of 0 means nothing is there.
    outb(kDevice, 0xa0);
    settle();
    outb(kSectorCount, 0);
    outb(kLbaLow, 0);
    outb(kLbaMid, 0);
    outb(kLbaHigh, 0);
    outb(kCommand, kIdentify);
    settle();
    if (inb(kAltStatus) == 0) return abi::Error::NotFound;
    uint8_t status = 0;
    if (wait_not_busy(sys::clock_ns() + kCommandNs, status) != abi::Error::None) return abi::Error::NotFound;
    // (4) An ATAPI (CD-ROM) or SATA device aborts IDENTIFY DEVICE and leaves its signature in
    // the LBA registers: not a disk for us.
    if (inb(kLbaMid) != 0 || inb(kLbaHigh) != 0 || failed(status)) return abi::Error::NotFound;
    if (!(status & kDataRequest)) return protocol::block::kIoError;
    uint16_t words[kSectorWords];
    io::insw(kData, words, kSectorWords);

    // (5) Words 60-61: LBA28 sectors; 83 bit 10: LBA48 supported, then 100-103: its sectors.
    d.sectors = words[60] | (static_cast<uint64_t>(words[61]) << 16);
    if (words[83] & (1u << 10)) {
        uint64_t sectors48 = 0;
        for (int i = 3; i >= 0; --i) sectors48 = (sectors48 << 16) | words[100 + i];
        if (sectors48 > d.sectors) {
            d.sectors = sectors48;
            d.lba48 = true;
        }
    }
    // Word 49 bit 8: DMA supported.
    d.dma = words[49] & (1u << 8);
    identify_string(words + 27, 20, d.model);
    d.present = d.sectors > 0;
    return d.present ? abi::Error::None : abi::Error::NotFound;
}

namespace {

// [ata-pio-read]
/// PIO data-in of `count` sectors into `out`, the command issued.
abi::Error pio_read(const Drive& d, uint64_t lba, uint32_t count, uint8_t* out)
{
    if (abi::Error e = issue(d, kReadSectors, kReadSectorsExt, lba, count); e != abi::Error::None) return e;
    // PIO data-in: per sector, the drive raises INTRQ with DRQ set once the data is in its buffer.
    for (uint32_t i = 0; i < count; ++i) {
        uint8_t status = 0;
        if (wait_not_busy(sys::clock_ns() + kCommandNs, status) != abi::Error::None) return timed_out();
        if (failed(status) || !(status & kDataRequest)) return protocol::block::kIoError;
        io::insw(kData, out + static_cast<uint64_t>(i) * protocol::block::kSectorBytes, kSectorWords);
    }
    return abi::Error::None;
}
// [ata-pio-read]

/// PIO data-out of `count` sectors from `in`, the command issued.
abi::Error pio_write(const Drive& d, uint64_t lba, uint32_t count, const uint8_t* in)
{
    if (abi::Error e = issue(d, kWriteSectors, kWriteSectorsExt, lba, count); e != abi::Error::None) return e;
    // PIO data-out: DRQ for the first sector comes without an interrupt; after each sector the
    // drive is busy writing it, then interrupts (with DRQ again while sectors remain).
    for (uint32_t i = 0; i < count; ++i) {
        uint8_t status = 0;
        if (wait_not_busy(sys::clock_ns() + kCommandNs, status) != abi::Error::None) return timed_out();
        if (failed(status) || !(status & kDataRequest)) return protocol::block::kIoError;
        io::outsw(kData, in + static_cast<uint64_t>(i) * protocol::block::kSectorBytes, kSectorWords);
    }
    uint8_t status = 0;
    if (wait_not_busy(sys::clock_ns() + kCommandNs, status) != abi::Error::None) return timed_out();
    return failed(status) ? protocol::block::kIoError : abi::Error::None;
}

// [ata-dma-transfer]
/// One bus-master DMA transfer of `count` sectors between the disk and the transfer buffer:
/// `to_memory` for a read. The steps are numbered as in busmaster.hpp.
abi::Error dma_transfer(const Drive& d, uint64_t lba, uint32_t count, bool to_memory)
{
    // (1) The descriptor table, from physical addresses the kernel reports now, checked.
    uint32_t bytes = count * protocol::block::kSectorBytes;
    if (abi::Error e = busmaster::prepare(bytes, to_memory); e != abi::Error::None) return e;
    // (2) The command: the same choice between LBA28 and LBA48 as for PIO.
    uint8_t command28 = to_memory ? kReadDma : kWriteDma;
    uint8_t command48 = to_memory ? kReadDmaExt : kWriteDmaExt;
    if (abi::Error e = issue(d, command28, command48, lba, count); e != abi::Error::None) return e;
    // (3) The controller moves the data as the drive asks for it.
    busmaster::start();
    // (4) The drive interrupts once all its sectors have moved (or it gave up with an error);
    // the controller latches that in its interrupt bit, and sets its error bit if the memory
    // side failed. The IRQ or the timer only says when to look again.
    uint64_t deadline = sys::clock_ns() + kCommandNs;
    while (!(busmaster::status() & (busmaster::kStatusInterrupt | busmaster::kStatusError))) {
        if (sys::clock_ns() >= deadline) {
            // Stopped first, so the controller touches the buffer no more, then the reset.
            (void)busmaster::stop();
            return timed_out();
        }
        (void)wait::for_irq(kPollNs);
    }
    // (5) The controller stopped, then the drive's status: reading it lowers INTRQ.
    uint8_t controller = busmaster::stop();
    uint8_t status = 0;
    if (wait_not_busy(sys::clock_ns() + kCommandNs, status) != abi::Error::None) return timed_out();
    if ((controller & busmaster::kStatusError) || failed(status) || (status & kDataRequest))
        return protocol::block::kIoError;
    return abi::Error::None;
}
// [ata-dma-transfer]

} // namespace

bool uses_dma(const Drive& d) { return d.dma && busmaster::available(); }

uint8_t* transfer_buffer() { return buffer::data(); }

abi::Error read(const Drive& d, uint64_t lba, uint32_t count)
{
    if (abi::Error e = check_range(d, lba, count); e != abi::Error::None) return e;
    if (uses_dma(d)) return dma_transfer(d, lba, count, true);
    return pio_read(d, lba, count, transfer_buffer());
}

abi::Error write(const Drive& d, uint64_t lba, uint32_t count)
{
    if (abi::Error e = check_range(d, lba, count); e != abi::Error::None) return e;
    if (uses_dma(d)) return dma_transfer(d, lba, count, false);
    return pio_write(d, lba, count, transfer_buffer());
}

abi::Error flush(const Drive& d)
{
    if (!d.present) return abi::Error::NotFound;
    outb(kDevice, kMasterLba);
    settle();
    uint8_t status = 0;
    if (wait_not_busy(sys::clock_ns() + kCommandNs, status) != abi::Error::None) return timed_out();
    outb(kCommand, d.lba48 ? kFlushCacheExt : kFlushCache);
    settle();
    if (wait_not_busy(sys::clock_ns() + kCommandNs, status) != abi::Error::None) return timed_out();
    return failed(status) ? protocol::block::kIoError : abi::Error::None;
}

void on_stray_interrupt()
{
    (void)inb(kStatus);
    wait::acknowledge();
}

} // namespace ata
