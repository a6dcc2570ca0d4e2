/// \file block_device.hpp
/// \brief The block-device interface the ext2 code reads and writes through: a RAM image in tests, the ATA block client later.
#pragma once

#include "lib/result.hpp"
#include <stddef.h>
#include <stdint.h>

namespace ext2 {

/// A random-access device read in whole blocks of a size the caller chooses.
///
/// The ext2 code learns its block size only from the superblock, so the size travels with each
/// request: the superblock is read as block 1 of 1024 bytes, everything after it in file-system
/// blocks; the writer (writer.hpp) also writes the superblock that way.
class BlockDevice {
public:
    /// The device's length in bytes.
    virtual uint64_t size_bytes() const = 0;

    /// Reads bytes [index * block_size, (index + 1) * block_size) into `buffer`.
    ///
    /// \param index      Which block, counted in `block_size` units.
    /// \param block_size 1024, 2048 or 4096.
    /// \param buffer     At least `block_size` bytes.
    /// \return Nothing, or the device's error (InvalidArgument for a block past the end; a
    ///         driver's error such as PeerDied is passed through unchanged).
    virtual Result<void> read_block(uint64_t index, uint32_t block_size, uint8_t* buffer) = 0;

    /// Writes `data` (`block_size` bytes) to bytes [index * block_size, (index + 1) * block_size).
    /// The default refuses: a device that does not override it is read-only.
    /// \return Nothing, InvalidArgument for a block past the end, InsufficientRights for a
    ///         read-only device, or the driver's error passed through unchanged.
    virtual Result<void> write_block(uint64_t index, uint32_t block_size, const uint8_t* data)
    {
        (void)index;
        (void)block_size;
        (void)data;
        return Error::InsufficientRights;
    }

protected:
    ~BlockDevice() = default;
};

/// A device over bytes already in memory (a disk image in a test, a fuzzer's input).
///
/// Requests past the end fail and are counted, so a test can assert that the file system never
/// asked for a block it had not first checked to lie on the device. Made over const bytes it is
/// read-only; made over mutable bytes it is writable.
class MemoryBlockDevice final : public BlockDevice {
public:
    /// A read-only device. \param data The image; it must outlive the device.
    /// \param size The image's length in bytes.
    MemoryBlockDevice(const uint8_t* data, size_t size) : m_data(data), m_size(size) {}
    /// A writable device over `data`, which must outlive it.
    MemoryBlockDevice(uint8_t* data, size_t size) : m_data(data), m_writable(data), m_size(size) {}

    uint64_t size_bytes() const override { return m_size; }

    Result<void> read_block(uint64_t index, uint32_t block_size, uint8_t* buffer) override
    {
        // Checked as a division so a huge index cannot overflow the multiplication.
        if (block_size == 0 || index >= m_size / block_size) {
            ++m_out_of_range;
            return Error::InvalidArgument;
        }
        const uint8_t* from = m_data + index * block_size;
        for (uint32_t i = 0; i < block_size; ++i) buffer[i] = from[i];
        ++m_reads;
        return {};
    }

    Result<void> write_block(uint64_t index, uint32_t block_size, const uint8_t* data) override
    {
        if (block_size == 0 || index >= m_size / block_size) {
            ++m_out_of_range;
            return Error::InvalidArgument;
        }
        if (m_writable == nullptr) return Error::InsufficientRights;
        uint8_t* to = m_writable + index * block_size;
        for (uint32_t i = 0; i < block_size; ++i) to[i] = data[i];
        ++m_writes;
        return {};
    }

    /// How many requests asked for a block beyond the end (a file-system bug if ever non-zero).
    uint64_t out_of_range_requests() const { return m_out_of_range; }
    /// How many blocks were read successfully.
    uint64_t reads() const { return m_reads; }
    /// How many blocks were written successfully.
    uint64_t writes() const { return m_writes; }

private:
    const uint8_t* m_data;
    uint8_t* m_writable = nullptr;
    size_t m_size;
    uint64_t m_out_of_range = 0;
    uint64_t m_reads = 0;
    uint64_t m_writes = 0;
};

} // namespace ext2
