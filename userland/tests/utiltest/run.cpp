/// \file run.cpp
/// \brief One script line: split into words and redirections, spawned from /bin with its output in files, waited for, and its output printed.
#include "print.hpp"
#include "sys.hpp"
#include "utiltest.hpp"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr int kMaxWords = 32;
const char kOut[] = "/tmp/utiltest.out";
const char kErr[] = "/tmp/utiltest.err";

struct Command {
    char* argv[kMaxWords + 1];
    int argc = 0;
    const char* in = nullptr;     ///< "< file"
    const char* out = nullptr;    ///< "> file" or ">> file"
    bool append = false;
    const char* err = nullptr;    ///< "2> file"
    bool err_to_out = false;      ///< "2>&1"
};

/// Splits `line` in place. Double quotes keep spaces inside a word ("" is an empty word).
bool parse(char* line, Command& c)
{
    char* p = line;
    const char** pending = nullptr;  // The redirection waiting for its file name.
    while (*p) {
        while (*p == ' ') ++p;
        if (!*p) break;
        char* word = p;
        char* w = p;
        while (*p && *p != ' ') {
            if (*p == '"') {
                ++p;
                while (*p && *p != '"') *w++ = *p++;
                if (*p) ++p;
            } else {
                *w++ = *p++;
            }
        }
        if (*p) ++p;
        *w = '\0';
        if (pending) {
            *pending = word;
            pending = nullptr;
        } else if (strcmp(word, "<") == 0) {
            pending = &c.in;
        } else if (strcmp(word, ">") == 0 || strcmp(word, ">>") == 0) {
            c.append = word[1] == '>';
            pending = &c.out;
        } else if (strcmp(word, "2>") == 0) {
            pending = &c.err;
        } else if (strcmp(word, "2>&1") == 0) {
            c.err_to_out = true;
        } else if (c.argc < kMaxWords) {
            c.argv[c.argc++] = word;
        } else {
            return false;
        }
    }
    c.argv[c.argc] = nullptr;
    return !pending && c.argc > 0;
}

/// Prints file `path` as "utiltest: <stream>| line" lines.
void print_file(const char* path, char stream)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return;
    static char text[64 * 1024];
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, text + used, sizeof(text) - used);
        if (n <= 0) break;
        used += static_cast<size_t>(n);
        if (used == sizeof(text)) break;
    }
    close(fd);
    char whole[] = "utiltest: 1| ";
    char part[] = "utiltest: 1% ";
    whole[10] = part[10] = stream;
    size_t start = 0;
    for (size_t i = 0; i < used; ++i) {
        if (text[i] != '\n') continue;
        print_escaped(whole, text + start, i - start);
        start = i + 1;
    }
    if (start < used) print_escaped(part, text + start, used - start);
}

int open_output(const char* path, bool append)
{
    int fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
    if (fd < 0) print("utiltest: %s: %s\n", path, strerror(errno));
    return fd;
}

} // namespace

void print_escaped(const char* prefix, const char* text, unsigned long n)
{
    static char line[4 * 1024 + 64];
    size_t at = 0;
    for (const char* p = prefix; *p; ++p) line[at++] = *p;
    for (unsigned long i = 0; i < n && at < sizeof(line) - 8; ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\\') {
            line[at++] = '\\';
            line[at++] = '\\';
        } else if (c >= 0x20 && c < 0x7f) {
            line[at++] = static_cast<char>(c);
        } else {
            at += static_cast<size_t>(snprintf(line + at, 8, "\\x%02x", c));
        }
    }
    line[at++] = '\n';
    sys::debug_write(line, at);
}

void run_line(const char* text)
{
    // "$$" is utiltest's own pid (for commands about a process that is not the child's).
    char line[512];
    size_t at = 0;
    for (const char* p = text; *p && at < sizeof(line) - 16; ++p) {
        if (p[0] == '$' && p[1] == '$') {
            at += static_cast<size_t>(snprintf(line + at, 16, "%d", getpid()));
            ++p;
        } else {
            line[at++] = *p;
        }
    }
    line[at] = '\0';
    Command c;
    if (!parse(line, c)) {
        print("utiltest: cannot parse the line\n");
        return;
    }
    char path[256];
    if (strchr(c.argv[0], '/')) strlcpy(path, c.argv[0], sizeof(path));
    else snprintf(path, sizeof(path), "/bin/%s", c.argv[0]);

    // The child's descriptors: files opened here, handed over by spawn, closed here after.
    int in = c.in ? open(c.in, O_RDONLY) : -1;
    if (c.in && in < 0) {
        print("utiltest: %s: %s\n", c.in, strerror(errno));
        return;
    }
    int out = open_output(c.out ? c.out : kOut, c.out && c.append);
    int err = c.err_to_out ? out : open_output(c.err ? c.err : kErr, false);
    int fds[3] = {in, out, err};
    char* envp[] = {const_cast<char*>("PATH=/bin"), const_cast<char*>("HOME=/"), nullptr};
    pid_t pid = spawn(path, c.argv, envp, fds);
    int spawn_error = errno;
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    if (err >= 0 && err != out) close(err);
    if (pid < 0) {
        print("utiltest: spawn: %s\n", strerror(spawn_error));
        return;
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
        print("utiltest: waitpid: %s\n", strerror(errno));
        return;
    }
    if (!c.out) print_file(kOut, '1');
    if (!c.err && !c.err_to_out) print_file(kErr, '2');
    if (WIFEXITED(status)) print("utiltest: exit %d\n", WEXITSTATUS(status));
    else print("utiltest: signal %d\n", WTERMSIG(status));
}
