/// \file main.cpp
/// \brief `ls [-l] [-a] [PATH...]`: lists directories (sorted by name, one per line), or with -l a long listing like `ls -ln --time-style=long-iso` in UTC.
///
/// Like GNU ls: the files named come first, then each directory named; headers ("dir:") appear
/// when more than one thing is listed. Without -a, names starting with '.' are hidden. The long
/// format shows the mode string, links, numeric owner and group, size, modification time and
/// name, with "total N" (1 KiB blocks) above a directory's entries.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

namespace {

bool g_long = false;
bool g_all = false;
int g_status = 0;

struct Entry {
    char* name;       ///< As shown.
    char* path;       ///< As stat'ed.
    struct stat st;
};

void complain(const char* path)
{
    fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
    g_status = 1;
}

int by_name(const void* a, const void* b)
{
    return strcmp(static_cast<const Entry*>(a)->name, static_cast<const Entry*>(b)->name);
}

/// "drwxr-xr-x": the type, then rwx for owner, group and others (with s/S and t/T).
void mode_string(mode_t mode, char out[11])
{
    switch (mode & S_IFMT) {
    case S_IFDIR: out[0] = 'd'; break;
    case S_IFCHR: out[0] = 'c'; break;
    case S_IFBLK: out[0] = 'b'; break;
    case S_IFIFO: out[0] = 'p'; break;
    case S_IFLNK: out[0] = 'l'; break;
    case S_IFSOCK: out[0] = 's'; break;
    default: out[0] = '-'; break;
    }
    const char* rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i) out[1 + i] = mode & (0400 >> i) ? rwx[i] : '-';
    if (mode & S_ISUID) out[3] = mode & S_IXUSR ? 's' : 'S';
    if (mode & S_ISGID) out[6] = mode & S_IXGRP ? 's' : 'S';
    if (mode & S_ISVTX) out[9] = mode & S_IXOTH ? 't' : 'T';
    out[10] = '\0';
}

int digits(unsigned long v)
{
    int n = 1;
    for (; v >= 10; v /= 10) ++n;
    return n;
}

/// Prints entries, in the long format with columns as wide as their widest value.
void print_entries(Entry* entries, size_t count)
{
    if (!g_long) {
        for (size_t i = 0; i < count; ++i) puts(entries[i].name);
        return;
    }
    int links = 1, uid = 1, gid = 1, size = 1;
    for (size_t i = 0; i < count; ++i) {
        const struct stat& st = entries[i].st;
        if (digits(st.st_nlink) > links) links = digits(st.st_nlink);
        if (digits(st.st_uid) > uid) uid = digits(st.st_uid);
        if (digits(st.st_gid) > gid) gid = digits(st.st_gid);
        if (digits(static_cast<unsigned long>(st.st_size)) > size) size = digits(static_cast<unsigned long>(st.st_size));
    }
    for (size_t i = 0; i < count; ++i) {
        const struct stat& st = entries[i].st;
        char mode[11];
        mode_string(st.st_mode, mode);
        struct tm t;
        gmtime_r(&st.st_mtime, &t);
        printf("%s %*lu %*u %*u %*ld %04d-%02d-%02d %02d:%02d %s\n", mode, links, st.st_nlink, uid, st.st_uid, gid,
               st.st_gid, size, st.st_size, t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
               entries[i].name);
    }
}

void free_entries(Entry* entries, size_t count)
{
    for (size_t i = 0; i < count; ++i) {
        free(entries[i].name);
        free(entries[i].path);
    }
    free(entries);
}

/// Appends an entry; false (after complaining) if memory ran out.
bool add(Entry*& entries, size_t& count, size_t& capacity, const char* name, const char* path, const struct stat& st)
{
    if (count == capacity) {
        capacity = capacity ? capacity * 2 : 32;
        Entry* grown = static_cast<Entry*>(realloc(entries, capacity * sizeof(Entry)));
        if (!grown) return false;
        entries = grown;
    }
    entries[count].name = strdup(name);
    entries[count].path = strdup(path);
    entries[count].st = st;
    if (!entries[count].name || !entries[count].path) return false;
    ++count;
    return true;
}

void list_directory(const char* path)
{
    DIR* dir = opendir(path);
    if (!dir) return complain(path);
    Entry* entries = nullptr;
    size_t count = 0, capacity = 0;
    errno = 0;
    while (struct dirent* d = readdir(dir)) {
        if (d->d_name[0] == '.' && !g_all) continue;
        char child[512];
        size_t n = strlen(path);
        snprintf(child, sizeof(child), "%s%s%s", path, n && path[n - 1] == '/' ? "" : "/", d->d_name);
        struct stat st{};
        // Only the long format needs each entry's inode.
        if (g_long && stat(child, &st) != 0) {
            complain(child);
            errno = 0;
            continue;
        }
        if (!add(entries, count, capacity, d->d_name, child, st)) {
            complain(path);
            break;
        }
        errno = 0;
    }
    if (errno != 0) complain(path);
    closedir(dir);
    qsort(entries, count, sizeof(Entry), by_name);
    if (g_long) {
        // GNU's total: the entries' 512-byte blocks in 1 KiB units, rounded up.
        unsigned long blocks = 0;
        for (size_t i = 0; i < count; ++i) blocks += static_cast<unsigned long>(entries[i].st.st_blocks);
        printf("total %lu\n", (blocks + 1) / 2);
    }
    print_entries(entries, count);
    free_entries(entries, count);
}

} // namespace

int main(int argc, char** argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        for (const char* o = argv[i] + 1; *o; ++o) {
            if (*o == 'l') g_long = true;
            else if (*o == 'a') g_all = true;
            else {
                fprintf(stderr, "ls: unknown option -%c\nusage: ls [-l] [-a] [PATH...]\n", *o);
                return 1;
            }
        }
    }
    const char* dot[] = {"."};
    const char* const* paths = i < argc ? const_cast<const char* const*>(argv + i) : dot;
    int path_count = i < argc ? argc - i : 1;

    // Sort the operands into files (listed together first) and directories.
    Entry* files = nullptr;
    Entry* dirs = nullptr;
    size_t file_count = 0, file_capacity = 0, dir_count = 0, dir_capacity = 0;
    for (int p = 0; p < path_count; ++p) {
        struct stat st;
        if (stat(paths[p], &st) != 0) {
            complain(paths[p]);
            continue;
        }
        bool ok = S_ISDIR(st.st_mode) ? add(dirs, dir_count, dir_capacity, paths[p], paths[p], st)
                                      : add(files, file_count, file_capacity, paths[p], paths[p], st);
        if (!ok) complain(paths[p]);
    }
    qsort(files, file_count, sizeof(Entry), by_name);
    qsort(dirs, dir_count, sizeof(Entry), by_name);
    print_entries(files, file_count);
    bool headers = path_count > 1;
    for (size_t d = 0; d < dir_count; ++d) {
        if (file_count > 0 || d > 0) putchar('\n');
        if (headers) printf("%s:\n", dirs[d].name);
        list_directory(dirs[d].path);
    }
    free_entries(files, file_count);
    free_entries(dirs, dir_count);
    return g_status;
}
