// Must not compile: a text column compared with a number.
#include <orm/orm.hpp>
struct Book { std::int64_t id = 0; std::string title; };
int main() {
    auto q = orm::select<Book>().where(orm::col(&Book::title) == 42);
    return static_cast<int>(q.statement().columns.size());
}
