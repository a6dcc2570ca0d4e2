/// \file checks.cpp
/// \brief utiltest's built-in checks of libc itself: the heap under a random workload, stdio on a file, the environment, and processes ended by signals.
#include "print.hpp"
#include "sys.hpp"
#include "utiltest.hpp"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

uint64_t g_random = 0x9e3779b97f4a7c15ull;

uint64_t next_random()
{
    g_random ^= g_random >> 12;
    g_random ^= g_random << 25;
    g_random ^= g_random >> 27;
    return g_random * 2685821657736338717ull;
}

constexpr int kSlots = 128;

struct Slot {
    unsigned char* data;
    size_t size;
    unsigned char seed;
};

void fill(Slot& s, size_t from)
{
    for (size_t i = from; i < s.size; ++i) s.data[i] = static_cast<unsigned char>(s.seed + i * 7);
}

bool intact(const Slot& s, size_t length)
{
    for (size_t i = 0; i < length; ++i)
        if (s.data[i] != static_cast<unsigned char>(s.seed + i * 7)) return false;
    return true;
}

size_t random_size()
{
    // Mostly small, sometimes large: both the free list and the top of the heap get used.
    uint64_t r = next_random();
    return r % 16 == 0 ? 1 + (r >> 8) % 16000 : 1 + (r >> 8) % 500;
}

} // namespace

void check_malloc()
{
    static Slot slots[kSlots];
    int operations = 0, wrong = 0, failed = 0;
    // Kept light (well under a second): a CPU-bound check would starve the services it needs.
    for (; operations < 2000; ++operations) {
        Slot& s = slots[next_random() % kSlots];
        if (!s.data) {
            s.size = random_size();
            s.seed = static_cast<unsigned char>(next_random());
            s.data = static_cast<unsigned char*>(malloc(s.size));
            if (!s.data) ++failed;
            else if (reinterpret_cast<uintptr_t>(s.data) % 16 != 0) ++wrong;
            else fill(s, 0);
            continue;
        }
        if (!intact(s, s.size)) ++wrong;
        if (next_random() % 3 == 0) {
            // realloc keeps the old bytes (up to the smaller size) wherever the block goes.
            size_t size = random_size();
            auto* grown = static_cast<unsigned char*>(realloc(s.data, size));
            if (!grown) {
                ++failed;
                continue;
            }
            s.data = grown;
            size_t kept = size < s.size ? size : s.size;
            if (!intact(s, kept)) ++wrong;
            s.size = size;
            fill(s, kept);
        } else {
            free(s.data);
            s.data = nullptr;
        }
    }
    for (Slot& s : slots) {
        if (s.data && !intact(s, s.size)) ++wrong;
        free(s.data);
        s.data = nullptr;
    }
    print("utiltest: malloc: %d operations, %d wrong, %d failed\n", operations, wrong, failed);
    // With everything freed, the heap has shrunk back: one block of most of the 1 MiB arena fits.
    void* big = malloc(900u << 10);
    print("utiltest: malloc: 900 KiB after freeing everything: %s\n", big ? "ok" : "NULL");
    free(big);
    errno = 0;
    void* huge = malloc(2u << 20);
    print("utiltest: malloc: 2 MiB: %s, %s\n", huge ? "not NULL" : "NULL", posix::errno_name(errno));
    // calloc clears memory that was used before.
    auto* dirty = static_cast<unsigned char*>(malloc(1000));
    memset(dirty, 0xff, 1000);
    free(dirty);
    auto* clean = static_cast<unsigned char*>(calloc(250, 4));
    bool zero = clean != nullptr;
    for (int i = 0; zero && i < 1000; ++i) zero = clean[i] == 0;
    free(clean);
    print("utiltest: malloc: calloc zeroed: %s\n", zero ? "yes" : "no");
}

void check_stdio()
{
    FILE* f = fopen("/tmp/stdio.txt", "w");
    if (!f) return (void)print("utiltest: stdio: fopen w: %s\n", strerror(errno));
    for (int i = 0; i < 200; ++i) fprintf(f, "line %03d %s\n", i, "abcdefghij");
    print("utiltest: stdio: fclose: %d\n", fclose(f));
    struct stat st;
    stat("/tmp/stdio.txt", &st);
    print("utiltest: stdio: size %ld\n", st.st_size);

    f = fopen("/tmp/stdio.txt", "r");
    if (!f) return (void)print("utiltest: stdio: fopen r: %s\n", strerror(errno));
    char line[64], expected[64];
    int lines = 0, wrong = 0;
    while (fgets(line, sizeof(line), f)) {
        snprintf(expected, sizeof(expected), "line %03d abcdefghij\n", lines++);
        if (strcmp(line, expected) != 0) ++wrong;
    }
    print("utiltest: stdio: read %d lines, %d wrong, eof %d\n", lines, wrong, feof(f));
    fseek(f, 20 * 100, SEEK_SET);
    fgets(line, sizeof(line), f);
    line[strcspn(line, "\n")] = '\0';
    long at = ftell(f);
    ungetc('X', f);
    int x = fgetc(f);
    int next = fgetc(f);
    print("utiltest: stdio: after seek '%s', ftell %ld, ungetc %c, then %c\n", line, at, x, next);
    char block[30];
    size_t got = fread(block, 1, sizeof(block), f);
    print("utiltest: stdio: fread %zu bytes, ftell %ld\n", got, ftell(f));
    fclose(f);

    f = fopen("/tmp/stdio.txt", "a");
    fputs("tail\n", f);
    fclose(f);
    stat("/tmp/stdio.txt", &st);
    print("utiltest: stdio: after append size %ld\n", st.st_size);
    errno = 0;
    f = fopen("/tmp/no/such/file", "r");
    print("utiltest: stdio: fopen missing: %s, %s\n", f ? "not NULL" : "NULL", strerror(errno));

    char small[8];
    int n = snprintf(small, sizeof(small), "%s", "0123456789");
    print("utiltest: stdio: snprintf %d '%s'\n", n, small);

    // The environment: utiltest started with none (init's argument string has no block).
    setenv("COLOR", "red", 0);
    setenv("COLOR", "blue", 0);
    const char* kept = getenv("COLOR");
    setenv("COLOR", "green", 1);
    const char* replaced = getenv("COLOR");
    unsetenv("COLOR");
    print("utiltest: env: %s %s %s\n", kept, replaced, getenv("COLOR") ? "still set" : "gone");
    print("utiltest: stdio: stdout %s\n", isatty(1) ? "is the console" : "is not the console");
}

void check_signals()
{
    // (1) cat reads a pipe that stays open: it runs until it is killed.
    int p[2];
    if (pipe(p) != 0) return (void)print("utiltest: signals: pipe: %s\n", strerror(errno));
    int out = open("/tmp/cat.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fds[3] = {p[0], out, out};
    char* argv[] = {const_cast<char*>("cat"), nullptr};
    pid_t pid = spawn("/bin/cat", argv, nullptr, fds);
    close(p[0]);
    close(out);
    if (pid < 0) return (void)print("utiltest: signals: spawn: %s\n", strerror(errno));
    write(p[1], "ping\n", 5);
    // Wait until cat has copied the line, so the kill below cannot race it.
    struct stat st{};
    for (int i = 0; i < 500 && (stat("/tmp/cat.out", &st) != 0 || st.st_size < 5); ++i) sys::sleep_ns(10000000);
    int status = 0;
    print("utiltest: signals: cat copied %ld bytes; waitpid WNOHANG: %d\n", st.st_size, waitpid(pid, &status, WNOHANG));
    print("utiltest: signals: kill TERM: %d\n", kill(pid, SIGTERM));
    pid_t ended = waitpid(pid, &status, 0);
    print("utiltest: signals: waitpid: %s, signaled %d, signal %d\n", ended == pid ? "the child" : "?",
          WIFSIGNALED(status) ? 1 : 0, WTERMSIG(status));
    errno = 0;
    int again = kill(pid, SIGKILL);
    print("utiltest: signals: kill it again: %d %s\n", again, posix::errno_name(errno));
    close(p[1]);

    // (2) cat reads a pipe whose writer goes away: end of file, exit 0.
    pipe(p);
    out = open("/tmp/cat.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fds2[3] = {p[0], out, out};
    pid = spawn("/bin/cat", argv, nullptr, fds2);
    close(p[0]);
    close(out);
    write(p[1], "pong\n", 5);
    close(p[1]);
    waitpid(pid, &status, 0);
    stat("/tmp/cat.out", &st);
    print("utiltest: signals: cat after its writer closed: exited %d, code %d, %ld bytes\n", WIFEXITED(status) ? 1 : 0,
          WEXITSTATUS(status), st.st_size);

    // (3) The errors.
    errno = 0;
    pid_t none = waitpid(-1, &status, 0);
    print("utiltest: signals: waitpid with no children: %d %s\n", none, posix::errno_name(errno));
    errno = 0;
    int self = kill(getpid(), SIGTERM);
    print("utiltest: signals: kill self: %d %s\n", self, posix::errno_name(errno));
}

namespace {

/// Prints "utiltest: files: LABEL: RESULT ERRNO" for a call that returns an int or ssize_t.
void show(const char* label, long result)
{
    print("utiltest: files: %s: %ld %s\n", label, result, result < 0 ? posix::errno_name(errno) : "-");
}

} // namespace

void check_files()
{
    const char* path = "/tmp/files.txt";
    errno = 0;
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0640);
    show("open create", fd >= 0 ? 0 : fd);
    show("write", write(fd, "0123456789", 10));
    show("lseek end", lseek(fd, 0, SEEK_END));
    show("lseek set 3", lseek(fd, 3, SEEK_SET));
    char buffer[16] = {};
    show("read 4", read(fd, buffer, 4));
    print("utiltest: files: read '%s'\n", buffer);
    show("lseek bad whence", lseek(fd, 0, 7));
    show("ftruncate 6", ftruncate(fd, 6));
    struct stat st{};
    fstat(fd, &st);
    char mode[16];
    snprintf(mode, sizeof(mode), "%o", st.st_mode & 07777);  // print() has no %o; libc's printf has.
    print("utiltest: files: size %ld, mode %s, regular %d\n", st.st_size, mode, S_ISREG(st.st_mode) ? 1 : 0);
    int copy = dup(fd);
    show("dup", copy > fd ? 1 : copy);
    show("dup2 to 9", dup2(fd, 9));
    show("lseek through dup2", lseek(9, 1, SEEK_SET));
    show("offset shared", lseek(fd, 0, SEEK_CUR));
    show("close dup", close(copy));
    show("close 9", close(9));
    show("close 9 again", close(9));
    show("read closed", read(9, buffer, 1));
    errno = 0;
    int tty = isatty(fd);
    print("utiltest: files: isatty file: %d %s\n", tty, posix::errno_name(errno));
    print("utiltest: files: isatty console: %d\n", isatty(0));
    close(fd);
    show("truncate 2", truncate(path, 2));
    stat(path, &st);
    print("utiltest: files: size after truncate %ld\n", st.st_size);
    fd = open(path, O_WRONLY);
    show("read write-only", read(fd, buffer, 1));
    close(fd);
    fd = open(path, O_RDONLY);
    show("write read-only", write(fd, "x", 1));
    close(fd);
    show("open excl existing", open(path, O_WRONLY | O_CREAT | O_EXCL, 0644));
    show("open directory flag on a file", open(path, O_RDONLY | O_DIRECTORY));
    show("open missing", open("/tmp/none", O_RDONLY));
    show("open through a file", open("/tmp/files.txt/x", O_RDONLY));
    show("open empty path", open("", O_RDONLY));
    char long_path[300];
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    long_path[sizeof(long_path) - 1] = '\0';
    show("open long path", open(long_path, O_RDONLY));
    show("access F_OK", access(path, F_OK));
    show("access X_OK", access(path, X_OK));
    show("unlink a directory", unlink("/tmp"));
    show("rmdir a file", rmdir(path));
    show("rename to a new name", rename(path, "/tmp/files2.txt"));
    show("stat old name", stat(path, &st));
    show("unlink", unlink("/tmp/files2.txt"));
    show("unlink again", unlink("/tmp/files2.txt"));
    show("chdir to a file", chdir("/hello.txt"));
    char small[1];
    show("getcwd too small", getcwd(small, sizeof(small)) ? 0 : -1);
}
