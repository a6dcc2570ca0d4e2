/// \file main.cpp
/// \brief `sync`: writes every dirty block of the file-system cache to the disk, and flushes the disk.
#include <unistd.h>

int main()
{
    sync();
    return 0;
}
