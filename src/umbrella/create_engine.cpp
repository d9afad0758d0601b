// orm::create_engine: chooses dialect and driver from the URL's scheme.
#include "../driver/mysql_tls.hpp"
#include "orm/driver/mysql.hpp"
#include "orm/driver/sqlite.hpp"
#include "orm/engine.hpp"
#include "orm/error.hpp"

namespace orm {

engine create_engine(std::string_view text, engine_options options) {
    url target = url::parse(text);
    if (target.scheme == "mysql" || target.scheme == "mariadb") {
        if (target.host.empty()) target.host = "127.0.0.1";
        driver::read_mysql_tls(target);  // bad TLS options: orm::url_error now, not at the first checkout
        return engine(std::move(target), make_mysql_dialect(), driver::make_mysql_driver(), std::move(options));
    }
    if (target.scheme == "sqlite") {
        // An in-memory database lives in one connection: share that one.
        if (target.database.empty()) {
            options.pool_size = 1;
            options.max_overflow = 0;
        }
        return engine(std::move(target), make_sqlite_dialect(), driver::make_sqlite_driver(), std::move(options));
    }
    throw url_error("orm: unknown database URL scheme '" + target.scheme + "' (" + target.redacted() +
                    "); supported: mysql://, mariadb://, sqlite://");
}

}  // namespace orm
