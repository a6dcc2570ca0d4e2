/// \file sha256.hpp
/// \brief SHA-256 (FIPS 180-4), incremental: update with any number of pieces, then finish.
#pragma once

#include <stddef.h>
#include <stdint.h>

class Sha256 {
public:
    Sha256();
    void update(const void* data, size_t length);
    /// The 32-byte digest. The object must not be updated afterwards.
    void finish(uint8_t digest[32]);
    /// The digest as 64 lowercase hex digits and a NUL.
    void finish_hex(char hex[65]);

private:
    void compress(const uint8_t block[64]);

    uint32_t m_state[8];
    uint8_t m_block[64];
    size_t m_used = 0;        ///< Bytes waiting in m_block.
    uint64_t m_length = 0;    ///< Bytes hashed so far.
};
