/// \file main.cpp
/// \brief `wc [-l] [-w] [-c] [FILE...]`: counts lines, words and bytes, laid out as GNU wc 9 does.
///
/// Words are runs of printable characters between white space; other bytes (control
/// characters, bytes >= 0x80) neither start nor end a word (GNU wc in the C locale). Columns
/// are as wide as the total size of the regular files named (at least 7 when one is not a
/// regular file), unless a single count of a single input is printed: then there is no padding.
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Counts {
    unsigned long lines = 0;
    unsigned long words = 0;
    unsigned long bytes = 0;
};

bool g_lines = false, g_words = false, g_bytes = false;
char g_buffer[4096];

bool count(int fd, const char* name, Counts& out)
{
    bool in_word = false;
    for (;;) {
        ssize_t n = read(fd, g_buffer, sizeof(g_buffer));
        if (n == 0) break;
        if (n < 0) {
            fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
            return false;
        }
        out.bytes += static_cast<unsigned long>(n);
        for (ssize_t i = 0; i < n; ++i) {
            unsigned char c = static_cast<unsigned char>(g_buffer[i]);
            if (c == '\n') ++out.lines;
            if (isspace(c)) {
                if (in_word) ++out.words;
                in_word = false;
            } else if (isprint(c)) {
                in_word = true;
            }
        }
    }
    if (in_word) ++out.words;
    return true;
}

void print(const Counts& c, int width, const char* name)
{
    const char* separator = "";
    if (g_lines) printf("%s%*lu", separator, width, c.lines), separator = " ";
    if (g_words) printf("%s%*lu", separator, width, c.words), separator = " ";
    if (g_bytes) printf("%s%*lu", separator, width, c.bytes);
    if (name) printf(" %s", name);
    putchar('\n');
}

int digits(unsigned long v)
{
    int n = 1;
    for (; v >= 10; v /= 10) ++n;
    return n;
}

} // namespace

int main(int argc, char** argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        for (const char* o = argv[i] + 1; *o; ++o) {
            if (*o == 'l') g_lines = true;
            else if (*o == 'w') g_words = true;
            else if (*o == 'c') g_bytes = true;
            else {
                fprintf(stderr, "wc: unknown option -%c\nusage: wc [-l] [-w] [-c] [FILE...]\n", *o);
                return 1;
            }
        }
    }
    if (!g_lines && !g_words && !g_bytes) g_lines = g_words = g_bytes = true;
    const char* const stdin_only[] = {nullptr};
    const char* const* files = i < argc ? const_cast<const char* const*>(argv + i) : stdin_only;
    int file_count = i < argc ? argc - i : 1;

    // The column width, from what stat says before anything is read (as GNU wc does).
    int width = 1;
    int counts_printed = g_lines + g_words + g_bytes;
    if (!(file_count == 1 && counts_printed == 1)) {
        unsigned long regular_total = 0;
        int minimum = 1;
        for (int f = 0; f < file_count; ++f) {
            struct stat st;
            bool from_stdin = !files[f] || strcmp(files[f], "-") == 0;
            if ((from_stdin ? fstat(STDIN_FILENO, &st) : stat(files[f], &st)) != 0) continue;
            if (S_ISREG(st.st_mode)) regular_total += static_cast<unsigned long>(st.st_size);
            else minimum = 7;
        }
        width = digits(regular_total);
        if (width < minimum) width = minimum;
    }

    int status = 0;
    Counts total;
    for (int f = 0; f < file_count; ++f) {
        Counts c;
        bool from_stdin = !files[f] || strcmp(files[f], "-") == 0;
        int fd = from_stdin ? STDIN_FILENO : open(files[f], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "wc: %s: %s\n", files[f], strerror(errno));
            status = 1;
            continue;
        }
        bool ok = count(fd, files[f] ? files[f] : "-", c);
        if (!from_stdin) close(fd);
        if (!ok) {
            status = 1;
            continue;
        }
        print(c, width, files[f]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (file_count > 1) print(total, width, "total");
    return status;
}
