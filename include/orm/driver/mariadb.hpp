#pragma once
// The MySQL / MariaDB driver over libmariadb's C prepared-statement API
// (mysql_stmt_*): binary protocol, unbuffered rows, also with parameters.
// Chosen by `mysql+libmariadb://` or `mariadb+libmariadb://` URLs.
#include <memory>

#include "orm/driver/driver.hpp"

namespace orm::driver {

/// Creates the libmariadb driver. Link orm::mariadb.
std::unique_ptr<driver> make_mariadb_driver();

}  // namespace orm::driver
