// Must not compile: a query bound to a temporary connection would outlive it.
#include <orm/orm.hpp>
struct Book { std::int64_t id = 0; std::string title; };
int main() {
    auto engine = orm::create_engine("sqlite://");
    auto q = engine.connect().select<Book>();
    return static_cast<int>(q.statement().columns.size());
}
