#include "backend.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace orm_test {

std::string database_url() {
    const std::string backend = backend_name();
    if (backend == "sqlite") {
        static std::atomic<int> counter{0};
        const auto dir = std::filesystem::temp_directory_path() / ("orm-tests-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        const auto file = dir / ("db" + std::to_string(counter++) + ".sqlite");
        std::filesystem::remove(file);
        return "sqlite:///" + file.string();  // an absolute path: sqlite:////tmp/...
    }
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

orm::engine make_engine(orm::engine_options options) { return orm::create_engine(database_url(), std::move(options)); }

std::int64_t count_rows(orm::connection& conn, const std::string& table) {
    return conn.execute("SELECT COUNT(*) FROM " + conn.sql_dialect().quote_identifier(table)).scalar<std::int64_t>();
}

std::int64_t count_rows(const orm::engine& db, const std::string& table) {
    auto conn = db.connect();
    return count_rows(conn, table);
}

}  // namespace orm_test
