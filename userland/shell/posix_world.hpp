/// \file posix_world.hpp
/// \brief Joining the POSIX world: the shell, started by init, becomes a process of `proc` with descriptors in `fs`.
///
/// init starts the shell from a boot module, so `proc` does not know it. To start programs from
/// the disk, open files and make pipes, the shell looks up proc's endpoint through RS and calls
/// libc's posix_join(): proc then gives it a pid, capabilities to itself and to fs (in the
/// fixed slots protocol::proc::kSlotProc and kSlotFs), and fs gives it the console on
/// descriptors 0, 1 and 2, which the shell hands to the programs it starts. The prompt and the
/// line editor keep using the console devices directly (console.hpp, sources.hpp), so the
/// shell works the same with or without proc; without it, only builtins run.
#pragma once

namespace posix_world {

/// Puts placeholders in the slots posix_join() fills, so no capability the shell receives
/// before joining (every lookup lands in the lowest free slot) is overwritten by the join.
/// Call it first thing.
void reserve_slots();

/// Joins proc if it runs, waiting a few seconds if RS is still starting it. Quiet: the caller
/// reports "no process manager". \return whether the shell is a POSIX process (now or already).
bool join();

/// Whether join() has succeeded.
bool joined();

/// After a restart of fs (fresh mode) the shell's descriptors are gone, and its programs would
/// inherit closed 0, 1 and 2. Like init with a getty, the shell opens /dev/console again for
/// each of 0, 1, 2 that is no longer open, and says so once per loss.
void restore_terminal();

/// proc answered ESRCH: it no longer knows the shell (restarted, it starts with an empty
/// table). The next join() joins again; the working directory is "/" then.
void forget();

} // namespace posix_world
