/// \file main.cpp
/// \brief `hexdump [-C] [FILE...]`: the canonical hex+ASCII dump (`hexdump -C`), byte for byte as util-linux prints it.
///
/// Each line: the offset (8 hex digits), 16 bytes in hex in two groups of 8, and the bytes as
/// text between bars ('.' for anything not printable). A run of lines equal to the one before
/// is shown as one "*". The files are dumped as one stream, and the last line is the total length.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

namespace {

constexpr int kLine = 16;

struct Dumper {
    unsigned char line[kLine];
    int used = 0;                 ///< Bytes in `line`.
    unsigned char previous[kLine];
    bool have_previous = false;
    bool squeezing = false;       ///< A "*" was printed for the current run of repeats.
    unsigned long offset = 0;     ///< Of the first byte of `line`.

    void print_line()
    {
        // A full line equal to the one before is not printed; the first of a run becomes "*".
        if (used == kLine && have_previous && memcmp(line, previous, kLine) == 0) {
            if (!squeezing) puts("*");
            squeezing = true;
        } else {
            squeezing = false;
            // Built by hand rather than with a printf per byte: a big file has many lines.
            static const char kHex[] = "0123456789abcdef";
            char text[80];
            int n = snprintf(text, sizeof(text), "%08lx ", offset);
            for (int i = 0; i < kLine; ++i) {
                if (i == 8) text[n++] = ' ';
                text[n++] = ' ';
                text[n++] = i < used ? kHex[line[i] >> 4] : ' ';
                text[n++] = i < used ? kHex[line[i] & 15] : ' ';
            }
            text[n++] = ' ';
            text[n++] = ' ';
            text[n++] = '|';
            for (int i = 0; i < used; ++i) text[n++] = line[i] >= 0x20 && line[i] < 0x7f ? static_cast<char>(line[i]) : '.';
            text[n++] = '|';
            text[n] = '\0';
            puts(text);
        }
        memcpy(previous, line, kLine);
        have_previous = true;
        offset += static_cast<unsigned long>(used);
        used = 0;
    }

    void feed(const unsigned char* bytes, size_t n)
    {
        for (size_t i = 0; i < n; ++i) {
            line[used++] = bytes[i];
            if (used == kLine) print_line();
        }
    }

    void finish()
    {
        if (used > 0) print_line();
        // Empty input prints nothing at all; otherwise the length ends the dump.
        if (offset > 0) printf("%08lx\n", offset);
    }
};

unsigned char g_buffer[4096];

bool dump(int fd, const char* name, Dumper& d)
{
    for (;;) {
        ssize_t n = read(fd, g_buffer, sizeof(g_buffer));
        if (n == 0) return true;
        if (n < 0) {
            fprintf(stderr, "hexdump: %s: %s\n", name, strerror(errno));
            return false;
        }
        d.feed(g_buffer, static_cast<size_t>(n));
    }
}

} // namespace

int main(int argc, char** argv)
{
    int i = 1;
    // -C is the only format there is; accept it for the familiar command line.
    while (i < argc && strcmp(argv[i], "-C") == 0) ++i;
    if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "-") != 0) {
        fprintf(stderr, "hexdump: unknown option %s\nusage: hexdump [-C] [FILE...]\n", argv[i]);
        return 1;
    }
    Dumper d;
    if (i >= argc) {
        bool ok = dump(STDIN_FILENO, "-", d);
        d.finish();
        return ok ? 0 : 1;
    }
    int status = 0, failed = 0, files = argc - i;
    for (; i < argc; ++i) {
        int fd = strcmp(argv[i], "-") == 0 ? STDIN_FILENO : open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "hexdump: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            ++failed;
            continue;
        }
        if (!dump(fd, argv[i], d)) status = 1;
        if (fd != STDIN_FILENO) close(fd);
    }
    if (failed == files) {
        fprintf(stderr, "hexdump: all input file arguments failed\n");
        return 1;
    }
    d.finish();
    return status;
}
