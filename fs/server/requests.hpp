/// \file requests.hpp
/// \brief One handler per request label of protocols/fs.hpp, called by the dispatcher in main.cpp with a message of the right size and its client.
///
/// Each returns the reply (replies.hpp), or no_reply() when the call was parked. The handlers
/// are grouped by what they work on: descriptors (requests_fd.cpp), what a descriptor refers
/// to (requests_info.cpp), names in the tree (requests_names.cpp), and the server as a whole
/// (requests_control.cpp).
#pragma once

#include "files.hpp"
#include "ipc.hpp"

namespace fs::requests {

// Descriptors: requests_fd.cpp.
ipc::Message do_open(const ipc::Message& m, Client& c);
ipc::Message do_close(const ipc::Message& m, Client& c);
ipc::Message do_read(const ipc::Message& m, Client& c);
ipc::Message do_write(const ipc::Message& m, Client& c);
ipc::Message do_seek(const ipc::Message& m, Client& c);
ipc::Message do_ftruncate(const ipc::Message& m, Client& c);
ipc::Message do_dup(const ipc::Message& m, Client& c);
ipc::Message do_dup2(const ipc::Message& m, Client& c);
ipc::Message do_pipe(const ipc::Message& m, Client& c);

// What a descriptor refers to: requests_info.cpp.
ipc::Message do_fstat(const ipc::Message& m, Client& c);
ipc::Message do_readdir(const ipc::Message& m, Client& c);

// Names: requests_names.cpp.
ipc::Message do_stat(const ipc::Message& m, Client& c);
ipc::Message do_mkdir(const ipc::Message& m, Client& c);
ipc::Message do_rmdir(const ipc::Message& m, Client& c);
ipc::Message do_unlink(const ipc::Message& m, Client& c);
ipc::Message do_rename(const ipc::Message& m, Client& c);
ipc::Message do_truncate(const ipc::Message& m, Client& c);
ipc::Message do_chdir(const ipc::Message& m, Client& c);
ipc::Message do_getcwd(const ipc::Message& m, Client& c);

// The server: requests_control.cpp.
ipc::Message do_sync(const ipc::Message& m);
ipc::Message do_statfs(const ipc::Message& m);
/// kNewClient; `pending_delete` receives the capability slot to delete once the reply is sent.
ipc::Message do_new_client(const ipc::Message& m, abi::CapSlot& pending_delete);
ipc::Message do_client_exit(const ipc::Message& m);
ipc::Message do_clients(const ipc::Message& m);

/// Fills `out` for a node (stat, fstat). \return 0 or EIO.
posix::Errno stat_node(const Node& node, const ext2::Inode& inode, protocol::fs::StatReply& out);

} // namespace fs::requests
