#include "private_server.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <sys/wait.h>

#include "backend.hpp"

namespace orm_test::private_server {

std::string dir() {
    const char* value = std::getenv("ORM_TEST_SERVER_DIR");
    if (value == nullptr || *value == '\0')
        throw std::runtime_error("ORM_TEST_SERVER_DIR is not set: run this test through ctest (it needs its own server)");
    return value;
}

std::string path(const std::string& relative) { return dir() + "/" + relative; }

std::string url(const std::string& file, const std::string& options) {
    std::ifstream in(path(file));
    std::string text;
    if (!in || !std::getline(in, text) || text.empty())
        throw std::runtime_error("the private MariaDB's " + file + " is missing: did its ctest fixture fail?");
    // The binary's driver goes into the scheme: mysql:// becomes mysql+cppconn://.
    if (const std::string driver = driver_name(); !driver.empty()) text.insert(text.find("://"), "+" + driver);
    if (!options.empty()) text += "?" + options;
    return text;
}

orm::engine create_engine(const std::string& url, orm::engine_options options) {
    auto db = orm::create_engine(url, std::move(options));
    INFO("engine URL: " << db.target().redacted());
    REQUIRE(db.target().driver == driver_name());
    return db;
}

int control(const std::string& command) {
    // Both parts are ours (a fixed command word, the fixture's directory); quoted for the shell.
    const std::string line = "bash '" ORM_TEST_SERVER_SCRIPT "' " + command + " '" + dir() + "'";
    const int status = std::system(line.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace orm_test::private_server
