// Must not compile: integer / integer (MariaDB gives an exact decimal, SQLite truncates).
#include <orm/orm.hpp>
struct Track { std::int64_t id = 0; std::int64_t milliseconds = 0; };
int main() {
    auto e = orm::col(&Track::milliseconds) / 1000;
    return static_cast<int>(e.node.operands().size());
}
