#include "backend.hpp"
// Names the backend of the orm_mysql_tests binary.
const char* orm_test::backend_name() { return "mysql"; }
