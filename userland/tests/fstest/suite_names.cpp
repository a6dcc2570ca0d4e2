/// \file suite_names.cpp
/// \brief fstest, part 1: path rules and errors, and rename.
#include "check.hpp"
#include "print.hpp"

namespace fstest {

void run_paths()
{
    Fs& p = proc;
    status("mkdir /t", p.mkdir("/t"));
    status("mkdir /t again", p.mkdir("/t"));
    status("open empty path", p.open("", flags::kReadOnly));
    status("open /t/nope", p.open("/t/nope", flags::kReadOnly));
    status("open /t/nope/x", p.open("/t/nope/x", flags::kReadOnly));
    status("mkdir /nope/x", p.mkdir("/nope/x"));

    // A path field with no NUL in its 240 bytes is too long; 239 bytes is the longest path.
    PathRequest req{};
    memset(req.path, 'a', sizeof(req.path));
    status("stat of a 240-byte path", p.raw_path(kStat, req));
    status("open of a 240-byte path", p.raw_path(kOpen, req));
    req.path[kPathMax] = '\0';
    status("stat of a 239-byte path", p.raw_path(kStat, req));

    // A file used as a directory.
    StatReply st{};
    status("open /hello.txt/x", p.open("/hello.txt/x", flags::kReadOnly));
    status("stat /hello.txt/", p.stat("/hello.txt/", st));
    status("mkdir /hello.txt/x", p.mkdir("/hello.txt/x"));
    status("chdir /hello.txt", p.chdir("/hello.txt"));
    status("chdir /nope", p.chdir("/nope"));

    // ".." at the root stays there; "." and ".." inside paths.
    status("stat /..", p.stat("/..", st));
    value("inode of /..", int64_t(st.inode));
    status("stat /../../hello.txt", p.stat("/../../hello.txt", st));
    value("size of /../../hello.txt", int64_t(st.size));

    // The working directory.
    char cwd[kPathBytes];
    status("chdir /t", p.chdir("/t"));
    value("getcwd length", p.getcwd(cwd));
    line("getcwd is '%s'", cwd);
    status("mkdir sub (relative)", p.mkdir("sub", 0700));
    status("chdir sub/../sub/.", p.chdir("sub/../sub/."));
    p.getcwd(cwd);
    line("getcwd is '%s'", cwd);
    status("stat ../../hello.txt (relative)", p.stat("../../hello.txt", st));
    value("size", int64_t(st.size));
    status("chdir ../../../../..", p.chdir("../../../../.."));
    p.getcwd(cwd);
    line("getcwd is '%s'", cwd);
    status("stat /t/sub", p.stat("/t/sub", st));
    line("mode of /t/sub: %s, links %u", octal(st.mode), st.links);
    status("stat /t", p.stat("/t", st));
    line("links of /t: %u", st.links);

    // Removing: the right error for each mismatch.
    status("rmdir /", p.rmdir("/"));
    status("rmdir /t (not empty)", p.rmdir("/t"));
    status("rmdir /t/sub/.", p.rmdir("/t/sub/."));
    status("rmdir /t/sub/..", p.rmdir("/t/sub/.."));
    status("rmdir /hello.txt", p.rmdir("/hello.txt"));
    status("unlink /t", p.unlink("/t"));
    status("unlink /", p.unlink("/"));
    status("unlink /nope", p.unlink("/nope"));
    status("rmdir /nope", p.rmdir("/nope"));
    status("rmdir /t/sub", p.rmdir("/t/sub"));
    status("stat /t/sub", p.stat("/t/sub", st));

    // A removed working directory: relative paths and getcwd give ENOENT.
    status("mkdir /t/gone", p.mkdir("/t/gone"));
    status("chdir /t/gone", p.chdir("/t/gone"));
    status("rmdir /t/gone (the working directory)", p.rmdir("/t/gone"));
    status("getcwd in a removed directory", p.getcwd(cwd));
    status("open x O_CREAT in a removed directory", p.open("x", flags::kCreate | flags::kWriteOnly));
    status("chdir /", p.chdir("/"));
    p.getcwd(cwd);
    line("getcwd is '%s'", cwd);
}

namespace {

/// Writes `text` as a new file.
void put(const char* path, const char* text)
{
    int64_t fd = proc.open(path, flags::kCreate | flags::kWriteOnly | flags::kTruncate);
    if (fd < 0 || proc.write(int32_t(fd), text, uint32_t(strlen(text))) != int64_t(strlen(text))) fail(path);
    proc.close(int32_t(fd));
}

/// Prints a file's text.
void show(const char* path)
{
    char text[64] = {};
    int64_t fd = proc.open(path, flags::kReadOnly);
    int64_t n = fd < 0 ? fd : proc.read(int32_t(fd), text, sizeof(text) - 1);
    if (fd >= 0) proc.close(int32_t(fd));
    if (n < 0) value(path, n);
    else line("%s holds '%s'", path, text);
}

} // namespace

void run_rename()
{
    Fs& p = proc;
    StatReply st{};
    put("/t/r1", "one");
    status("rename /t/r1 /t/r2", p.rename("/t/r1", "/t/r2"));
    status("stat /t/r1", p.stat("/t/r1", st));
    show("/t/r2");
    put("/t/r3", "three");
    status("rename /t/r2 /t/r3 (replaces a file)", p.rename("/t/r2", "/t/r3"));
    status("stat /t/r2", p.stat("/t/r2", st));
    show("/t/r3");
    status("rename /t/r3 /t/r3", p.rename("/t/r3", "/t/r3"));
    show("/t/r3");

    // Directories.
    status("mkdir /t/da", p.mkdir("/t/da"));
    status("mkdir /t/da/sub", p.mkdir("/t/da/sub"));
    put("/t/da/sub/f", "in sub");
    status("rename /t/da /t/db", p.rename("/t/da", "/t/db"));
    show("/t/db/sub/f");
    status("stat /t/db/sub/..", p.stat("/t/db/sub/..", st));
    StatReply db{};
    p.stat("/t/db", db);
    line("/t/db/sub/.. is /t/db: %s", st.inode == db.inode ? "yes" : "no");
    status("rename /t/db /t/db/sub/x (into itself)", p.rename("/t/db", "/t/db/sub/x"));
    status("rename /t/db /t/db/x (into itself)", p.rename("/t/db", "/t/db/x"));
    status("rename /t/db /t/r3 (directory onto a file)", p.rename("/t/db", "/t/r3"));
    status("rename /t/r3 /t/db (file onto a directory)", p.rename("/t/r3", "/t/db"));
    status("mkdir /t/dc", p.mkdir("/t/dc"));
    status("mkdir /t/dc/x", p.mkdir("/t/dc/x"));
    status("rename /t/db /t/dc (onto a directory that is not empty)", p.rename("/t/db", "/t/dc"));
    status("rmdir /t/dc/x", p.rmdir("/t/dc/x"));
    status("rename /t/db /t/dc (onto an empty directory)", p.rename("/t/db", "/t/dc"));
    show("/t/dc/sub/f");
    status("stat /t/db", p.stat("/t/db", st));

    // Missing ends, and what cannot be renamed.
    status("rename /t/nope /t/x", p.rename("/t/nope", "/t/x"));
    status("rename /t/r3 /nope/x", p.rename("/t/r3", "/nope/x"));
    status("rename /t/r3 /t/r3/x", p.rename("/t/r3", "/t/r3/x"));
    status("rename /t/r3 /t/newname/ (a file to a directory name)", p.rename("/t/r3", "/t/newname/"));
    status("rename / /x", p.rename("/", "/x"));
    status("rename /t/. /t/y", p.rename("/t/.", "/t/y"));
    status("rename /t/r3 /dev/r3", p.rename("/t/r3", "/dev/r3"));
    status("rename /dev/null /t/null", p.rename("/dev/null", "/t/null"));

    // A working directory that moves keeps working, and getcwd follows it.
    char cwd[kPathBytes];
    status("chdir /t/dc/sub", p.chdir("/t/dc/sub"));
    status("rename /t/dc /t/dd", p.rename("/t/dc", "/t/dd"));
    p.getcwd(cwd);
    line("getcwd is '%s'", cwd);
    show("f");
    status("chdir /", p.chdir("/"));
}

} // namespace fstest
