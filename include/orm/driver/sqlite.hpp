#pragma once
// The SQLite driver, over libsqlite3.
#include <memory>

#include "orm/driver/driver.hpp"

namespace orm::driver {

/// Creates the libsqlite3 driver. Link orm::sqlite.
std::unique_ptr<driver> make_sqlite_driver();

}  // namespace orm::driver
