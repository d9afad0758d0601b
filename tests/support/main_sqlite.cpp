#include "backend.hpp"
// Names the backend of the orm_sqlite_tests binary.
const char* orm_test::backend_name() { return "sqlite"; }
const char* orm_test::driver_name() { return ""; }
