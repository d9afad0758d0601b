#pragma once
// The MySQL / MariaDB driver, over MySQL Connector/C++ (its JDBC-style API).
#include <memory>

#include "orm/driver/driver.hpp"

namespace orm::driver {

/// Creates the Connector/C++ driver. Link orm::mysql.
std::unique_ptr<driver> make_mysql_driver();

}  // namespace orm::driver
