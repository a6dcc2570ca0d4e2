/// \file main.cpp
/// \brief `ps`: every process proc knows: pid, parent, state (R running, Z ended but not yet reaped) and name.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/samsara.h>

int main()
{
    printf("  PID  PPID S NAME\n");
    unsigned long cursor = 0;
    struct proc_info p;
    int r;
    while ((r = proc_list(&cursor, &p)) > 0) printf("%5d %5d %c %s\n", p.pid, p.ppid, p.zombie ? 'Z' : 'R', p.name);
    if (r < 0) {
        fprintf(stderr, "ps: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
