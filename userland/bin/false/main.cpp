/// \file main.cpp
/// \brief `false`: does nothing, unsuccessfully (exit status 1).
int main() { return 1; }
