#include "backend.hpp"
// Names the backend of the orm_mysql_tests binary (the default driver, libmariadb)
// and of orm_cppconn_tests (built with ORM_TEST_MYSQL_DRIVER="cppconn").
#ifndef ORM_TEST_MYSQL_DRIVER
#define ORM_TEST_MYSQL_DRIVER ""
#endif
const char* orm_test::backend_name() { return "mysql"; }
const char* orm_test::driver_name() { return ORM_TEST_MYSQL_DRIVER; }
