/// \file main.cpp
/// \brief `rm [-r] [-f] PATH...`: removes files; -r removes directories and what they hold; -f ignores missing paths.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

bool g_recursive = false;
bool g_force = false;

bool report(const char* path)
{
    fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
    return false;
}

bool remove_path(const char* path);

/// Removes everything in directory `path`, then the directory. The names are read first and
/// the directory closed before descending, so deep trees do not hold one descriptor per level.
bool remove_tree(const char* path)
{
    DIR* dir = opendir(path);
    if (!dir) return report(path);
    char** names = nullptr;
    size_t count = 0, capacity = 0;
    bool ok = true;
    errno = 0;
    while (struct dirent* entry = readdir(dir)) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            char** grown = static_cast<char**>(realloc(names, capacity * sizeof(char*)));
            if (!grown) {
                ok = report(path);
                break;
            }
            names = grown;
        }
        names[count] = strdup(entry->d_name);
        if (!names[count]) {
            ok = report(path);
            break;
        }
        ++count;
    }
    if (ok && errno != 0) ok = report(path);
    closedir(dir);
    for (size_t i = 0; i < count; ++i) {
        if (ok) {
            char child[512];
            if (snprintf(child, sizeof(child), "%s/%s", path, names[i]) >= static_cast<int>(sizeof(child))) {
                errno = ENAMETOOLONG;
                ok = report(path);
            } else if (!remove_path(child)) {
                ok = false;
            }
        }
        free(names[i]);
    }
    free(names);
    if (!ok) return false;
    return rmdir(path) == 0 || report(path);
}

bool remove_path(const char* path)
{
    struct stat st;
    if (stat(path, &st) != 0) return (g_force && errno == ENOENT) || report(path);
    if (S_ISDIR(st.st_mode)) {
        if (!g_recursive) {
            errno = EISDIR;
            return report(path);
        }
        // The root would go but for itself: refuse before removing anything.
        if (st.st_ino == 2) {
            fprintf(stderr, "rm: %s: refusing to remove the root directory\n", path);
            return false;
        }
        return remove_tree(path);
    }
    return unlink(path) == 0 || report(path);
}

} // namespace

int main(int argc, char** argv)
{
    int i = 1;
    // Options come first: -r, -R, -f and combinations such as -rf; "--" ends them.
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        if (strcmp(argv[i], "--") == 0) {
            ++i;
            break;
        }
        for (const char* o = argv[i] + 1; *o; ++o) {
            if (*o == 'r' || *o == 'R') g_recursive = true;
            else if (*o == 'f') g_force = true;
            else {
                fprintf(stderr, "rm: unknown option -%c\nusage: rm [-r] [-f] PATH...\n", *o);
                return 1;
            }
        }
    }
    if (i >= argc) {
        if (g_force) return 0;
        fprintf(stderr, "usage: rm [-r] [-f] PATH...\n");
        return 1;
    }
    int status = 0;
    for (; i < argc; ++i)
        if (!remove_path(argv[i])) status = 1;
    return status;
}
