// orm::create_engine: chooses dialect and driver from the URL's scheme and
// its optional "+driver" (mysql+libmariadb://, mysql+cppconn://).
#include "../driver/mysql_common/options.hpp"
#include "orm/driver/mariadb.hpp"
#include "orm/driver/mysql.hpp"
#include "orm/driver/sqlite.hpp"
#include "orm/engine.hpp"
#include "orm/error.hpp"

namespace orm {

namespace {

/// The MySQL / MariaDB driver named by `target.driver`: libmariadb's C API
/// when none is named ("libmariadb": faster, streams every query), Connector/C++ for "cppconn".
std::unique_ptr<driver::driver> mysql_driver_for(const url& target) {
    if (target.driver.empty() || target.driver == "libmariadb") return driver::make_mariadb_driver();
    if (target.driver == "cppconn") return driver::make_mysql_driver();
    throw url_error("orm: unknown driver '" + target.driver + "' for " + target.scheme + ":// (" + target.redacted() +
                    "); supported: " + target.scheme + "+libmariadb:// (libmariadb, the default), " + target.scheme +
                    "+cppconn:// (MySQL Connector/C++)");
}

}  // namespace

engine create_engine(std::string_view text, engine_options options) {
    url target = url::parse(text);
    if (target.scheme == "mysql" || target.scheme == "mariadb") {
        if (target.host.empty()) target.host = "127.0.0.1";
        auto chosen = mysql_driver_for(target);
        driver::mysql_common::read_tls_settings(target);  // bad TLS options: orm::url_error now, not at the first checkout
        return engine(std::move(target), make_mysql_dialect(), std::move(chosen), std::move(options));
    }
    if (target.scheme == "sqlite") {
        if (!target.driver.empty() && target.driver != "sqlite3")
            throw url_error("orm: unknown driver '" + target.driver + "' for sqlite:// (" + target.redacted() +
                            "); supported: sqlite://, sqlite+sqlite3://");
        return engine(std::move(target), make_sqlite_dialect(), driver::make_sqlite_driver(), std::move(options));
    }
    throw url_error("orm: unknown database URL scheme '" + target.scheme + "' (" + target.redacted() +
                    "); supported: mysql://, mariadb://, mysql+libmariadb://, mysql+cppconn://, mariadb+libmariadb://, mariadb+cppconn://, sqlite://");
}

}  // namespace orm
