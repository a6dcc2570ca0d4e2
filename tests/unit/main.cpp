/// \file main.cpp
/// \brief Lets Catch2 supply main() for the host unit-test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
