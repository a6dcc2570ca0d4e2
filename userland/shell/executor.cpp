/// \file executor.cpp
/// \brief Running parsed pipelines: redirections, pipes, builtins inside the shell, programs through proc, waiting, `$?`.
///
/// A line runs in two passes (parser.hpp): its syntax is checked whole, then each pipeline is
/// parsed, expanded and run in turn. A pipeline of one builtin (or of assignments alone) runs
/// in the shell, with its output redirected through console::redirect. Anything else needs
/// processes, started like this:
///
///  (1) For each command, left to right: make the pipe to the next command; open the
///      command's redirections, in order, over the descriptors it inherits; start a program
///      with spawn(), handing proc the three descriptors; close the shell's copies at once,
///      so a reader sees end-of-file when its writers end.
///  (2) Builtins in the pipeline run after every program has started (a builtin writing into
///      a pipe before its reader exists would fill it and wait forever, the shell being one
///      thread). A builtin never reads, so its input pipe is closed at once, and output that
///      would go to another builtin goes nowhere.
///  (3) Wait for every program; `$?` is the last command's status: its exit code, 128 + the
///      signal that killed it, 126 if it could not be started, 127 if it does not exist.
#include "executor.hpp"
#include "commands.hpp"
#include "console.hpp"
#include "lib/format.hpp"
#include "parser.hpp"
#include "posix_world.hpp"
#include "protocols/fs.hpp"
#include "variables.hpp"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

namespace shell {

namespace {

constexpr int kMaxEnvironment = 48;  ///< Entries in a program's environment.
constexpr int kNoInput = -1;         ///< A builtin's input after a builtin: nothing.

int g_status = 0;
bool g_exit_requested = false;
int g_exit_code = 0;
Pipeline g_pipeline;  // Large (tens of KiB): static, not on the stack.

/// One command of a pipeline while it is being started.
struct Stage {
    Command* command;
    const Builtin* builtin;   ///< nullptr: a program, or a command of assignments/redirections only.
    int fds[3];               ///< What it gets as 0, 1, 2: the shell's descriptors, or console::kDiscard.
    int input_pipe;           ///< The pipe it reads from (the shell's copy), or -1.
    int owned[kMaxRedirections + 1];  ///< Descriptors opened for it: closed once it has started.
    int owned_count;
    pid_t pid;                ///< The program started, or 0.
    int status;               ///< A builtin's status, or why the program did not start.
    bool deferred;            ///< A builtin to run once every program has started.
};

Stage g_stages[kMaxStages];

/// A fresh stage for `c`, with the shell's own 0, 1 and 2 (the console).
void prepare(Stage& s, Command& c)
{
    s = Stage{};
    s.command = &c;
    s.builtin = c.argc > 0 ? find_builtin(c.argv[0]) : nullptr;
    s.fds[0] = 0;
    s.fds[1] = 1;
    s.fds[2] = 2;
    s.input_pipe = -1;
}

/// Where console output for descriptor `fd` goes: the shell's own 0, 1, 2 are the console,
/// which the shell reaches through the devices directly.
int console_target(int fd) { return fd >= 0 && fd <= 2 ? console::kDevices : fd; }

void close_input(Stage& s)
{
    if (s.input_pipe >= 0) close(s.input_pipe);
    s.input_pipe = -1;
}

/// Closes the shell's copies of what the stage was given.
void release(Stage& s)
{
    close_input(s);
    for (int i = 0; i < s.owned_count; ++i) close(s.owned[i]);
    s.owned_count = 0;
}

/// Opens the command's redirections in order (so `> f 2>&1` sends both to f, and `2>&1 > f`
/// only the output). \return false, after saying why, if one cannot be opened.
bool open_redirections(Stage& s)
{
    const Command& c = *s.command;
    for (int i = 0; i < c.redirection_count; ++i) {
        const Redirection& r = c.redirections[i];
        if (r.kind == RedirectKind::Duplicate) {
            s.fds[r.fd] = s.fds[r.from];
            continue;
        }
        if (!posix_world::join()) {
            console::error("shell: %s: no process manager\n", r.target);
            return false;
        }
        int flags = r.kind == RedirectKind::Input    ? O_RDONLY
                    : r.kind == RedirectKind::Output ? O_WRONLY | O_CREAT | O_TRUNC
                                                     : O_WRONLY | O_CREAT | O_APPEND;
        int fd = open(r.target, flags, 0644);
        if (fd < 0) {
            console::error("shell: %s: %s\n", r.target, strerror(errno));
            return false;
        }
        s.owned[s.owned_count++] = fd;
        s.fds[r.fd] = fd;
    }
    return true;
}

void run_builtin(Stage& s)
{
    console::redirect(console_target(s.fds[1]), console_target(s.fds[2]));
    s.status = s.builtin->run(s.command->argc, s.command->argv);
    console::redirect(console::kDevices, console::kDevices);
}

/// The environment for a program: the shell's, with the command's own NAME=value words on top.
/// \return false if it does not fit in `out` (kMaxEnvironment entries and a NULL).
bool build_environment(const Command& c, char* (&out)[kMaxEnvironment + 1])
{
    int n = 0;
    for (char** e = environ; e && *e; ++e) {
        if (n == kMaxEnvironment) return false;
        out[n++] = *e;
    }
    for (int i = 0; i < c.assignment_count; ++i) {
        char* a = c.assignments[i];
        size_t name = static_cast<size_t>(strchr(a, '=') - a) + 1;  // "NAME=" (the parser checked the '=')
        int at = 0;
        while (at < n && strncmp(out[at], a, name) != 0) ++at;
        if (at == kMaxEnvironment) return false;
        out[at] = a;
        if (at == n) ++n;
    }
    out[n] = nullptr;
    return true;
}

/// Says why a program did not start (where its errors would have gone) and sets its status.
void spawn_failed(Stage& s, const char* name, int error)
{
    console::redirect(console::kDevices, console_target(s.fds[2]));
    if (error == ENOENT && !strchr(name, '/')) console::error("shell: %s: command not found\n", name);
    else console::error("shell: %s: %s\n", name, strerror(error));
    console::redirect(console::kDevices, console::kDevices);
    s.status = error == ENOENT ? 127 : 126;
}

// [shell-spawn]
/// Starts the stage's program: /bin/NAME for a plain name, else the path as given (proc
/// resolves a relative one from the shell's working directory).
void spawn_program(Stage& s)
{
    const Command& c = *s.command;
    const char* name = c.argv[0];
    char path[protocol::fs::kPathBytes];
    if (strchr(name, '/')) {
        if (strlen(name) >= sizeof(path)) return spawn_failed(s, name, ENAMETOOLONG);
        strlcpy(path, name, sizeof(path));
    } else if (format(path, sizeof(path), "/bin/%s", name) >= sizeof(path)) {
        return spawn_failed(s, name, ENAMETOOLONG);
    }
    char* environment[kMaxEnvironment + 1];
    if (!build_environment(c, environment)) return spawn_failed(s, name, E2BIG);
    pid_t pid = spawn(path, c.argv, environment, s.fds);
    if (pid < 0) {
        int error = errno;
        // A restarted proc has forgotten the shell: the next command joins it afresh.
        if (error == ESRCH) posix_world::forget();
        return spawn_failed(s, name, error);
    }
    s.pid = pid;
}
// [shell-spawn]

/// What a shell prints for a child killed by `signal` (bash's words).
const char* signal_message(int signal)
{
    switch (signal) {
    case SIGHUP: return "Hangup";
    case SIGINT: return "Interrupt";
    case SIGQUIT: return "Quit";
    case SIGILL: return "Illegal instruction";
    case SIGTRAP: return "Trace/breakpoint trap";
    case SIGABRT: return "Aborted";
    case SIGBUS: return "Bus error";
    case SIGFPE: return "Floating point exception";
    case SIGKILL: return "Killed";
    case SIGSEGV: return "Segmentation fault";
    case SIGTERM: return "Terminated";
    }
    return nullptr;
}

void wait_for(Stage& s)
{
    int wstatus = 0;
    if (waitpid(s.pid, &wstatus, 0) < 0) {
        console::error("shell: waiting for %s: %s\n", s.command->argv[0], strerror(errno));
        s.status = 1;
        return;
    }
    if (!WIFSIGNALED(wstatus)) {
        s.status = WEXITSTATUS(wstatus);
        return;
    }
    int signal = WTERMSIG(wstatus);
    s.status = 128 + signal;
    // A writer whose reader went away ends quietly, as in other shells.
    if (signal == SIGPIPE) return;
    if (const char* message = signal_message(signal)) console::error("%s\n", message);
    else console::error("Killed by signal %d\n", signal);
}

/// Whether the command is a program (started through proc). Only programs read their input:
/// builtins and commands without a name never do.
bool is_program(const Command& c) { return c.argc > 0 && !find_builtin(c.argv[0]); }

/// Starts every command of the pipeline, runs its builtins, waits. \return `$?`.
int run_processes(Pipeline& p)
{
    int started = 0;
    int input = 0;  // The first command reads the shell's console.
    bool broken = false;
    for (int i = 0; i < p.count && !broken; ++i, ++started) {
        Stage& s = g_stages[i];
        prepare(s, p.commands[i]);
        s.fds[0] = input;
        s.input_pipe = input > 2 ? input : -1;
        input = kNoInput;
        if (i + 1 < p.count) {
            if (!is_program(*s.command) && !is_program(p.commands[i + 1])) {
                // Between commands that run in the shell (a builtin's output into another
                // builtin, which reads nothing): no pipe, the output goes nowhere.
                s.fds[1] = console::kDiscard;
            } else {
                int ends[2];
                if (pipe(ends) != 0) {
                    console::error("shell: pipe: %s\n", strerror(errno));
                    s.status = 1;
                    release(s);
                    broken = true;  // The commands after this one are not started.
                    continue;
                }
                s.owned[s.owned_count++] = ends[1];
                s.fds[1] = ends[1];
                input = ends[0];
            }
        }
        // A builtin or a nameless command reads nothing: its input closes now, so a program
        // writing into it sees a broken pipe instead of filling it.
        if (!is_program(*s.command)) close_input(s);
        if (!open_redirections(s)) {
            s.status = 1;
            release(s);
        } else if (s.builtin && s.builtin->changes_shell) {
            // As in a subshell: cd, exit, export and unset in a pipeline change nothing.
            release(s);
        } else if (s.builtin) {
            s.deferred = true;
        } else if (s.command->argc == 0) {
            release(s);  // Assignments alone, in a pipeline: they change nothing either.
        } else {
            spawn_program(s);
            release(s);
        }
    }

    for (int i = 0; i < started; ++i) {
        if (!g_stages[i].deferred) continue;
        run_builtin(g_stages[i]);
        release(g_stages[i]);
    }
    for (int i = 0; i < started; ++i)
        if (g_stages[i].pid > 0) wait_for(g_stages[i]);
    return broken ? 1 : g_stages[p.count - 1].status;
}

/// A command with no name: its redirections are opened (creating files) and closed, then its
/// assignments set shell variables.
int run_assignments(Command& c)
{
    Stage s;
    prepare(s, c);
    bool opened = open_redirections(s);
    release(s);
    if (!opened) return 1;
    int status = 0;
    for (int i = 0; i < c.assignment_count; ++i)
        if (!variables::assign(c.assignments[i])) status = 1;
    return status;
}

int run_pipeline(Pipeline& p)
{
    // A lone builtin, or a command of assignments alone, runs in the shell itself.
    if (p.count == 1) {
        Command& c = p.commands[0];
        if (c.argc == 0) return run_assignments(c);
        if (find_builtin(c.argv[0])) {
            Stage& s = g_stages[0];
            prepare(s, c);
            if (!open_redirections(s)) {
                release(s);
                return 1;
            }
            run_builtin(s);
            release(s);
            return s.status;
        }
    }
    // Programs need proc; a pipeline of builtins alone does not (it makes no pipes).
    for (int i = 0; i < p.count; ++i) {
        if (!is_program(p.commands[i]) || posix_world::join()) continue;
        console::error("shell: %s: no process manager\n", p.commands[i].argv[0]);
        return 127;
    }
    if (posix_world::joined()) posix_world::restore_terminal();
    return run_processes(p);
}

} // namespace

int last_status() { return g_status; }

void request_exit(int code)
{
    g_exit_requested = true;
    g_exit_code = code;
}

int exit_code() { return g_exit_code; }

bool run_line(const char* line)
{
    // (1) The whole line's syntax first: a mistake anywhere runs nothing.
    Parser checker(line, nullptr);
    Parser::Outcome outcome;
    while ((outcome = checker.next(g_pipeline)) == Parser::Outcome::Pipeline) {
    }
    if (outcome == Parser::Outcome::Error) {
        console::error("shell: %s\n", checker.message());
        g_status = 2;
        return true;
    }

    // (2) Pipeline by pipeline, each expanded with the status and variables the ones before
    // it left. After `a && b` or `a || b`, b runs or not by the status of the last one run.
    Expansion expansion{g_status, variables::lookup};
    Parser parser(line, &expansion);
    bool run = true;
    for (;;) {
        expansion.status = g_status;
        outcome = parser.next(g_pipeline);
        if (outcome == Parser::Outcome::End) break;
        if (outcome == Parser::Outcome::Error) {
            console::error("shell: %s\n", parser.message());
            g_status = 1;
            break;
        }
        if (run) g_status = run_pipeline(g_pipeline);
        if (g_exit_requested) return false;
        Connector next = g_pipeline.next;
        run = next == Connector::Sequence || (next == Connector::And && g_status == 0) ||
              (next == Connector::Or && g_status != 0);
    }
    return true;
}

} // namespace shell
