/// \file main.cpp
/// \brief `mv SOURCE TARGET` or `mv SOURCE... DIRECTORY`: renames files and directories (one file system, so never a copy).
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

namespace {

bool is_directory(const char* path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: mv SOURCE TARGET\n       mv SOURCE... DIRECTORY\n");
        return 1;
    }
    const char* target = argv[argc - 1];
    bool into_directory = is_directory(target);
    if (argc > 3 && !into_directory) {
        fprintf(stderr, "mv: %s: %s\n", target, strerror(ENOTDIR));
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc - 1; ++i) {
        char path[256];
        if (into_directory) {
            char copy[256];
            strlcpy(copy, argv[i], sizeof(copy));
            size_t n = strlen(target);
            const char* slash = n > 0 && target[n - 1] == '/' ? "" : "/";
            if (snprintf(path, sizeof(path), "%s%s%s", target, slash, basename(copy)) >= static_cast<int>(sizeof(path))) {
                fprintf(stderr, "mv: %s: %s\n", argv[i], strerror(ENAMETOOLONG));
                status = 1;
                continue;
            }
        } else {
            strlcpy(path, target, sizeof(path));
        }
        if (rename(argv[i], path) != 0) {
            // The source is usually what is wrong (missing); fs says which in errno.
            fprintf(stderr, "mv: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
