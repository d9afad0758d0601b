#include "backend.hpp"
#include "sql_log.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace orm_test {

namespace {

/// The MariaDB URL from the environment, as given.
std::string configured_mysql_url() {
    if (const char* url = std::getenv("ORM_TEST_MYSQL_URL"); url && *url) return url;
    if (const char* file = std::getenv("ORM_TEST_MYSQL_URL_FILE"); file && *file) {
        std::ifstream in(file);
        std::string url;
        if (in && std::getline(in, url) && !url.empty()) return url;
        throw std::runtime_error(std::string("MariaDB test server URL file ") + file +
                                 " is missing or empty: did the mysql.server.start fixture fail?");
    }
    throw std::runtime_error("no MariaDB for the mysql tests: set ORM_TEST_MYSQL_URL or run them through ctest");
}

}  // namespace

std::string url_scheme() {
    const std::string driver = driver_name();
    return std::string(backend_name()) + (driver.empty() ? "" : "+" + driver);
}

std::string database_url() {
    if (std::string(backend_name()) == "sqlite") {
        static std::atomic<int> counter{0};
        const auto dir = std::filesystem::temp_directory_path() / ("orm-tests-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        const auto file = dir / ("db" + std::to_string(counter++) + ".sqlite");
        std::filesystem::remove(file);
        return "sqlite:///" + file.string();  // an absolute path: sqlite:////tmp/...
    }
    // The configured scheme (mysql:// or mariadb://, maybe with a driver) becomes url_scheme().
    const std::string url = configured_mysql_url();
    const auto end = url.find("://");
    return end == std::string::npos ? url : url_scheme() + url.substr(end);
}

orm::engine make_engine(orm::engine_options options) { return orm::create_engine(database_url(), std::move(options)); }

std::int64_t count_rows(orm::connection& conn, const std::string& table) {
    return conn.execute("SELECT COUNT(*) FROM " + conn.sql_dialect().quote_identifier(table)).scalar<std::int64_t>();
}

std::int64_t count_rows(const orm::engine& db, const std::string& table) {
    auto conn = db.connect();
    return count_rows(conn, table);
}

}  // namespace orm_test

std::vector<std::string> orm_test::spelled(std::vector<std::string> expected) {
    if (!is_mysql()) return expected;
    for (std::string& line : expected) {
        if (line == "BEGIN") line = "START TRANSACTION";
        std::replace(line.begin(), line.end(), '"', '`');
    }
    return expected;
}
