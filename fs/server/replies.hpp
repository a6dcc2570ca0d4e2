/// \file replies.hpp
/// \brief Building the protocol's replies: the usual Reply, and an error in whichever reply struct a label answers with.
#pragma once

#include "ipc.hpp"
#include "protocols/errno.hpp"
#include "protocols/fs.hpp"

namespace fs {

/// A Reply: status and up to two values.
ipc::Message reply(uint32_t label, int32_t status, int64_t value = 0, int64_t value2 = 0);

/// The answer to a read or write: `bytes` moved, or `status` alone when it is an error.
ipc::Message count_reply(uint32_t label, int32_t status, int64_t bytes);

/// `status` in the reply struct `label` answers with (StatReply for kStat, ...), zero elsewhere,
/// so a client can always read a reply of the size it expects.
ipc::Message error_reply(uint32_t label, int32_t status);

/// The reply of a parked call: nothing goes back now (the caller's reply was saved).
ipc::Message no_reply();

} // namespace fs
