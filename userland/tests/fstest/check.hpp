/// \file check.hpp
/// \brief fstest's shared pieces: the clients it talks through, result lines, the data patterns the host recomputes, and child processes.
#pragma once

#include "fsclient.hpp"
#include <stdint.h>

namespace fstest {

/// The clients: `svc` is fstest itself as a service (its capability from RS's lookup); `proc`
/// is a process client (pid kPid) it made with kNewClient, as the process manager would.
extern Fs svc;
extern Fs proc;
inline constexpr uint64_t kPid = 7001;
inline constexpr abi::CapSlot kSlotRs = 3;
inline constexpr abi::CapSlot kSlotImage = 4;  ///< fstest's own program image, for children.

/// "fstest: <what>: OK" for r >= 0, else the errno's name.
void status(const char* what, int64_t r);
/// "fstest: <what>: <r>" for r >= 0, else the errno's name.
void value(const char* what, int64_t r);
/// printf-style "fstest: ..." line.
void line(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// `v` in octal ("100644"), in a static buffer: one use per line printed.
const char* octal(uint32_t v);
/// Counts a failed expectation of the program itself (a wrong byte read back, ...) and says so.
void fail(const char* what);
int failures();

/// Byte `i` of the test pattern `seed` (tests/system/test_fs.py computes the same).
inline uint8_t pattern(uint64_t i, uint32_t seed)
{
    return uint8_t(i * 131 + seed * 17 + (i >> 9) * 7 + (i >> 17) * 3);
}
uint64_t fnv1a64(const uint8_t* data, uint64_t length, uint64_t h = 0xcbf29ce484222325ull);

/// Writes `length` pattern bytes from offset `start` of the pattern, in kDataBytes calls.
/// \return bytes written, or -errno.
int64_t write_pattern(Fs& fs, int32_t fd, uint64_t start, uint64_t length, uint32_t seed);
/// Reads to the end, comparing with the pattern from `start`; \return bytes read or -errno,
/// and in `mismatches` how many bytes differed.
int64_t check_pattern(Fs& fs, int32_t fd, uint64_t start, uint32_t seed, uint64_t& mismatches);
/// Reads a whole file; \return its length and FNV-1a 64 in `hash`, or -errno.
int64_t hash_file(Fs& fs, const char* path, uint64_t& hash);

/// Starts a copy of fstest as `fstest child ARGS...` with `fs_cap` as its slot 3.
/// \return its pid, or -1.
int64_t spawn_child(abi::CapSlot fs_cap, const char* args);
/// Waits for child `pid`; \return its exit code (or -1).
int64_t wait_child(int64_t pid);

/// Milliseconds since `start_ns`.
uint64_t elapsed_ms(uint64_t start_ns);

// The parts of the suite.
void run_paths();
void run_files();
void run_dup();
void run_rename();
void run_unlink_open();
void run_readdir();
void run_big_files();
void run_pipes();
void run_children();
void run_devices();
void run_control();
void run_statfs_and_sync();

// The other modes.
int run_child(int argc, char** argv);
int run_verify(int argc, char** argv);
int run_damaged(int argc, char** argv);
int run_console();
int run_recovery(int argc, char** argv);
int run_restart();

} // namespace fstest
