// Must not compile: a foreign key whose type differs from the referenced column's.
#include <orm/orm.hpp>
struct Author { std::int64_t id = 0; };
struct Book { std::int64_t id = 0; std::string author_id; };
template <> struct orm::model<Book> {
    static constexpr auto columns = orm::columns(orm::foreign_key(&Book::author_id, &Author::id));
};
int main() { return static_cast<int>(orm::table_of<Book>().columns.size()); }
