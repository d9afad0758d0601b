#include "backend.hpp"
// Names the backend and driver of each MySQL test binary: orm_mysql_tests and the
// private-server orm_mysql_*_tests (the default driver, libmariadb), and
// orm_cppconn_tests and orm_cppconn_mysql_*_tests (built with ORM_TEST_MYSQL_DRIVER="cppconn").
#ifndef ORM_TEST_MYSQL_DRIVER
#define ORM_TEST_MYSQL_DRIVER ""
#endif
const char* orm_test::backend_name() { return "mysql"; }
const char* orm_test::driver_name() { return ORM_TEST_MYSQL_DRIVER; }
