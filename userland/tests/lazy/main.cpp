/// \file main.cpp
/// \brief `lazy`: a service that never reports ready, so the reincarnation server's initialisation timeout fires.
#include "print.hpp"
#include "service.hpp"
#include "sys.hpp"

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    print("%s: started, and never going to say ready\n", ctx.label);
    for (;;) sys::sleep_ns(1000000000ull);
}
