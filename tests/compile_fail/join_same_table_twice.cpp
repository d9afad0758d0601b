// Must not compile: the query's own table joined again without an alias.
#include <orm/orm.hpp>
struct Employee { std::int64_t id = 0; std::optional<std::int64_t> reports_to; };
int main() {
    auto q = orm::select<Employee>().join<Employee>(orm::col(&Employee::reports_to) == orm::col(&Employee::id));
    return static_cast<int>(q.statement().joins.size());
}
