/// \file main.cpp
/// \brief `echo [-n] [ARG...]`: prints the arguments separated by spaces, and a newline unless -n.
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv)
{
    int first = 1;
    bool newline = true;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = false;
        first = 2;
    }
    for (int i = first; i < argc; ++i) {
        if (i > first) putchar(' ');
        fputs(argv[i], stdout);
    }
    if (newline) putchar('\n');
    // Report a failed write (a full disk, a closed pipe) in the exit status.
    if (fflush(stdout) != 0) {
        perror("echo: write error");
        return 1;
    }
    return 0;
}
