/// \file layout.hpp
/// \brief The ext2 on-disk format: byte offsets of the fields Samsara reads, feature bits, and little-endian loads.
///
/// Fields are named as in Linux's `fs/ext2/ext2.h` (s_magic, i_block, rec_len, ...). Everything is
/// read a byte at a time through load_u16()/load_u32(), so no access depends on a buffer's
/// alignment and no packed structs are needed; the writer will use store_u16()/store_u32().
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ext2::layout {

// ---- superblock: 1024 bytes at byte 1024 of the device --------------------------------------
inline constexpr uint64_t kSuperblockOffset = 1024;
inline constexpr uint32_t kSuperblockSize = 1024;
inline constexpr size_t s_inodes_count = 0;
inline constexpr size_t s_blocks_count = 4;
inline constexpr size_t s_free_blocks_count = 12;
inline constexpr size_t s_free_inodes_count = 16;
inline constexpr size_t s_first_data_block = 20;
inline constexpr size_t s_log_block_size = 24;
inline constexpr size_t s_blocks_per_group = 32;
inline constexpr size_t s_inodes_per_group = 40;
inline constexpr size_t s_magic = 56;                 // u16
inline constexpr size_t s_state = 58;                 // u16
inline constexpr size_t s_rev_level = 76;
inline constexpr size_t s_first_ino = 84;             // revision 1 only
inline constexpr size_t s_inode_size = 88;            // u16, revision 1 only
inline constexpr size_t s_feature_compat = 92;
inline constexpr size_t s_feature_incompat = 96;
inline constexpr size_t s_feature_ro_compat = 100;
inline constexpr size_t s_volume_name = 120;          // 16 bytes

inline constexpr uint16_t kMagic = 0xEF53;
inline constexpr uint32_t kRevisionGoodOld = 0;       // Fixed 128-byte inodes, first inode 11.
inline constexpr uint32_t kRevisionDynamic = 1;       // Inode size and features in the superblock.
inline constexpr uint32_t kGoodOldInodeSize = 128;
inline constexpr uint32_t kGoodOldFirstInode = 11;

// Incompatible features: a reader that does not know one must not mount at all.
inline constexpr uint32_t kIncompatCompression = 0x0001;
inline constexpr uint32_t kIncompatFiletype = 0x0002;    // Directory entries carry a type byte.
inline constexpr uint32_t kIncompatRecover = 0x0004;     // A journal needs replaying (ext3).
inline constexpr uint32_t kIncompatJournalDev = 0x0008;
inline constexpr uint32_t kIncompatMetaBg = 0x0010;
inline constexpr uint32_t kIncompatExtents = 0x0040;
inline constexpr uint32_t kIncompat64bit = 0x0080;
inline constexpr uint32_t kIncompatFlexBg = 0x0200;
inline constexpr uint32_t kIncompatInlineData = 0x8000;
/// The incompatible features this code implements.
inline constexpr uint32_t kIncompatSupported = kIncompatFiletype;

// Read-only-compatible features: an unknown one still allows a read-only mount.
inline constexpr uint32_t kRoCompatSparseSuper = 0x0001;  // Backup superblocks in few groups.
inline constexpr uint32_t kRoCompatLargeFile = 0x0002;    // i_size_high holds bits 32..63.
/// The read-only-compatible features a writer would preserve correctly.
inline constexpr uint32_t kRoCompatSupported = kRoCompatSparseSuper | kRoCompatLargeFile;

// ---- block group descriptor: 32 bytes each, in the blocks after the superblock's ------------
inline constexpr uint32_t kGroupDescriptorSize = 32;
inline constexpr size_t bg_block_bitmap = 0;
inline constexpr size_t bg_inode_bitmap = 4;
inline constexpr size_t bg_inode_table = 8;
inline constexpr size_t bg_free_blocks_count = 12;    // u16
inline constexpr size_t bg_free_inodes_count = 14;    // u16
inline constexpr size_t bg_used_dirs_count = 16;      // u16

// ---- inode: the first 128 bytes of each inode_size slot in the inode table ------------------
inline constexpr size_t i_mode = 0;                   // u16
inline constexpr size_t i_uid = 2;                    // u16
inline constexpr size_t i_size = 4;
inline constexpr size_t i_atime = 8;
inline constexpr size_t i_ctime = 12;
inline constexpr size_t i_mtime = 16;
inline constexpr size_t i_dtime = 20;
inline constexpr size_t i_gid = 24;                   // u16
inline constexpr size_t i_links_count = 26;           // u16
inline constexpr size_t i_blocks = 28;                // In 512-byte sectors.
inline constexpr size_t i_flags = 32;
inline constexpr size_t i_block = 40;                 // 15 u32 block pointers.
inline constexpr size_t i_file_acl = 104;             // Extended-attribute block, or 0.
inline constexpr size_t i_size_high = 108;            // Regular files with LARGE_FILE.
inline constexpr uint32_t kInlineSymlinkMax = 60;     // A shorter symlink target lives in i_block.

inline constexpr uint32_t kDirectBlocks = 12;         // i_block[0..11]
inline constexpr uint32_t kSingleIndirect = 12;       // i_block[12]
inline constexpr uint32_t kDoubleIndirect = 13;       // i_block[13]
inline constexpr uint32_t kTripleIndirect = 14;       // i_block[14]
inline constexpr uint32_t kBlockPointers = 15;

inline constexpr uint32_t kInodeFlagIndex = 0x00001000;      // Hashed directory (readable as linear).
inline constexpr uint32_t kInodeFlagExtents = 0x00080000;    // ext4 extent tree in i_block.
inline constexpr uint32_t kInodeFlagInlineData = 0x10000000; // Data inside the inode.

// The type field of i_mode (the top four bits).
inline constexpr uint16_t kModeTypeMask = 0xF000;
inline constexpr uint16_t kModeFifo = 0x1000;
inline constexpr uint16_t kModeCharDevice = 0x2000;
inline constexpr uint16_t kModeDirectory = 0x4000;
inline constexpr uint16_t kModeBlockDevice = 0x6000;
inline constexpr uint16_t kModeRegular = 0x8000;
inline constexpr uint16_t kModeSymlink = 0xA000;
inline constexpr uint16_t kModeSocket = 0xC000;

// ---- directory entry: {inode, rec_len, name_len, file_type, name[name_len]} -----------------
inline constexpr size_t d_inode = 0;
inline constexpr size_t d_rec_len = 4;                // u16
inline constexpr size_t d_name_len = 6;               // u8 (u16 without the FILETYPE feature)
inline constexpr size_t d_file_type = 7;              // u8 with the FILETYPE feature
inline constexpr size_t d_name = 8;
inline constexpr uint32_t kDirEntryHeaderSize = 8;

inline uint16_t load_u16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }

inline uint32_t load_u32(const uint8_t* p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

inline void store_u16(uint8_t* p, uint16_t v)
{
    p[0] = uint8_t(v);
    p[1] = uint8_t(v >> 8);
}

inline void store_u32(uint8_t* p, uint32_t v)
{
    for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}

} // namespace ext2::layout
