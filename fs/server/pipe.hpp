/// \file pipe.hpp
/// \brief Pipes: a ring buffer in the server per pipe, with readers and writers parked while it is empty or full.
///
/// A pipe holds kPipeBytes. Its two ends are open file descriptions (FileKind::PipeRead and
/// PipeWrite), counted here. POSIX behaviour:
///  - read: the bytes there are (up to the length asked); none and writers left: the reader is
///    parked until data comes or the last writer closes; none and no writers: 0, end of file;
///  - write: no readers: EPIPE; a write of at most kPipeBytes (PIPE_BUF) goes in whole
///    (atomic) when there is room for all of it, else the writer is parked until there is, or
///    gets EPIPE when the last reader closes; a longer write moves kPipeBytes at a time (the
///    reply says how many; libc's write() asks again for the rest).
/// The bytes move straight between the pipe and the callers' windows (window.hpp), also for
/// parked calls, through their saved reply capabilities.
#pragma once

#include "ipc.hpp"
#include <stdint.h>

namespace fs::pipes {

inline constexpr uint32_t kPipeBytes = 4096;
inline constexpr uint32_t kMaxPipes = 48;

/// A new pipe with one read and one write end. \return its index, or -1 when all are in use.
int32_t create();

/// Reads for client `badge`: the reply now, or no_reply() when the call was parked.
ipc::Message read(uint32_t label, uint64_t badge, uint32_t pipe, uint32_t length);
/// Writes for client `badge`: the reply now, or no_reply() when the call was parked.
ipc::Message write(uint32_t label, uint64_t badge, uint32_t pipe, uint32_t length);

/// An end's last description closed: parked callers on the other side get their answer (EOF
/// or EPIPE). The pipe is freed when both ends are closed.
void close_end(uint32_t pipe, bool reader);

/// Bytes waiting in the pipe (fstat's size).
uint32_t buffered(uint32_t pipe);

} // namespace fs::pipes
