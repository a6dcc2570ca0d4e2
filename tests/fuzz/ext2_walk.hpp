/// \file ext2_walk.hpp
/// \brief Walks a mounted ext2 tree within fixed bounds, touching every directory, inode and data byte it may.
///
/// Shared by the libFuzzer harness and the unit tests' corruption sweep. The bounds (entries,
/// depth, bytes) keep a hostile image from making the walk itself long: a directory may list
/// itself or an ancestor, and a sparse file may claim terabytes.
#pragma once

#include "ext2/ext2.hpp"

#include <cstdint>
#include <string>

namespace ext2test {

struct WalkLimits {
    uint32_t max_entries = 2000;        ///< Directory entries looked at in total.
    uint32_t max_depth = 8;             ///< Directory nesting followed.
    uint64_t max_bytes = 1 << 20;       ///< File bytes read in total.
    uint64_t max_bytes_per_file = 64 << 10;
};

struct WalkStats {
    uint32_t entries = 0;
    uint32_t directories = 0;
    uint32_t files = 0;
    uint32_t errors = 0;                ///< Objects that reported an error (damaged ones).
    uint64_t bytes = 0;
    uint64_t checksum = 0;              ///< Of every byte read, so reads are not optimised away.
};

class TreeWalker {
public:
    TreeWalker(ext2::Filesystem& fs, const WalkLimits& limits) : m_fs(fs), m_limits(limits) {}

    /// Walks from the root; also resolves each entry's path and reads each file.
    WalkStats walk()
    {
        auto root = m_fs.read_inode(ext2::kRootInode);
        if (root.is_error()) {
            ++m_stats.errors;
            return m_stats;
        }
        walk_directory(root.value(), "", 0);
        return m_stats;
    }

private:
    void walk_directory(const ext2::Inode& dir, const std::string& path, uint32_t depth)
    {
        ++m_stats.directories;
        ext2::DirectoryReader reader(m_fs, dir);
        ext2::DirEntry entry;
        for (;;) {
            auto more = reader.next(entry);
            if (more.is_error()) {
                ++m_stats.errors;
                return;
            }
            if (!more.value() || m_stats.entries >= m_limits.max_entries) return;
            ++m_stats.entries;
            std::string name(entry.name, entry.name_length);
            if (name == "." || name == "..") continue;
            std::string child_path = path + "/" + name;

            // The same inode by path and by number: both must behave.
            auto by_path = m_fs.resolve(child_path.data(), child_path.size());
            if (by_path.is_error()) ++m_stats.errors;
            auto inode = m_fs.read_inode(entry.inode);
            if (inode.is_error()) {
                ++m_stats.errors;
                continue;
            }
            if (inode.value().is_directory()) {
                if (depth + 1 < m_limits.max_depth) walk_directory(inode.value(), child_path, depth + 1);
            } else {
                read_file(inode.value());
            }
        }
    }

    void read_file(const ext2::Inode& inode)
    {
        ++m_stats.files;
        uint8_t buffer[1500];  // Not a block multiple, so reads straddle block boundaries.
        uint64_t offset = 0;
        while (offset < m_limits.max_bytes_per_file && m_stats.bytes < m_limits.max_bytes) {
            auto n = m_fs.read(inode, offset, buffer, sizeof buffer);
            if (n.is_error()) {
                ++m_stats.errors;
                return;
            }
            if (n.value() == 0) return;
            for (size_t i = 0; i < n.value(); ++i) m_stats.checksum = m_stats.checksum * 31 + buffer[i];
            offset += n.value();
            m_stats.bytes += n.value();
        }
        // Also the far end of a big (often sparse) file, where the indirect levels are.
        if (inode.size > sizeof buffer) {
            auto n = m_fs.read(inode, inode.size - sizeof buffer, buffer, sizeof buffer);
            if (n.is_error()) ++m_stats.errors;
        }
    }

    ext2::Filesystem& m_fs;
    WalkLimits m_limits;
    WalkStats m_stats;
};

} // namespace ext2test
