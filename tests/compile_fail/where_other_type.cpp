// Must not compile: a query over Book filtered on a column of Author (not joined).
#include <orm/orm.hpp>
struct Author { std::int64_t id = 0; std::string name; };
struct Book { std::int64_t id = 0; std::int64_t author_id = 0; std::string title; };
int main() {
    auto q = orm::select<Book>().where(orm::col(&Author::name) == "Ada");
    return static_cast<int>(q.statement().columns.size());
}
