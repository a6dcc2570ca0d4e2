/// \file errors.hpp
/// \brief The error codes every system call can return, shared by the kernel and user space.
///
/// A system call returns a signed 64-bit value: zero or more is success, and a negative value is
/// `-static_cast<int64_t>(Error::X)`. Inside the kernel errors travel as `Result<T>` values and are
/// turned into numbers only at the system-call boundary. The numbering is ABI: append, never renumber.
#pragma once

#include <stdint.h>

namespace abi {

/// Every distinct failure a system call can report.
enum class Error : int64_t {
    None = 0,
    InvalidArgument = 1,    ///< An argument is out of range or malformed.
    BadAddress = 2,         ///< A user pointer is not mapped, not writable, or not in user space.
    NoSuchSyscall = 3,      ///< The system-call number is not in the table.
    NoMemory = 4,           ///< The kernel ran out of frames or object slots.
    NotFound = 5,           ///< A named thing (boot module, process) does not exist.
    BadFormat = 6,          ///< Malformed input data, such as a bad ELF image.
    NoChild = 7,            ///< wait() on a process that is not a child of the caller.
    InvalidCapability = 8,  ///< The capability slot is empty or out of range.
    WrongType = 9,          ///< The capability names an object of another type.
    InsufficientRights = 10,///< The capability lacks a right the operation needs.
    TableFull = 11,         ///< The capability table has no free slot.
    Revoked = 12,           ///< The capability was revoked.
    PeerDied = 13,          ///< The other end of an IPC died while we waited for it.
    MessageTooLong = 14,    ///< More message words than an IPC can carry.
    TooManyCapabilities = 15,///< More capabilities than an IPC can carry.
    WouldBlock = 16,        ///< A non-blocking operation could not complete at once.
    Busy = 17,              ///< The object is already in use.
    ReplyDropped = 18,      ///< The server took another call before answering this one.
};

/// Number of values in Error, for tables indexed by error.
inline constexpr int64_t kErrorCount = 19;

/// A short, stable name for an error ("BadAddress"), for logs and test output.
constexpr const char* error_name(Error e)
{
    switch (e) {
    case Error::None: return "None";
    case Error::InvalidArgument: return "InvalidArgument";
    case Error::BadAddress: return "BadAddress";
    case Error::NoSuchSyscall: return "NoSuchSyscall";
    case Error::NoMemory: return "NoMemory";
    case Error::NotFound: return "NotFound";
    case Error::BadFormat: return "BadFormat";
    case Error::NoChild: return "NoChild";
    case Error::InvalidCapability: return "InvalidCapability";
    case Error::WrongType: return "WrongType";
    case Error::InsufficientRights: return "InsufficientRights";
    case Error::TableFull: return "TableFull";
    case Error::Revoked: return "Revoked";
    case Error::PeerDied: return "PeerDied";
    case Error::MessageTooLong: return "MessageTooLong";
    case Error::TooManyCapabilities: return "TooManyCapabilities";
    case Error::WouldBlock: return "WouldBlock";
    case Error::Busy: return "Busy";
    case Error::ReplyDropped: return "ReplyDropped";
    }
    return "Unknown";
}

} // namespace abi
