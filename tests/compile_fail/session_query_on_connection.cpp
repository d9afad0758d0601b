// Must not compile: a session query (rows are the session's objects) run on a connection.
#include <orm/orm.hpp>
struct Book { std::int64_t id = 0; std::string title; };
int main() {
    auto engine = orm::create_engine("sqlite://");
    orm::session s(engine);
    auto conn = engine.connect();
    auto rows = s.query<Book>().all(conn);
    return static_cast<int>(rows.size());
}
